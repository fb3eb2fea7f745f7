package dev.mercato.payments;

import java.math.BigDecimal;

/**
 * A refund failed: the processor refused it, or (Stripe, days later) failed one it had accepted, and the amount is
 * refundable again. Published in the transaction that recorded it.
 */
public record PaymentRefundFailed(
        String paymentId,
        String orderId,
        BigDecimal amount,
        String currency,
        String refundId,
        BigDecimal refundAmount,
        String failureCode) {}
