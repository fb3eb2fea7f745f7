package dev.mercato.payments;

import java.math.BigDecimal;

/** A payment's dispute was decided: {@code status} says how (won, lost). Published in the recording transaction. */
public record PaymentDisputeClosed(
        String paymentId, String orderId, BigDecimal amount, String currency, String reason, String status) {}
