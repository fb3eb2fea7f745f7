package dev.mercato.reports;

import java.time.Instant;
import java.util.Map;

/**
 * A report asked for: its type and parameters, and how its generation stands.
 *
 * @param parameters every parameter, defaults filled in, in the type's order
 * @param rowCount the rows of a completed report, else null
 * @param error why a failed report failed, else null
 * @param generatedAt when its figures were read from the database
 * @param completedAt when it completed or failed
 * @param expiresAt when it and its rows are purged
 */
record Report(
        String id,
        ReportType type,
        Map<String, Object> parameters,
        String format,
        String status,
        Integer rowCount,
        String error,
        String createdBy,
        Instant createdAt,
        Instant startedAt,
        Instant generatedAt,
        Instant completedAt,
        Instant updatedAt,
        Instant expiresAt) {

    static final String PENDING = "pending";
    static final String RUNNING = "running";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";

    static final String JSON = "json";
    static final String CSV = "csv";

    boolean isCompleted() {
        return COMPLETED.equals(status);
    }
}
