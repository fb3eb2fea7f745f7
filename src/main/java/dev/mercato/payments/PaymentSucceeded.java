package dev.mercato.payments;

import java.math.BigDecimal;

/** The processor took the payment; its order is paid. Published in the transaction that records it. */
public record PaymentSucceeded(String paymentId, String orderId, BigDecimal amount, String currency) {}
