package dev.mercato.payments;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A charge attempt against an order. {@code processing} means the processor's answer is not known yet;
 * at most one payment per order is processing or succeeded (a unique index holds that).
 */
public record Payment(
        String id,
        String orderId,
        BigDecimal amount,
        String currency,
        String status,
        String paymentMethodId,
        String processor,
        String processorReference,
        String declineCode,
        String failureMessage,
        BigDecimal refundedAmount,
        int attempts,
        Instant createdAt,
        Instant updatedAt,
        Dispute dispute) {

    /**
     * A dispute (chargeback) the card holder opened against the payment, as the processor reports it; null when none.
     *
     * @param status the processor's: needs_response, under_review, won, lost, or warning_* for an inquiry
     * @param reason the processor's: fraudulent, product_not_received, duplicate, ...
     */
    public record Dispute(String id, String status, String reason, BigDecimal amount) {}

    public static final String PROCESSING = "processing";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public BigDecimal refundable() {
        return SUCCEEDED.equals(status) ? amount.subtract(refundedAmount) : BigDecimal.ZERO;
    }
}
