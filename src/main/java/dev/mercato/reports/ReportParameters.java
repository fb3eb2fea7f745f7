package dev.mercato.reports;

import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A report's parameters: checked against its type (each error names the parameter as {@code parameters.<name>}),
 * with the defaults filled in, and bound to its SQL statement.
 */
final class ReportParameters {

    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private ReportParameters() {}

    /** The parameters given, checked, in the type's order with every default filled in; 400 at the first fault. */
    static Map<String, Object> validate(ReportType type, Map<String, Object> given) {
        Map<String, Object> values = given == null ? Map.of() : given;
        List<String> known =
                type.parameters().stream().map(ReportParameter::name).toList();
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw invalid(
                        name,
                        "Report type '" + type.wireName() + "' has no parameter '" + name + "'; it takes "
                                + String.join(", ", known) + ".");
            }
        }
        Map<String, Object> checked = new LinkedHashMap<>();
        for (ReportParameter parameter : type.parameters()) {
            Object value = values.get(parameter.name());
            if (value == null) {
                if (parameter.required()) {
                    throw new InvalidRequestException(
                            "INVALID_PARAMETER",
                            "Parameter '" + parameter.name() + "' is required for report type '" + type.wireName()
                                    + "'.",
                            path(parameter.name()) + " (" + parameter.kind().wireType() + ")");
                }
                if (parameter.defaultValue() != null) {
                    checked.put(parameter.name(), parameter.defaultValue());
                }
            } else {
                checked.put(parameter.name(), check(parameter, value));
            }
        }
        if (type.coversRange()) {
            checkRange(LocalDate.parse((String) checked.get("start_date")), LocalDate.parse((String)
                    checked.get("end_date")));
        }
        return checked;
    }

    private static Object check(ReportParameter parameter, Object value) {
        String name = parameter.name();
        return switch (parameter.kind()) {
            case DATE -> {
                String text = text(parameter, value);
                try {
                    yield LocalDate.parse(text).toString();
                } catch (DateTimeParseException e) {
                    throw invalid(
                            name,
                            "Parameter '" + name + "' must be a date in the form 2025-01-31, not '" + text + "'.");
                }
            }
            case TIME_ZONE -> {
                String text = text(parameter, value);
                if (!ZONES.contains(text)) {
                    throw invalid(
                            name,
                            "Parameter '" + name + "' must be an IANA time zone name such as "
                                    + "'Europe/Berlin' or 'UTC', not '" + text + "'.");
                }
                yield text;
            }
            case CURRENCY -> {
                String text = text(parameter, value);
                if (Money.currency(text).isEmpty()) {
                    throw invalid(
                            name,
                            "Parameter '" + name + "' must be an ISO 4217 currency code such as 'EUR', " + "not '"
                                    + text + "'.");
                }
                yield text;
            }
            case INTEGER -> {
                if (!(value instanceof Integer number)) {
                    throw invalid(
                            name,
                            "Parameter '" + name + "' must be an integer from " + parameter.minimum() + " to "
                                    + parameter.maximum() + ".");
                }
                if (number < parameter.minimum() || number > parameter.maximum()) {
                    throw invalid(
                            name,
                            "Parameter '" + name + "' must be from " + parameter.minimum() + " to "
                                    + parameter.maximum() + ", not " + number + ".");
                }
                yield number;
            }
            case STRING -> {
                String text = text(parameter, value);
                if (!parameter.allowedValues().isEmpty()
                        && !parameter.allowedValues().contains(text)) {
                    throw invalid(
                            name,
                            "Parameter '" + name + "' must be one of " + String.join(", ", parameter.allowedValues())
                                    + ", not '" + text + "'.");
                }
                if (text.isBlank() || text.length() > 255) {
                    throw invalid(name, "Parameter '" + name + "' must be 1 to 255 characters.");
                }
                yield text;
            }
        };
    }

    private static void checkRange(LocalDate start, LocalDate end) {
        if (end.isBefore(start)) {
            throw invalid(
                    "end_date", "The range is reversed: end_date " + end + " is before start_date " + start + ".");
        }
        long days = ChronoUnit.DAYS.between(start, end) + 1;
        if (days > ReportType.MAX_RANGE_DAYS) {
            throw invalid(
                    "end_date",
                    "A report covers at most " + ReportType.MAX_RANGE_DAYS + " days; " + start + " to " + end + " is "
                            + days + ".");
        }
    }

    private static String text(ReportParameter parameter, Object value) {
        if (!(value instanceof String text)) {
            throw invalid(
                    parameter.name(),
                    "Parameter '" + parameter.name() + "' must be a "
                            + parameter.kind().wireType()
                            + (parameter.kind() == ReportParameter.Kind.DATE ? " string" : "") + ".");
        }
        return text;
    }

    private static InvalidRequestException invalid(String name, String message) {
        return InvalidRequestException.parameter(path(name), message, path(name));
    }

    private static String path(String name) {
        return "parameters." + name;
    }

    /**
     * The values a report's SQL statement binds: its parameters (absent optional ones as null), a range's bounds as
     * instants in its time zone ({@code from_time} included, {@code to_time} not), the start of a window of
     * {@code days} before {@code now} ({@code since}), and {@code limit} as {@code row_limit}.
     */
    static Map<String, Object> bind(ReportType type, Map<String, Object> parameters, Instant now) {
        Map<String, Object> bound = new HashMap<>();
        for (ReportParameter parameter : type.parameters()) {
            Object value = parameters.get(parameter.name());
            String name = "limit".equals(parameter.name()) ? "row_limit" : parameter.name();
            bound.put(name, parameter.kind() == ReportParameter.Kind.DATE ? LocalDate.parse((String) value) : value);
        }
        if (type.coversRange()) {
            ZoneId zone = ZoneId.of((String) parameters.getOrDefault("timezone", "UTC"));
            bound.put(
                    "from_time",
                    java.sql.Timestamp.from(((LocalDate) bound.get("start_date"))
                            .atStartOfDay(zone)
                            .toInstant()));
            bound.put(
                    "to_time",
                    java.sql.Timestamp.from(((LocalDate) bound.get("end_date"))
                            .plusDays(1)
                            .atStartOfDay(zone)
                            .toInstant()));
        }
        if (parameters.get("days") instanceof Integer days) {
            bound.put("since", java.sql.Timestamp.from(now.minus(days, ChronoUnit.DAYS)));
        }
        return bound;
    }
}
