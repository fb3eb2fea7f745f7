package dev.mercato.dashboard;

import dev.mercato.logs.LogQuery;
import dev.mercato.logs.StatusRange;
import dev.mercato.shared.PageParams;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The usage page's filters as its GET form sends them, every field a string (so nothing fails to bind and every
 * mistake gets a message of its own), and their checks. Times are UTC, as the page says, in the form's
 * {@code datetime-local} format; a time to the minute ends with that minute.
 */
record UsageFilters(String from, String to, String level, String status, String path, String credential, String page) {

    static final String PAGE = "/dashboard/usage";
    static final int PAGE_SIZE = 50;
    /** Deeper than this, narrowing the filters finds an entry sooner than paging does. */
    static final int MAX_PAGE = 10_000;

    static final int MAX_PATH = 200;

    /**
     * The filters as a query of the access log, confined to {@code visible} credentials ({@code null}: every request).
     * A credential outside them is no error: it has no requests to show, as if it did not exist.
     */
    LogQuery query(Set<String> visible) {
        Instant start = time(from, "from", false);
        Instant end = time(to, "to", true);
        if (start != null && end != null && start.isAfter(end)) {
            throw FormFields.invalid("from", "The 'from' time must not be after the 'to' time.");
        }
        String chosenLevel = blankToNull(level);
        if (chosenLevel != null && !LogQuery.LEVELS.contains(chosenLevel)) {
            throw FormFields.invalid("level", "The level must be one of " + String.join(", ", LogQuery.LEVELS) + ".");
        }
        String part = blankToNull(path);
        if (part != null && part.length() > MAX_PATH) {
            throw FormFields.invalid("path", "The path filter must be at most " + MAX_PATH + " characters.");
        }
        return new LogQuery(start, end, chosenLevel, StatusRange.parse(status, "status"), part, credentials(visible));
    }

    /** The chosen credential if the caller may see it (else none at all), or every visible one. */
    private Set<String> credentials(Set<String> visible) {
        String chosen = blankToNull(credential);
        if (chosen == null) {
            return visible;
        }
        return visible == null || visible.contains(chosen) ? Set.of(chosen) : Set.of();
    }

    /** The page asked for, from 1. */
    int pageNumber() {
        String number = blankToNull(page);
        if (number == null) {
            return 1;
        }
        try {
            int parsed = Integer.parseInt(number);
            if (parsed >= 1 && parsed <= MAX_PAGE) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // said below, as for a number out of range
        }
        throw FormFields.invalid("page", "The page must be a whole number from 1 to " + MAX_PAGE + ".");
    }

    PageParams pageParams() {
        return PageParams.of(PAGE_SIZE, (pageNumber() - 1) * PAGE_SIZE);
    }

    /** Where a page of the table stands among all: its number, how many there are, the links to either side. */
    record Paging(int number, long pages, long total, String previous, String next) {}

    Paging paging(long total) {
        int number = pageNumber();
        long pages = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        return new Paging(
                number,
                pages,
                total,
                number > 1 ? link((int) Math.min(number - 1, pages)) : null,
                number < Math.min(pages, MAX_PAGE) ? link(number + 1) : null);
    }

    /** This page's address with the same filters and another page number, encoded as the form would be. */
    String link(int pageNumber) {
        StringJoiner query = new StringJoiner("&", PAGE + "?", "").setEmptyValue(PAGE);
        param(query, "from", from);
        param(query, "to", to);
        param(query, "level", level);
        param(query, "status", status);
        param(query, "path", path);
        param(query, "credential", credential);
        if (pageNumber > 1) {
            param(query, "page", String.valueOf(pageNumber));
        }
        return query.toString();
    }

    private static void param(StringJoiner query, String name, String value) {
        if (blankToNull(value) != null) {
            query.add(name + "=" + URLEncoder.encode(value.trim(), StandardCharsets.UTF_8));
        }
    }

    /** {@code 2026-12-04T10:30} or {@code 2026-12-04T10:30:15} in UTC; an upper bound to the minute takes it whole. */
    private static Instant time(String value, String name, boolean upperBound) {
        String text = blankToNull(value);
        if (text == null) {
            return null;
        }
        try {
            LocalDateTime time = LocalDateTime.parse(text);
            Instant instant = time.toInstant(ZoneOffset.UTC);
            boolean toTheMinute = text.length() == "2026-12-04T10:30".length();
            return upperBound && toTheMinute
                    ? instant.plus(1, ChronoUnit.MINUTES).minus(1, ChronoUnit.MICROS)
                    : instant;
        } catch (DateTimeParseException notATime) {
            throw FormFields.invalid(
                    name, "The '" + name + "' time must be a date and time (UTC) such as 2026-12-04T10:30.");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
