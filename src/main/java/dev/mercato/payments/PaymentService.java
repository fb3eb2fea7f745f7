package dev.mercato.payments;

import dev.mercato.idempotency.IdempotencyProperties;
import dev.mercato.jobs.Jobs;
import dev.mercato.orders.Order;
import dev.mercato.orders.OrderService;
import dev.mercato.payments.PaymentProcessor.Charge;
import dev.mercato.payments.PaymentProcessor.Declined;
import dev.mercato.payments.PaymentProcessor.Outcome;
import dev.mercato.payments.PaymentProcessor.Succeeded;
import dev.mercato.payments.PaymentProcessor.Unknown;
import dev.mercato.security.Caller;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.Ids;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.PaymentDeclinedException;
import dev.mercato.shared.RequestMismatchException;
import dev.mercato.shared.UpstreamUnavailableException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Charges orders without ever charging one twice. A payment is first written as {@code processing} while
 * the order is locked (so concurrent attempts see it and get 409), then the processor is called outside
 * any transaction with the payment id as its idempotency key, then the outcome is written together with
 * the order becoming paid. When the processor gives no answer the payment stays {@code processing} and its
 * reconciliation job ({@link PaymentReconciler}), queued with the payment, asks the processor that took it about it
 * until the outcome is known.
 */
@Service
public class PaymentService {

    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

    private final PaymentRepository repository;
    private final OrderService orders;
    private final ApplicationEventPublisher events;
    private final PaymentProcessors processors;
    private final TransactionTemplate transaction;
    private final Jobs jobs;
    private final Clock clock;
    private final Duration retryDelay;
    private final int maxAttempts;
    private final Duration keyRetention;

    PaymentService(
            PaymentRepository repository,
            OrderService orders,
            ApplicationEventPublisher events,
            PaymentProcessors processors,
            TransactionTemplate transaction,
            Jobs jobs,
            Clock clock,
            PaymentsProperties properties,
            IdempotencyProperties idempotency) {
        this.repository = repository;
        this.orders = orders;
        this.events = events;
        this.processors = processors;
        this.transaction = transaction;
        this.jobs = jobs;
        this.clock = clock;
        this.retryDelay = properties.retryDelay();
        this.maxAttempts = properties.maxAttempts();
        this.keyRetention = idempotency.retention();
    }

    /**
     * A request to pay; {@code key} is the {@code Idempotency-Key} it came with, if any, so that a retry of a request
     * whose answer was not kept (a 502) is answered with the payment it started.
     */
    public record PaymentRequest(
            String orderId, BigDecimal amount, String currency, String paymentMethodId, RequestKey key) {

        public PaymentRequest(String orderId, BigDecimal amount, String currency, String paymentMethodId) {
            this(orderId, amount, currency, paymentMethodId, null);
        }

        boolean sameAs(Payment payment) {
            return payment.orderId().equals(orderId)
                    && payment.amount().compareTo(amount) == 0
                    && payment.currency().equals(currency)
                    && payment.paymentMethodId().equals(paymentMethodId);
        }
    }

    /** The payment, if the caller may see its order (a user-authorized token: its user's orders only); else 404. */
    public Payment get(Caller caller, String id) {
        return visible(caller, repository.findById(id), id);
    }

    /** Payments, narrowed to those of its user's orders for a user-authorized token. */
    public Page<Payment> list(Caller caller, String orderId, PageParams page) {
        Optional<String> acting = caller.actingUser();
        if (acting.isEmpty()) {
            return repository.find(orderId, null, page);
        }
        if (orderId != null && !acting.equals(orders.ownerOf(orderId))) {
            return new Page<>(List.of(), 0);
        }
        return repository.find(orderId, orderId != null ? null : orders.idsOf(acting.get()), page);
    }

    private Payment visible(Caller caller, Optional<Payment> payment, String id) {
        // Only a confined caller (a user-authorized token) needs the order's owner: API keys skip the lookup.
        return payment.filter(found -> caller.actingUser().isEmpty()
                        || caller.mayAccess(orders.ownerOf(found.orderId()).orElse(null)))
                .orElseThrow(() -> new NotFoundException("payment", id));
    }

    /**
     * Charges the order's total. Returns the succeeded payment; a decline is recorded and answered with 402
     * {@code PAYMENT_FAILED}; an unknown outcome with 502 {@code PAYMENT_PROCESSOR_UNAVAILABLE}. A retry of a request
     * under the same {@code Idempotency-Key} is answered with the payment it started, once settled.
     */
    public Payment pay(Caller caller, PaymentRequest request) {
        return attempt(transaction.execute(status -> start(caller, request)));
    }

