package dev.mercato.security;

import dev.mercato.shared.InvalidRequestException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The permissions a credential can hold. {@code admin} includes every other scope. */
public enum Scope {
    USERS_READ("users:read"),
    USERS_WRITE("users:write"),
    PRODUCTS_READ("products:read"),
    PRODUCTS_WRITE("products:write"),
    ORDERS_READ("orders:read"),
    ORDERS_WRITE("orders:write"),
    PAYMENTS_WRITE("payments:write"),
    NOTIFICATIONS_WRITE("notifications:write"),
    LOGS_READ("logs:read"),
    REPORTS_READ("reports:read"),
    REPORTS_WRITE("reports:write"),
    INTEGRATIONS_READ("integrations:read"),
    INTEGRATIONS_WRITE("integrations:write"),
    ADMIN("admin");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
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
