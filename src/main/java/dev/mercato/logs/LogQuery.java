package dev.mercato.logs;

import dev.mercato.shared.InvalidRequestException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * Filters of the access log, each {@code null} for none: the API versions' query strings set the time range and the
 * level ({@link #parse}); the dashboard sets them all. The log knows credentials only by id: whoever asks decides
 * which ids a caller may see, and says so in {@code credentialIds}.
 *
 * @param from entries at or after this time
 * @param to entries at or before this time
 * @param level one of {@link #LEVELS}
 * @param status the statuses to keep
 * @param path a part of the request's path, matched as it is (case and all)
 * @param credentialIds only requests made with one of these API keys or OAuth clients (an empty set: no request at
 *     all); {@code null} for every request, with a credential or without
 */
public record LogQuery(
        Instant from, Instant to, String level, StatusRange status, String path, Set<String> credentialIds) {

    public static final List<String> LEVELS = List.of("info", "warn", "error");

    public LogQuery {
        credentialIds = credentialIds == null ? null : Set.copyOf(credentialIds);
    }

    LogQuery(Instant from, Instant to, String level) {
        this(from, to, level, null, null, null);
    }

    /** These filters over another time range. */
    public LogQuery between(Instant from, Instant to) {
        return new LogQuery(from, to, level, status, path, credentialIds);
    }

    /**
     * @param fromName the parameter names as the API version spells them, for error messages
     */
    static LogQuery parse(String from, String fromName, String to, String toName, String level) {
        Instant start = parseTime(from, fromName, false);
        Instant end = parseTime(to, toName, true);
        if (start != null && end != null && start.isAfter(end)) {
            throw InvalidRequestException.parameter(
                    fromName,
                    "The '" + fromName + "' parameter must not be after '" + toName + "'.",
                    fromName + " (datetime)");
        }
        if (level != null && !LEVELS.contains(level)) {
            throw InvalidRequestException.parameter(
                    "level", "The 'level' parameter must be 'info', 'warn' or 'error'.", "level (string)");
        }
        return new LogQuery(start, end, level);
    }

    /** An ISO-8601 date-time with offset, or a plain date (the start of that day, or its end for an upper bound). */
    private static Instant parseTime(String value, String name, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                LocalDate date = LocalDate.parse(value);
                return endOfDay
                        ? date.plusDays(1)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant()
                                .minusNanos(1000)
                        : date.atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw InvalidRequestException.parameter(
                        name,
                        "The '" + name + "' parameter must be an ISO 8601 date-time such as 2023-10-27T14:55:10Z.",
                        name + " (datetime)");
            }
        }
    }
}
