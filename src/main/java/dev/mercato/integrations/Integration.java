package dev.mercato.integrations;

import java.time.Instant;
import java.util.Map;

/**
 * An integration as the API shows it. {@code settings} holds the non-secret settings it runs with (stored over
 * configured) and, for each secret, only whether it is set ({@code <name>_set}). {@code status} is {@code active},
 * {@code not_configured}, or {@code error} (configured, but its secrets cannot be read or its last test failed),
 * with {@code statusReason} saying why when it is not active. {@code version} counts the changes made through the
 * API (0 before the first), for the ETag. {@code updatedAt} is null while it runs on server configuration alone.
 */
public record Integration(
        String id,
        String name,
        String category,
        String status,
        String statusReason,
        Map<String, Object> settings,
        Instant updatedAt,
        LastTest lastTest,
        long version) {

    static final String ACTIVE = "active";
    static final String NOT_CONFIGURED = "not_configured";
    static final String ERROR = "error";

    public record LastTest(Instant at, boolean ok, String error) {}

    /** Whether {@code POST /v2/integrations/{id}/test} can test it: all but webhooks (test a subscription). */
    public boolean testable() {
        return !Catalogue.WEBHOOKS.equals(id);
    }

    /**
     * What a test sends to: {@code email} (smtp), {@code phone} (sms, E.164), {@code user_id} (push); null for the
     * payment processors, whose test sends nothing.
     */
    public String testTarget() {
        return TestTargets.kind(id);
    }

    Integration withVersion(long newVersion) {
        return new Integration(id, name, category, status, statusReason, settings, updatedAt, lastTest, newVersion);
    }
}
