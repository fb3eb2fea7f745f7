package dev.mercato.logs;

import dev.mercato.shared.InvalidRequestException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Filters of the access-log listing, parsed and checked from the query string of either API version. */
record LogQuery(Instant from, Instant to, String level) {

    private static final Set<String> LEVELS = Set.of("info", "warn", "error");

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
