package dev.mercato.orders;

import java.util.Optional;

/**
 * What moving an order needs from payments, which implements it: no move while money is in flight, and money given
 * back before a paid order is cancelled. The refund calls the payment processor, so it cannot run in the transaction
 * that holds the order's lock; the order is cancelled later, in the transaction that records the refund.
 */
public interface OrderRefunds {

    /**
     * Runs in the transaction that moves the order, with the order locked. Refuses (409) while a payment or a
     * refund of the order is in flight. When a paid order is to be cancelled and money is left to give back,
     * reserves a refund of all of it and returns its id: the order must then not be cancelled here.
     */
    Optional<String> beforeStatusChange(String orderId, String target);

    /**
     * Outside any transaction: makes the refund reserved by {@link #beforeStatusChange}; once it is confirmed, the
     * order is cancelled through {@link OrderService#cancelRefunded} in the transaction that records it. Throws when
     * the refund failed (the order stays paid) or its outcome is unknown (settled later, and the order with it).
     */
    void refundForCancellation(String refundId);
}
