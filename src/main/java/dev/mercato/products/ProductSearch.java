package dev.mercato.products;

import java.math.BigDecimal;

/**
 * A catalog search: {@code query} is full text over name and description (web-search syntax: words, "a
 * phrase", -excluded, or); every other criterion is optional.
 */
public record ProductSearch(String query, BigDecimal minPrice, BigDecimal maxPrice, String currency, Boolean inStock) {}
