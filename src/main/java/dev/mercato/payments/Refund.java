package dev.mercato.payments;

import java.math.BigDecimal;
import java.time.Instant;

/** Money given back from a succeeded payment; the refunds of a payment never add up to more than it captured. */
public record Refund(String id, String paymentId, BigDecimal amount, String currency, String reason,
        String processorReference, Instant createdAt) {
}
