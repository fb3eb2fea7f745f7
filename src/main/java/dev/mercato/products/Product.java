package dev.mercato.products;

import java.math.BigDecimal;
import java.time.Instant;

/** A catalog entry, shared by both API versions. The price is exact, in the currency's minor-unit precision. */
public record Product(
        String id,
        String name,
        String description,
        BigDecimal price,
        String currency,
        int stock,
        Instant createdAt,
        Instant updatedAt,
        long version) {}
