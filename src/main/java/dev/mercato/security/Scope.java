package dev.mercato.security;

import dev.mercato.shared.InvalidRequestException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The permissions a credential can hold. {@code admin} includes every other scope. */
public enum Scope {
    USERS_READ("users:read", "Read users and their profiles."),
    USERS_WRITE("users:write", "Create, change and delete users, and set their passwords."),
    PRODUCTS_READ("products:read", "Read and search the product catalog."),
    PRODUCTS_WRITE("products:write", "Create, change and delete products, and change their stock."),
    ORDERS_READ("orders:read", "Read orders."),
    ORDERS_WRITE("orders:write", "Place, change and cancel orders."),
    PAYMENTS_WRITE("payments:write", "Take payments for orders and refund them."),
    NOTIFICATIONS_WRITE("notifications:write", "Send notifications (email, SMS, push) and read them."),
    LOGS_READ("logs:read", "Read the API access log."),
    REPORTS_READ("reports:read", "Read generated reports and download them."),
    REPORTS_WRITE("reports:write", "Generate reports."),
    INTEGRATIONS_READ("integrations:read", "Read integrations and webhook subscriptions."),
    INTEGRATIONS_WRITE("integrations:write", "Configure integrations and webhook subscriptions."),
    METRICS_READ("metrics:read", "Read the server's metrics (/metrics, Prometheus format)."),
    ADMIN("admin", "Everything, including managing credentials: every other scope and more.");

    private final String value;
    private final String description;

    Scope(String value, String description) {
        this.value = value;
        this.description = description;
    }

    public String value() {
        return value;
    }

    /** What the scope allows, in a sentence, for people choosing scopes. */
    public String description() {
        return description;
    }

    public static Optional<Scope> parse(String value) {
        return Arrays.stream(values())
                .filter(scope -> scope.value.equals(value))
                .findFirst();
    }

    /** The scopes a credential is created with; 400 naming the first unknown one. */
    public static Set<Scope> parseAll(List<String> values) {
        Set<Scope> parsed = EnumSet.noneOf(Scope.class);
        for (String value : values) {
            parsed.add(parse(value)
                    .orElseThrow(() -> new InvalidRequestException(
                            "INVALID_PARAMETER", "Unknown scope '" + value + "'.", "scopes (array)")));
        }
        return parsed;
    }

    @Override
    public String toString() {
        return value;
    }
}