    /**
     * The payment's reconciliation job: asks the processor that took the payment again about it, and returns how long
     * to wait before the next attempt, empty once the payment is settled. db-scheduler runs one job per payment on one
     * server at a time, so nobody else is talking to the processor about it meanwhile.
     */
    Optional<Duration> reconcile(String paymentId) {
        Optional<Payment> open = repository.findById(paymentId).filter(p -> Payment.PROCESSING.equals(p.status()));
        if (open.isEmpty()) {
            return Optional.empty();
        }
        if (!processors.has(open.get())) {
            // Left to the servers that have the processor: one of them takes the job at one of its next runs.
            return Optional.of(retryDelay);
        }
        return repository
                .countAttempt(paymentId)
                .flatMap(payment -> PaymentReconciler.attemptOnce(
                        "Payment", paymentId, payment.attempts(), retryDelay, () -> attempt(payment)));
    }

    /**
     * Settles a processing payment from what its processor reported on its own (a Stripe event), in the caller's
     * transaction, exactly as an answer to a call would; a payment settled already stays as it is.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void settleReported(String paymentId, Outcome outcome) {
        repository
                .findById(paymentId)
                .filter(payment -> Payment.PROCESSING.equals(payment.status()))
                .ifPresent(payment -> record(payment, outcome));
    }

    /** Records the payment's dispute as the processor reports it, and tells of a new one and of its end. */
    @Transactional(propagation = Propagation.MANDATORY)
    void recordDispute(Payment payment, Payment.Dispute dispute) {
        boolean opened = payment.dispute() == null || !payment.dispute().id().equals(dispute.id());
        if (!repository.recordDispute(payment.id(), dispute)) {
            return;
        }
        if (opened) {
            events.publishEvent(new PaymentDisputed(
                    payment.id(),
                    payment.orderId(),
                    dispute.amount(),
                    payment.currency(),
                    dispute.reason(),
                    dispute.status()));
        } else if (PaymentDisputed.CLOSED.contains(dispute.status())) {
            events.publishEvent(new PaymentDisputeClosed(
                    payment.id(),
                    payment.orderId(),
                    dispute.amount(),
                    payment.currency(),
                    dispute.reason(),
                    dispute.status()));
        }
    }

    private Payment start(Caller caller, PaymentRequest request) {
        Order order = orders.getForUpdate(caller, request.orderId());
        Optional<Payment> earlier = startedBy(request.key());
        if (earlier.isPresent()) {
            if (!request.sameAs(earlier.get())) {
                throw new RequestMismatchException(
                        "IDEMPOTENCY_KEY_REUSED",
                        "This "
                                + "Idempotency-Key was already used for a different payment; use a new key for a new request.",
                        "Idempotency-Key");
            }
            if (!Payment.PROCESSING.equals(earlier.get().status())) {
                return earlier.get(); // settled since the request was answered 502: answered as it stands
            }
        }
        switch (order.status()) {
            case Order.PENDING -> {}
            case Order.CANCELLED ->
                throw new ConflictException(
                        "ORDER_CANCELLED", "Order '" + order.id() + "' is cancelled and cannot be paid.", order.id());
            default ->
                throw new ConflictException(
                        "ORDER_ALREADY_PAID", "Order '" + order.id() + "' is already paid.", order.id());
        }
        if (!order.currency().equals(request.currency())) {
            throw InvalidRequestException.field(
                    "CURRENCY_MISMATCH",
                    "currency",
                    "The payment's currency must be the order's, " + order.currency() + ".");
        }
        if (order.totalAmount().compareTo(request.amount()) != 0) {
            throw InvalidRequestException.field(
                    "AMOUNT_MISMATCH",
                    "amount",
                    "The payment's amount must equal the order's total, "
                            + order.totalAmount().toPlainString() + " " + order.currency() + ".");
        }
        Instant now = now();
        // The order is locked, so no other attempt can start between this read and the insert below.
        var live = repository.findLive(order.id());
        if (live.isPresent()) {
            // Processing: an earlier attempt's outcome is unknown. Settle it before anything else is charged.
            // Only when its job is due and not running does this request ask in the job's place: the job is put off
            // by a retry delay, longer than any call to the processor (PaymentsProperties checks it).
            processors.of(live.get());
            String id = live.get().id();
            if (!jobs.takeDue(PaymentReconciler.PAYMENTS, id, now.plus(retryDelay))) {
                throw new ConflictException(
                                "PAYMENT_IN_PROGRESS",
                                "Payment '" + id + "' of this order is being "
                                        + "processed; its outcome is not known yet.",
                                id)
                        .retryAfter(retryDelay);
            }
            return repository.countAttempt(id).orElseThrow();
        }
        Payment payment = new Payment(
                Ids.generate("pay"),
                order.id(),
                order.totalAmount(),
                order.currency(),
                Payment.PROCESSING,
                request.paymentMethodId(),
                processors.current().name(),
                null,
                null,
                null,
                BigDecimal.ZERO,
                1,
                now,
                now,
                null);
        repository.insert(payment, request.key());
        // Queued with the payment, so that a crash during the call below cannot lose it; it is due only after the
        // call has ended (a retry delay is longer than any call), and removed when the call settles the payment.
        jobs.schedule(PaymentReconciler.PAYMENTS, payment.id(), now.plus(retryDelay));
        return payment;
    }

