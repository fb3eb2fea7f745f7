package dev.mercato.products;

import java.math.BigDecimal;

/** The writable fields of a product, for a create or a full replacement. */
public record ProductDraft(String name, String description, BigDecimal price, String currency, int stock) {}
