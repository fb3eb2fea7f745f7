package dev.mercato.payments;

import java.math.BigDecimal;

/** The processor declined the payment ({@code declineCode}); the order stays payable. */
public record PaymentFailed(String paymentId, String orderId, BigDecimal amount, String currency, String declineCode) {}
