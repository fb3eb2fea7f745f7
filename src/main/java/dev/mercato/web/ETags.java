package dev.mercato.web;

import java.util.Arrays;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.WebRequest;

/**
 * Strong entity tags derived from a row's version counter. The API version is part of the tag because
 * v1 and v2 represent the same row with different bytes.
 */
public final class ETags {

    private ETags() {}

    public static String of(String apiVersion, long version) {
        return "\"" + apiVersion + "-" + version + "\"";
    }

    /**
     * A conditional GET: the representation with its ETag, or null when {@code If-None-Match} already names that
     * version (Spring has then answered 304, and the body is never built).
     */
    public static <T> ResponseEntity<T> ok(WebRequest request, String apiVersion, long version, Supplier<T> body) {
        String etag = of(apiVersion, version);
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && ifNoneMatch.trim().equals("*")) {
            // "*" matches any current representation (RFC 9110, 13.1.2); Spring only compares listed tags.
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        if (request.checkNotModified(etag)) {
            return null;
        }
        return ResponseEntity.ok().eTag(etag).body(body.get());
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
