package dev.mercato.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What makes two requests "the same request" under one {@code Idempotency-Key}: method, path, query and body.
 * A JSON body counts by what it says, not by its bytes: it is parsed and written back with the keys of every
 * object sorted and no whitespace between tokens, so a retry that a client library serialised again (other key
 * order, other indentation, a character written as an escape) is still the same request. Numbers keep the
 * digits they were sent with ({@code 10.0} and {@code 10.00} differ): whether such a difference matters is the
 * endpoint's business, not this layer's. Any other body, or one that is not valid JSON, counts by its bytes.
 */
final class RequestFingerprint {

    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RequestFingerprint() {}

    /** A SHA-256 hex digest of the request. */
    static String of(String method, String path, String query, String contentType, byte[] body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(
                    (method + " " + path + "?" + (query == null ? "" : query) + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest(isJson(contentType) ? canonicalJson(body) : body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static byte[] canonicalJson(byte[] body) {
        try {
            return CANONICAL.writeValueAsBytes(CANONICAL.readTree(body));
        } catch (JacksonException notJson) {
            // The endpoint will refuse it (400, never stored); until then its bytes are all there is to compare.
            return body;
        }
    }

    /** {@code application/json} and the {@code +json} types ({@code application/merge-patch+json}). */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }
}
