package dev.mercato.payments;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.net.Webhook;
import dev.mercato.payments.PaymentProcessor.Outcome;
import dev.mercato.shared.Batches;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.InvalidRequestException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stripe's events, sent to {@code /webhooks/stripe}: what Stripe decides after the API call. Each is checked against
 * the endpoint's signing secret, acted on once (its id is noted in the transaction that acts on it), and settles
 * Mercato's records the way an answer to a call would: a payment or refund whose outcome was unknown, a refund that
 * fails days after Stripe accepted it, a dispute. Events about objects Mercato does not know are acknowledged and
 * left alone. The reconciliation jobs stay as the safety net for events that never arrive.
 */
@Service
class StripeEvents {

    private static final Logger log = LoggerFactory.getLogger(StripeEvents.class);

    /** Stripe retries an event for up to three days; kept a while longer, then purged. */
    private static final Duration KEPT = Duration.ofDays(30);

    private static final int PURGE_BATCH = 1000;

    private final StripeEventLog seen;
    private final PaymentRepository paymentRecords;
    private final RefundRepository refundRecords;
    private final PaymentService payments;
    private final RefundService refunds;
    private final TransactionTemplate transaction;
    private final PaymentsProperties.Stripe settings;
    private final Clock clock;

    StripeEvents(
            StripeEventLog seen,
            PaymentRepository paymentRecords,
            RefundRepository refundRecords,
            PaymentService payments,
            RefundService refunds,
            TransactionTemplate transaction,
            PaymentsProperties properties,
            Clock clock) {
        this.seen = seen;
        this.paymentRecords = paymentRecords;
        this.refundRecords = refundRecords;
        this.payments = payments;
        this.refunds = refunds;
        this.transaction = transaction;
        this.settings = properties.stripe();
        this.clock = clock;
    }

    /**
     * Acts on one event, given as the raw body Stripe signed and its {@code Stripe-Signature} header; 400 when the
     * signature is missing, wrong or too old. Returns whether it was acted on (false when seen before).
     */
    boolean receive(String payload, String signature) {
        Event event = verified(payload, signature);
        Boolean acted = transaction.execute(status -> {
            if (!seen.firstTime(event.getId(), event.getType())) {
                return false;
            }
            act(event);
            return true;
        });
        return Boolean.TRUE.equals(acted);
    }

    private Event verified(String payload, String signature) {
        if (settings.webhookSecret().isBlank()) {
            throw new ConflictException(
                    "STRIPE_WEBHOOKS_NOT_CONFIGURED",
                    "This server takes no Stripe events: set mercato.payments.stripe.webhook-secret to the endpoint's "
                            + "signing secret (whsec_...).",
                    "mercato.payments.stripe.webhook-secret");
        }
        if (signature == null || signature.isBlank()) {
            throw invalidSignature("The Stripe-Signature header is missing.");
        }
        try {
            return Webhook.constructEvent(
                    payload,
                    signature,
                    settings.webhookSecret(),
                    settings.webhookTolerance().toSeconds());
        } catch (SignatureVerificationException e) {
            throw invalidSignature("The Stripe-Signature header does not match the body, or is older than "
                    + settings.webhookTolerance().toSeconds() + " s: " + e.getMessage());
        } catch (RuntimeException e) { // gson's JsonSyntaxException and the like: not JSON, not an event
            throw new InvalidRequestException("MALFORMED_JSON", "The event is not a Stripe event in JSON.", "body");
        }
    }

    private static InvalidRequestException invalidSignature(String message) {
        return new InvalidRequestException("INVALID_SIGNATURE", message, "Stripe-Signature");
    }

    private void act(Event event) {
        Optional<StripeObject> object = object(event);
        if (object.isEmpty()) {
            return;
        }
        switch (event.getType()) {
            case "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled" ->
                onIntent((PaymentIntent) object.get());
            case "refund.created", "refund.updated", "refund.failed", "charge.refund.updated" ->
                onRefund((Refund) object.get());
            case "charge.dispute.created",
                    "charge.dispute.updated",
                    "charge.dispute.closed",
                    "charge.dispute.funds_withdrawn",
                    "charge.dispute.funds_reinstated" -> onDispute((Dispute) object.get());
            default -> log.debug("Stripe event {} of type {} acknowledged, not used", event.getId(), event.getType());
        }
    }

    /** The event's object, read whatever API version it was sent in; empty (and logged) when it cannot be read. */
    private static Optional<StripeObject> object(Event event) {
        try {
            return Optional.of(event.getDataObjectDeserializer().deserializeUnsafe());
        } catch (EventDataObjectDeserializationException | RuntimeException e) {
            log.warn(
                    "Stripe event {} ({}) has an object this server cannot read: {}",
                    event.getId(),
                    event.getType(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    private void onIntent(PaymentIntent intent) {
        Optional<Outcome> outcome = StripePaymentProcessor.reported(intent);
        Optional<Payment> payment = Optional.ofNullable(intent.getMetadata())
                .map(metadata -> metadata.get(StripePaymentProcessor.PAYMENT_ID))
                .flatMap(paymentRecords::findById)
                .or(() -> paymentRecords.findByReference("stripe", intent.getId()));
        if (outcome.isPresent() && payment.isPresent()) {
            payments.settleReported(payment.get().id(), outcome.get());
        }
    }

    private void onRefund(Refund refund) {
        Optional<Outcome> outcome = StripePaymentProcessor.reported(refund);
        Optional<dev.mercato.payments.Refund> ours = Optional.ofNullable(refund.getMetadata())
                .map(metadata -> metadata.get(StripePaymentProcessor.REFUND_ID))
                .flatMap(refundRecords::findById)
                .or(() -> refundRecords.findByReference(refund.getId()));
        if (outcome.isPresent() && ours.isPresent()) {
            refunds.settleReported(ours.get().id(), outcome.get());
        }
    }

    private void onDispute(Dispute dispute) {
        if (dispute.getPaymentIntent() == null) {
            return;
        }
        paymentRecords
                .findByReference("stripe", dispute.getPaymentIntent())
                .ifPresent(payment -> payments.recordDispute(
                        payment,
                        new Payment.Dispute(
                                dispute.getId(),
                                dispute.getStatus(),
                                dispute.getReason(),
                                StripePaymentProcessor.fromStripeAmount(
                                        dispute.getAmount() == null ? 0 : dispute.getAmount(), payment.currency()))));
    }

    @Scheduled(initialDelay = 1, fixedDelay = 1, timeUnit = java.util.concurrent.TimeUnit.HOURS)
    void purge() {
        int purged = Batches.untilDone(
                PURGE_BATCH, () -> seen.deleteOlderThan(clock.instant().minus(KEPT), PURGE_BATCH));
        if (purged > 0) {
            log.info("Purged {} Stripe events received more than {} ago", purged, KEPT);
        }
    }
}
