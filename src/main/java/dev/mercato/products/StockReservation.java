package dev.mercato.products;

import java.math.BigDecimal;

/** A quantity taken from a product's stock, with the product's name and price at that moment. */
public record StockReservation(String productId, String name, BigDecimal unitPrice, String currency, int quantity) {

    /** A request to take {@code quantity} of a product. */
    public record Request(String productId, int quantity) {}
}
