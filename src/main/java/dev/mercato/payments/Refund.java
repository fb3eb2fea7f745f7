package dev.mercato.payments;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Money given back from a succeeded payment. {@code pending} while the processor's answer is not known; at most one
 * refund of a payment is pending, and its succeeded refunds never add up to more than it captured.
 */
public record Refund(
        String id,
        String paymentId,
        BigDecimal amount,
        String currency,
        String reason,
        String status,
        String failureCode,
        String failureMessage,
        String processorReference,
        boolean cancelsOrder,
        int attempts,
        Instant createdAt,
        Instant updatedAt) {

    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
}
