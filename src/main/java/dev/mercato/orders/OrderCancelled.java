package dev.mercato.orders;

/** Published inside the transaction that cancels an order; payments refunds a paid one. */
public record OrderCancelled(String orderId, String previousStatus) {
}
