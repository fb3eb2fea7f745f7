package dev.mercato.orders;

import java.math.BigDecimal;

/** An order was placed (and its stock reserved). Published in the transaction that placed it. */
public record OrderPlaced(String orderId, String userId, BigDecimal totalAmount, String currency) {}
