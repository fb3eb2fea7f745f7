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
public record Report(
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

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    public static final String JSON = "json";
    public static final String CSV = "csv";

    /** The media type of a download as {@code format}. */
    public static String contentType(String format) {
        return CSV.equals(format) ? "text/csv; charset=UTF-8" : "application/json";
    }

    /** The file name a download as {@code format} is offered under. */
    public String fileName(String format) {
        return type.wireName() + "-" + id + "." + format;
    }

    public boolean isCompleted() {
        return COMPLETED.equals(status);
    }
}
