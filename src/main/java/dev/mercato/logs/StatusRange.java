package dev.mercato.logs;

import dev.mercato.shared.InvalidRequestException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statuses an access-log filter keeps: one code ({@code 404}) or a whole class ({@code 4xx}), both ends included.
 */
public record StatusRange(int from, int to) {

    private static final Pattern CODE_OR_CLASS = Pattern.compile("([1-5])(\\d\\d|xx)", Pattern.CASE_INSENSITIVE);

    /** {@code 404} or {@code 4xx} (any case), between 100 and 599; blank is no filter ({@code null}). */
    public static StatusRange parse(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher matcher = CODE_OR_CLASS.matcher(value.trim());
        if (!matcher.matches()) {
            throw InvalidRequestException.parameter(
                    name,
                    "The '" + name + "' filter must be a status code such as 404 or a class such as 4xx.",
                    name + " (string)");
        }
        if (matcher.group(2).equalsIgnoreCase("xx")) {
            int hundreds = Integer.parseInt(matcher.group(1)) * 100;
            return new StatusRange(hundreds, hundreds + 99);
        }
        int code = Integer.parseInt(matcher.group());
        return new StatusRange(code, code);
    }
}
