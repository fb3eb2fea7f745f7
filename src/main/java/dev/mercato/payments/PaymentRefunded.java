package dev.mercato.payments;

import java.math.BigDecimal;

/** The processor gave back {@code refundAmount} of a succeeded payment. Published in the transaction that records it. */
public record PaymentRefunded(
        String paymentId,
        String orderId,
        BigDecimal amount,
        String currency,
        String refundId,
        BigDecimal refundAmount) {}
