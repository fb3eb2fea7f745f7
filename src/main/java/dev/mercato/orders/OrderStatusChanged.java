package dev.mercato.orders;

import java.math.BigDecimal;

/**
 * An order moved along its lifecycle to {@code status} ({@code paid}, {@code shipped}, {@code delivered} or
 * {@code cancelled}). Published in the transaction that moved it.
 */
public record OrderStatusChanged(
        String orderId, String userId, BigDecimal totalAmount, String currency, String status) {

    static OrderStatusChanged of(Order order, String status) {
        return new OrderStatusChanged(order.id(), order.userId(), order.totalAmount(), order.currency(), status);
    }
}