    /** The payment an earlier request with this key started, while the key is kept. */
    private Optional<Payment> startedBy(RequestKey key) {
        return key == null ? Optional.empty() : repository.findByRequestKey(key, now().minus(keyRetention));
    }

    /**
     * One call to the processor about a processing payment (a settled one is answered as it stands): the first
     * call charges, later ones ask what became of the charge, and the last one gives it up unless it went through.
     */
    private Payment attempt(Payment payment) {
        if (!Payment.PROCESSING.equals(payment.status())) {
            return answer(payment);
        }
        PaymentProcessor processor = processors.of(payment);
        Charge charge = Charge.of(payment);
        Outcome outcome;
        if (payment.amount().signum() == 0) {
            outcome = new Succeeded(null); // nothing to charge (processors refuse amounts below their minimum)
        } else if (payment.attempts() == 1) {
            outcome = processor.charge(charge);
        } else if (payment.attempts() < maxAttempts) {
            outcome = processor.recheck(charge);
        } else {
            outcome = processor.abandon(charge);
        }
        if (outcome instanceof Unknown unknown) {
            log.warn("Payment {} attempt {}: outcome unknown: {}", payment.id(), payment.attempts(), unknown.message());
            Instant retryAt = now().plus(PaymentReconciler.backoff(retryDelay, payment.attempts()));
            transaction.executeWithoutResult(status -> {
                repository.postpone(payment.id(), unknown.reference(), unknown.message());
                jobs.reschedule(PaymentReconciler.PAYMENTS, payment.id(), retryAt); // its own run reschedules itself
            });
            throw new UpstreamUnavailableException(
                            "PAYMENT_PROCESSOR_UNAVAILABLE",
                            "The payment "
                                    + "processor did not answer, so the outcome of payment '" + payment.id()
                                    + "' is not known "
                                    + "yet. It is checked again automatically; read the payment to follow it.",
                            payment.id())
                    .retryAfter(retryDelay);
        }
        transaction.executeWithoutResult(status -> record(payment, outcome));
        return answer(repository.findById(payment.id()).orElseThrow());
    }

    /** A settled payment as its request is answered: itself when it succeeded, 402 when it failed. */
    private static Payment answer(Payment payment) {
        if (Payment.FAILED.equals(payment.status())) {
            throw new PaymentDeclinedException(
                    "PAYMENT_FAILED",
                    payment.failureMessage()
                            + " Payment '" + payment.id() + "' was recorded as failed (" + payment.declineCode()
                            + "); the order can still be paid.",
                    payment.declineCode());
        }
        return payment;
    }

    private void record(Payment payment, Outcome outcome) {
        jobs.cancel(PaymentReconciler.PAYMENTS, payment.id()); // a running job removes itself
        if (outcome instanceof Succeeded succeeded) {
            if (repository.succeed(payment.id(), succeeded.reference())) {
                orders.markPaid(payment.orderId());
                events.publishEvent(
                        new PaymentSucceeded(payment.id(), payment.orderId(), payment.amount(), payment.currency()));
            }
        } else if (outcome instanceof Declined declined
                && repository.fail(payment.id(), declined.reference(), declined.declineCode(), declined.message())) {
            events.publishEvent(new PaymentFailed(
                    payment.id(), payment.orderId(), payment.amount(), payment.currency(), declined.declineCode()));
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
