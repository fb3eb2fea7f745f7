package dev.mercato.orders;

import dev.mercato.shared.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An order, shared by both API versions. Its total is computed by the server from the lines' price snapshots. */
public record Order(
        String id,
        String userId,
        String status,
        List<Line> lines,
        BigDecimal totalAmount,
        String currency,
        ShippingAddress shippingAddress,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public static final String PENDING = "pending";
    public static final String PAID = "paid";
    public static final String SHIPPED = "shipped";
    public static final String DELIVERED = "delivered";
    public static final String CANCELLED = "cancelled";
    public static final List<String> STATUSES = List.of(PENDING, PAID, SHIPPED, DELIVERED, CANCELLED);

    /** The lifecycle: pending -> paid -> shipped -> delivered, and pending|paid -> cancelled. */
    private static final Map<String, Set<String>> NEXT = Map.of(
            PENDING, Set.of(PAID, CANCELLED),
            PAID, Set.of(SHIPPED, CANCELLED),
            SHIPPED, Set.of(DELIVERED),
            DELIVERED, Set.of(),
            CANCELLED, Set.of());

    /** One product line; name and unit price as they were when the order was placed. */
    public record Line(
            String productId, String productName, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {}

    public record ShippingAddress(String street, String city, String zipCode, String country) {}

    public boolean canBecome(String target) {
        return NEXT.getOrDefault(status, Set.of()).contains(target);
    }

    /** Amounts with the currency's precision ({@code 25.00}, not the stored {@code 25.0000}), as the API shows them. */
    Order inCurrencyPrecision() {
        return new Order(
                id,
                userId,
                status,
                lines.stream()
                        .map(line -> new Line(
                                line.productId(),
                                line.productName(),
                                line.quantity(),
                                Money.normalize(line.unitPrice(), currency),
                                Money.normalize(line.lineTotal(), currency)))
                        .toList(),
                Money.normalize(totalAmount, currency),
                currency,
                shippingAddress,
                createdAt,
                updatedAt,
                version);
    }

    Order withLines(List<Line> lines) {
        return new Order(
                id, userId, status, lines, totalAmount, currency, shippingAddress, createdAt, updatedAt, version);
    }
}
