package dev.mercato.payments;

import dev.mercato.idempotency.IdempotencyProperties;
import dev.mercato.jobs.Jobs;
import dev.mercato.orders.Order;
import dev.mercato.orders.OrderRefunds;
import dev.mercato.orders.OrderService;
import dev.mercato.payments.PaymentProcessor.Declined;
import dev.mercato.payments.PaymentProcessor.Outcome;
import dev.mercato.payments.PaymentProcessor.RefundRequest;
import dev.mercato.payments.PaymentProcessor.Succeeded;
import dev.mercato.payments.PaymentProcessor.Unknown;
import dev.mercato.security.Caller;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.Ids;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.Money;
import dev.mercato.shared.NotFoundException;
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
 * Gives money back in two steps, as payments take it: the refund is written as {@code pending} while the payment is
 * locked (one pending refund per payment, so refunds never add up to more than was captured) and committed; the
 * processor that took the payment is called outside any transaction, with the refund's id as its idempotency key;
 * the outcome is written afterwards. An unknown outcome leaves the refund pending for its reconciliation job
 * ({@link PaymentReconciler}), queued with the refund.
 * No connection or row lock is held while a processor answers, however slowly.
 */
@Service
class RefundService implements OrderRefunds {

    private static final Logger log = LoggerFactory.getLogger(RefundService.class);

    private final RefundRepository refunds;
    private final PaymentRepository payments;
    private final PaymentService paymentService;
    private final PaymentProcessors processors;
    private final OrderService orders;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final Jobs jobs;
    private final Clock clock;
    private final Duration retryDelay;
    private final Duration keyRetention;

    RefundService(
            RefundRepository refunds,
            PaymentRepository payments,
            PaymentService paymentService,
            PaymentProcessors processors,
            OrderService orders,
            ApplicationEventPublisher events,
            TransactionTemplate transaction,
            Jobs jobs,
            Clock clock,
            PaymentsProperties properties,
            IdempotencyProperties idempotency) {
        this.refunds = refunds;
        this.payments = payments;
        this.paymentService = paymentService;
        this.processors = processors;
        this.orders = orders;
        this.events = events;
        this.transaction = transaction;
        this.jobs = jobs;
        this.clock = clock;
        this.retryDelay = properties.retryDelay();
        this.keyRetention = idempotency.retention();
    }

    /**
     * Refunds {@code amount} of a succeeded payment, or all that is left of it when {@code amount} is null. A merchant
     * operation: a token a user authorized may cancel the user's order (which refunds it) but not refund. A retry
     * under the {@code Idempotency-Key} of a request answered 502 is answered with the refund it started.
     */
    Refund refund(Caller caller, String paymentId, BigDecimal amount, String reason, RequestKey key) {
        paymentService.get(caller, paymentId);
        if (caller.actingUser().isPresent()) {
            throw new ForbiddenException(
                    "FORBIDDEN",
                    "A token authorized by a user cannot refund "
                            + "payments; refunds are the shop's. Cancelling the order refunds its payment.",
                    paymentId);
        }
        return attempt(transaction.execute(status -> start(paymentId, amount, reason, key)));
    }

    List<Refund> refundsOf(Payment payment) {
        return refunds.refundsOf(payment.id());
    }

