package dev.mercato.web;

import java.util.Arrays;

/**
 * Strong entity tags derived from a row's version counter. The API version is part of the tag because
 * v1 and v2 represent the same row with different bytes.
 */
public final class ETags {

    private ETags() {
    }

    public static String of(String apiVersion, long version) {
        return "\"" + apiVersion + "-" + version + "\"";
    }

    /**
     * The version an {@code If-Match} header demands: {@code null} when there is no header or it is
     * {@code *} (any version), {@code -1} when no listed tag is one of ours (so nothing can match).
     */
    public static Long expectedVersion(String ifMatch, String apiVersion) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String prefix = "\"" + apiVersion + "-";
        return Arrays.stream(ifMatch.split(","))
                .map(String::trim)
                .filter(tag -> tag.startsWith(prefix) && tag.endsWith("\"") && tag.length() > prefix.length() + 1)
                .map(tag -> tag.substring(prefix.length(), tag.length() - 1))
                .filter(number -> number.matches("\\d{1,18}"))
                .map(Long::valueOf)
                .findFirst()
                .orElse(-1L);
    }
}
