package dev.mercato.reports;

import java.util.List;

/**
 * A parameter a report type takes, as {@code GET /v2/reports} lists it.
 *
 * @param name its name in a request's {@code parameters}
 * @param kind what its value is
 * @param required whether a request must give it; an optional one without a default is simply not applied
 * @param defaultValue the value it takes when not given, or null
 * @param allowedValues the only values it takes, or empty for any of its kind
 * @param minimum the least value of an integer, or null
 * @param maximum the greatest value of an integer, or null
 */
public record ReportParameter(
        String name,
        Kind kind,
        String description,
        boolean required,
        Object defaultValue,
        List<String> allowedValues,
        Integer minimum,
        Integer maximum) {

    public enum Kind {
        /** An ISO 8601 calendar date, {@code 2025-01-31}. */
        DATE("date"),
        /** An IANA time zone name, {@code Europe/Berlin}. */
        TIME_ZONE("string"),
        /** An ISO 4217 currency code, {@code EUR}. */
        CURRENCY("string"),
        INTEGER("integer"),
        STRING("string");

        private final String wireType;

        Kind(String wireType) {
            this.wireType = wireType;
        }

        /** The JSON type a request gives it as ({@code date} is a string in ISO 8601 form). */
        public String wireType() {
            return wireType;
        }
    }

    static ReportParameter required(String name, Kind kind, String description) {
        return new ReportParameter(name, kind, description, true, null, List.of(), null, null);
    }

    static ReportParameter optional(String name, Kind kind, String description) {
        return new ReportParameter(name, kind, description, false, null, List.of(), null, null);
    }

    static ReportParameter choice(String name, String description, String defaultValue, String... allowed) {
        return new ReportParameter(name, Kind.STRING, description, false, defaultValue, List.of(allowed), null, null);
    }

    static ReportParameter integer(String name, String description, int defaultValue, int minimum, int maximum) {
        return new ReportParameter(name, Kind.INTEGER, description, false, defaultValue, List.of(), minimum, maximum);
    }
}