    @Override
    public Optional<String> beforeStatusChange(String orderId, String target) {
        Optional<Payment> live = payments.findLive(orderId);
        if (live.isEmpty()) {
            return Optional.empty();
        }
        Payment payment = live.get();
        if (Payment.PROCESSING.equals(payment.status())) {
            throw new ConflictException(
                            "PAYMENT_IN_PROGRESS",
                            "Payment '" + payment.id() + "' of this order is "
                                    + "being processed; the order can be changed once its outcome is known.",
                            payment.id())
                    .retryAfter(retryDelay);
        }
        // A refund in flight, whoever asked for it, holds the order where it is until its outcome is known.
        refunds.findPending(payment.id()).ifPresent(pending -> {
            throw inProgress(pending);
        });
        if (!Order.CANCELLED.equals(target) || payment.refundable().signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(
                reserve(payments.findByIdForUpdate(payment.id()).orElseThrow(), null, "order_cancelled", null, true)
                        .id());
    }

    @Override
    public void refundForCancellation(String refundId) {
        attempt(refunds.findById(refundId).orElseThrow());
    }

    /**
     * The refund's reconciliation job: asks the processor again about it, and returns how long to wait before the next
     * attempt, empty once the refund is settled (see {@link PaymentService#reconcile}).
     */
    Optional<Duration> reconcile(String refundId) {
        Optional<Refund> open = refunds.findById(refundId).filter(r -> Refund.PENDING.equals(r.status()));
        if (open.isEmpty()) {
            return Optional.empty();
        }
        if (!processors.has(payments.findById(open.get().paymentId()).orElseThrow())) {
            return Optional.of(retryDelay); // left to the servers that have the processor
        }
        return refunds.countAttempt(refundId)
                .flatMap(refund -> PaymentReconciler.attemptOnce(
                        "Refund", refundId, refund.attempts(), retryDelay, () -> attempt(refund)));
    }

    private Refund start(String paymentId, BigDecimal amount, String reason, RequestKey key) {
        Payment payment =
                payments.findByIdForUpdate(paymentId).orElseThrow(() -> new NotFoundException("payment", paymentId));
        Optional<Refund> earlier =
                key == null ? Optional.empty() : refunds.findByRequestKey(key, now().minus(keyRetention));
        if (earlier.isEmpty()) {
            return reserve(payment, amount, reason, key, false);
        }
        Refund refund = earlier.get();
        if (!refund.paymentId().equals(paymentId)
                || amount != null && refund.amount().compareTo(amount) != 0) {
            throw new RequestMismatchException(
                    "IDEMPOTENCY_KEY_REUSED",
                    "This Idempotency-Key "
                            + "was already used for a different refund; use a new key for a new request.",
                    "Idempotency-Key");
        }
        if (!Refund.PENDING.equals(refund.status())) {
            return refund; // settled since the request was answered 502: answered as it stands
        }
        // Asked about in its job's place only when the job is due and not running (see PaymentService.start).
        if (!jobs.takeDue(PaymentReconciler.REFUNDS, refund.id(), now().plus(retryDelay))) {
            throw inProgress(refund);
        }
        return refunds.countAttempt(refund.id()).orElseThrow();
    }

    /** Writes a pending refund of {@code amount} (all that is left when null); the payment is locked. */
    private Refund reserve(Payment payment, BigDecimal amount, String reason, RequestKey key, boolean cancelsOrder) {
        String paymentId = payment.id();
        if (amount != null
                && !Money.fitsPrecision(
                        amount, Money.currency(payment.currency()).orElseThrow())) {
            throw InvalidRequestException.parameter(
                    "amount",
                    "The 'amount' has more decimals than " + payment.currency() + " allows.",
                    "amount (number)");
        }
        if (!Payment.SUCCEEDED.equals(payment.status())) {
            throw new ConflictException(
                    "PAYMENT_NOT_REFUNDABLE",
                    "Only a succeeded payment can be refunded; '" + paymentId + "' is " + payment.status() + ".",
                    paymentId);
        }
        refunds.findPending(paymentId).ifPresent(pending -> {
            throw inProgress(pending);
        });
        BigDecimal refundable = payment.refundable();
        BigDecimal value = Money.normalize(amount == null ? refundable : amount, payment.currency());
        if (refundable.signum() == 0) {
            throw new ConflictException(
                    "PAYMENT_FULLY_REFUNDED",
                    "Payment '" + paymentId + "' has already been refunded in full.",
                    paymentId);
        }
        if (value.compareTo(refundable) > 0) {
            throw new ConflictException(
                    "REFUND_EXCEEDS_CAPTURED",
                    "At most " + refundable.toPlainString() + " " + payment.currency() + " of payment '" + paymentId
                            + "' can still be refunded.",
                    "amount (number)");
        }
        processors.of(payment); // refused before anything is written when this server lacks the processor
        Instant now = now();
        Refund refund = new Refund(
                Ids.generate("re"),
                paymentId,
                value,
                payment.currency(),
                reason,
                Refund.PENDING,
                null,
                null,
                null,
                cancelsOrder,
                1,
                now,
                now);
        refunds.insert(refund, key);
        // Queued with the refund, due only after the call that follows has ended (see PaymentService.start).
        jobs.schedule(PaymentReconciler.REFUNDS, refund.id(), now.plus(retryDelay));
        return refund;
    }

    /**
     * Settles a refund from what the processor reported on its own (a Stripe event), in the caller's transaction: a
     * pending refund takes the outcome as a reconciliation would; a succeeded one that the processor failed after all
     * becomes failed, and its amount refundable again. An order its refund cancelled stays cancelled.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void settleReported(String refundId, Outcome outcome) {
        Refund refund = refunds.findById(refundId).orElseThrow();
        Payment payment = payments.findByIdForUpdate(refund.paymentId()).orElseThrow();
        if (Refund.PENDING.equals(refund.status())) {
            record(refund, payment, outcome);
        } else if (outcome instanceof Declined declined
                && refunds.failAfterSuccess(refund.id(), declined.declineCode(), declined.message())) {
            payments.addRefunded(payment.id(), refund.amount().negate());
            events.publishEvent(failed(refund, payment, declined));
            log.warn(
                    "Refund {} of payment {} failed at the processor after it was accepted: {}",
                    refund.id(),
                    payment.id(),
                    declined.declineCode());
        }
    }

    private static PaymentRefundFailed failed(Refund refund, Payment payment, Declined declined) {
        return new PaymentRefundFailed(
                payment.id(),
                payment.orderId(),
                payment.amount(),
                payment.currency(),
                refund.id(),
                refund.amount(),
                declined.declineCode());
    }

    /** One call to the processor about a pending refund (a settled one is answered as it stands). */
    private Refund attempt(Refund refund) {
        if (!Refund.PENDING.equals(refund.status())) {
            return answer(refund);
        }
        Payment payment = payments.findById(refund.paymentId()).orElseThrow();
        PaymentProcessor processor = processors.of(payment);
        RefundRequest request = RefundRequest.of(refund, payment);
        Outcome outcome = refund.attempts() == 1 ? processor.refund(request) : processor.recheckRefund(request);
        if (outcome instanceof Unknown unknown) {
            log.warn("Refund {} attempt {}: outcome unknown: {}", refund.id(), refund.attempts(), unknown.message());
            Instant retryAt = now().plus(PaymentReconciler.backoff(retryDelay, refund.attempts()));
            transaction.executeWithoutResult(status -> {
                refunds.postpone(refund.id(), unknown.reference(), unknown.message());
                jobs.reschedule(PaymentReconciler.REFUNDS, refund.id(), retryAt); // its own run reschedules itself
            });
            throw new UpstreamUnavailableException(
                            "PAYMENT_PROCESSOR_UNAVAILABLE",
                            "The payment processor "
                                    + "did not confirm refund '" + refund.id()
                                    + "', so its outcome is not known yet. It is checked "
                                    + "again automatically; list the payment's refunds to follow it.",
                            refund.id())
                    .retryAfter(retryDelay);
        }
        transaction.executeWithoutResult(status -> record(refund, payment, outcome));
        return answer(refunds.findById(refund.id()).orElseThrow());
    }

    private void record(Refund refund, Payment payment, Outcome outcome) {
        payments.findByIdForUpdate(payment.id()); // the payment first, in the same order as reserving locks
        jobs.cancel(PaymentReconciler.REFUNDS, refund.id()); // a running job removes itself
        if (outcome instanceof Succeeded succeeded && refunds.succeed(refund.id(), succeeded.reference())) {
            payments.addRefunded(payment.id(), refund.amount());
            events.publishEvent(new PaymentRefunded(
                    payment.id(),
                    payment.orderId(),
                    payment.amount(),
                    payment.currency(),
                    refund.id(),
                    refund.amount()));
            if (refund.cancelsOrder()) {
                orders.cancelRefunded(payment.orderId());
            }
        } else if (outcome instanceof Declined declined
                && refunds.fail(refund.id(), declined.reference(), declined.declineCode(), declined.message())) {
            events.publishEvent(failed(refund, payment, declined));
        }
    }

    /** A settled refund as its request is answered: itself when it succeeded, 409 when it failed. */
    private static Refund answer(Refund refund) {
        if (Refund.FAILED.equals(refund.status())) {
            throw new ConflictException(
                    "REFUND_FAILED",
                    refund.failureMessage() + " Nothing was refunded of payment '"
                            + refund.paymentId() + "'; refund '" + refund.id() + "' was recorded as failed ("
                            + refund.failureCode() + ").",
                    refund.failureCode());
        }
        return refund;
    }

    private DomainException inProgress(Refund pending) {
        return new ConflictException(
                        "REFUND_IN_PROGRESS",
                        "Refund '" + pending.id() + "' of payment '" + pending.paymentId()
                                + "' is being made; its outcome is not known yet.",
                        pending.id())
                .retryAfter(retryDelay);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
