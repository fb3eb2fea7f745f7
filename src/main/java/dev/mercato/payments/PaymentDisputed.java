package dev.mercato.payments;

import java.math.BigDecimal;
import java.util.Set;

/**
 * The card holder disputed a payment (a chargeback): the processor holds {@code amount} back until the dispute is
 * decided. Published in the transaction that recorded it.
 */
public record PaymentDisputed(
        String paymentId, String orderId, BigDecimal amount, String currency, String reason, String status) {

    /** The statuses of a decided dispute (Stripe's): the merchant won or lost it, or an inquiry was closed. */
    static final Set<String> CLOSED = Set.of("won", "lost", "warning_closed");
}
