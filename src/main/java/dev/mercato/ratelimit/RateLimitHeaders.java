package dev.mercato.ratelimit;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;

/**
 * The fields of the IETF httpapi "RateLimit header fields for HTTP" draft (draft-ietf-httpapi-ratelimit-headers-10),
 * which are structured-field lists with one item per policy:
 * <pre>
 * RateLimit-Policy: "default";q=1200;w=60
 * RateLimit: "default";r=1187;t=1
 * </pre>
 * {@code q} is the quota (requests), {@code w} its window in seconds, {@code r} the requests left and {@code t}
 * the seconds until the whole quota is available again. A 429 also has {@code Retry-After}: the seconds until the
 * next request would be allowed.
 */
final class RateLimitHeaders {

    static final String POLICY = "RateLimit-Policy";
    static final String RATE_LIMIT = "RateLimit";

    private RateLimitHeaders() {}

    static void write(HttpServletResponse response, List<Consumption> consumptions) {
        response.setHeader(
                POLICY,
                consumptions.stream()
                        .map(used -> item(used.quota()) + ";q=" + used.quota().limit() + ";w="
                                + used.quota().window().toSeconds())
                        .collect(Collectors.joining(", ")));
        response.setHeader(
                RATE_LIMIT,
                consumptions.stream()
                        .map(used -> item(used.quota()) + ";r=" + used.remaining() + ";t=" + used.secondsUntilFull())
                        .collect(Collectors.joining(", ")));
    }

    /** For a refused request: {@code Retry-After} when every refusing bucket has a token again. */
    static long writeRetryAfter(HttpServletResponse response, List<Consumption> consumptions) {
        long seconds = consumptions.stream()
                .filter(used -> !used.allowed())
                .mapToLong(Consumption::secondsUntilAllowed)
                .max()
                .orElse(1);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return seconds;
    }

    /** A policy name is a structured-field string: quoted (names are plain tokens, nothing needs escaping). */
    private static String item(Quota quota) {
        return "\"" + quota.policy() + "\"";
    }
}
