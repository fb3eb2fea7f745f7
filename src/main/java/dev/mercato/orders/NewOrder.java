package dev.mercato.orders;

import java.util.List;

/** What a client asks for: a user, product quantities and a shipping address. */
public record NewOrder(String userId, List<Item> items, Order.ShippingAddress shippingAddress) {

    public record Item(String productId, int quantity) {}
}
