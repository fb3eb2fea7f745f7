package dev.mercato.payments;

import java.math.BigDecimal;

/**
 * Where charges and refunds really happen. Every call carries our own idempotency key, so calling again
 * after a timeout or a crash returns the first outcome instead of charging twice.
 */
public interface PaymentProcessor {

    /** The name stored on each payment, as in {@code mercato.payments.processor}. */
    String name();

    /**
     * Charges {@code charge.amount()} to the payment method.
     *
     * @return the outcome when the processor gave one
     * @throws ProcessorUnavailableException when the outcome is unknown (timeout, outage, unreadable reply)
     */
    ChargeOutcome charge(Charge charge);

    /**
     * Refunds part or all of a successful charge.
     *
     * @return the processor's reference for the refund
     * @throws ProcessorUnavailableException when the refund could not be confirmed
     */
    String refund(RefundRequest refund);

    /** A charge; {@code idempotencyKey} is the payment's id. */
    record Charge(String idempotencyKey, String orderId, BigDecimal amount, String currency, String paymentMethodId) {
    }

    record RefundRequest(String idempotencyKey, String paymentId, String chargeReference, BigDecimal amount,
            String currency) {
    }

    sealed interface ChargeOutcome {
    }

    record Succeeded(String reference) implements ChargeOutcome {
    }

    /** The processor refused the charge; {@code declineCode} is its reason, such as {@code insufficient_funds}. */
    record Declined(String reference, String declineCode, String message) implements ChargeOutcome {
    }

    /** The processor could not be reached or gave no usable answer; whether money moved is unknown. */
    class ProcessorUnavailableException extends RuntimeException {

        public ProcessorUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
