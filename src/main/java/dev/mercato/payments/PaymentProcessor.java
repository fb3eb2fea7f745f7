package dev.mercato.payments;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Where charges and refunds really happen. Every call carries our own idempotency key, and an outcome the processor
 * did not give ({@link Unknown}) is settled by asking again through {@link #recheck}, which must never charge twice:
 * a processor that replays its first answer to a repeated key (as Stripe does, even a 500) is asked about the charge
 * itself instead.
 */
public interface PaymentProcessor {

    /** The name stored on each payment, as in {@code mercato.payments.processor}. */
    String name();

    /** The first call for a payment: charges {@code charge.amount()} to the payment method. */
    Outcome charge(Charge charge);

    /**
     * Learns what became of a charge whose outcome is unknown, from what earlier calls learnt
     * ({@code charge.reference()}); never starts a second charge.
     */
    Outcome recheck(Charge charge);

    /**
     * The outcome stayed unknown too long: stops the charge from going through (cancels it at the processor) and
     * answers {@link Declined} only once nothing can be charged any more; {@link Succeeded} if it turns out it was;
     * {@link Unknown} while neither can be established, to be asked again later.
     */
    Outcome abandon(Charge charge);

    /**
     * The first call for a refund of part or all of a successful charge: {@link Succeeded} once the processor
     * accepted it, {@link Declined} when it refused or the refund failed (nothing was given back), {@link Unknown}
     * when it did not say.
     */
    Outcome refund(RefundRequest refund);

    /**
     * Learns what became of a refund whose outcome is unknown, never refunding twice; {@link Declined} only once it
     * is certain that nothing was refunded.
     */
    Outcome recheckRefund(RefundRequest refund);

    /**
     * A charge; {@code idempotencyKey} is the payment's id, {@code reference} the processor's id for the charge once
     * an answer carried it, {@code lastAttemptAt} when the previous call about it ended.
     */
    record Charge(
            String idempotencyKey,
            String orderId,
            BigDecimal amount,
            String currency,
            String paymentMethodId,
            String reference,
            Instant createdAt,
            Instant lastAttemptAt) {

        static Charge of(Payment payment) {
            return new Charge(
                    payment.id(),
                    payment.orderId(),
                    payment.amount(),
                    payment.currency(),
                    payment.paymentMethodId(),
                    payment.processorReference(),
                    payment.createdAt(),
                    payment.updatedAt());
        }
    }

    /**
     * A refund; {@code idempotencyKey} is the refund's id, {@code reference} the processor's id for the refund once an
     * answer carried it, {@code lastAttemptAt} when the previous call about it ended.
     */
    record RefundRequest(
            String idempotencyKey,
            String paymentId,
            String chargeReference,
            BigDecimal amount,
            String currency,
            String reference,
            Instant createdAt,
            Instant lastAttemptAt) {

        static RefundRequest of(Refund refund, Payment payment) {
            return new RefundRequest(
                    refund.id(),
                    payment.id(),
                    payment.processorReference(),
                    refund.amount(),
                    refund.currency(),
                    refund.processorReference(),
                    refund.createdAt(),
                    refund.updatedAt());
        }
    }

    sealed interface Outcome {

        /** The processor's id for the charge or refund, when an answer carried one. */
        String reference();
    }

    record Succeeded(String reference) implements Outcome {}

    /** The processor refused; {@code declineCode} is its reason, such as {@code insufficient_funds}. */
    record Declined(String reference, String declineCode, String message) implements Outcome {}

    /** The processor could not be reached or gave no usable or no final answer: whether money moved is unknown. */
    record Unknown(String reference, String message) implements Outcome {}
}
