package dev.mercato.ratelimit;

import dev.mercato.web.BufferedBodyRequest;
import dev.mercato.web.Requests;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the {@code client_id} a token request names, wherever the client put it: HTTP Basic client authentication
 * (RFC 6749 section 2.3.1), a form parameter, or the JSON body the v2 reference shows. A body it reads is handed on
 * in a {@link BufferedBodyRequest}, so the token endpoint reads the request as if nothing had touched it.
 */
final class TokenRequests {

    static final String CLIENT_ID = "client_id";
    /** Longer values are no client's id; such attempts still count against their address. */
    static final int MAX_CLIENT_ID_LENGTH = 255;
    /** Tomcat's default {@code maxParameterCount}. */
    static final int MAX_PARAMETERS = 1000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TokenRequests() {}

    /** The request to hand on (the same one, or one with the body kept) and the client it names, if any. */
    record TokenRequest(HttpServletRequest request, String clientId) {}

    static TokenRequest read(HttpServletRequest request) throws IOException {
        String fromBasic = sane(fromBasic(request.getHeader(HttpHeaders.AUTHORIZATION)));
        if (fromBasic != null) {
            return new TokenRequest(request, fromBasic);
        }
        MediaType type = contentType(request);
        if (type == null) {
            return new TokenRequest(request, null);
        }
        if (MediaType.APPLICATION_FORM_URLENCODED.includes(type)) {
            byte[] body = request.getInputStream().readAllBytes();
            Map<String, List<String>> collected = new LinkedHashMap<>();
            parse(request.getQueryString(), StandardCharsets.UTF_8, collected);
            parse(
                    new String(body, BufferedBodyRequest.charsetOf(request)),
                    BufferedBodyRequest.charsetOf(request),
                    collected);
            Map<String, String[]> parameters = new LinkedHashMap<>();
            collected.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
            String[] clientIds = parameters.get(CLIENT_ID);
            return new TokenRequest(
                    new BufferedBodyRequest(request, body, parameters), sane(clientIds == null ? null : clientIds[0]));
        }
        if (Requests.isJson(request.getContentType())) {
            byte[] body = request.getInputStream().readAllBytes();
            return new TokenRequest(new BufferedBodyRequest(request, body, null), sane(fromJson(body)));
        }
        return new TokenRequest(request, null);
    }

    /** The user part of {@code Basic base64(urlencoded client_id ":" urlencoded secret)}. */
    private static String fromBasic(String authorization) {
        String scheme = "Basic ";
        if (authorization == null || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder()
                            .decode(authorization.substring(scheme.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
    }

    private static String fromJson(byte[] body) {
        try {
            JsonNode clientId = JSON.readTree(body).path(CLIENT_ID);
            return clientId.isString() ? clientId.asString() : null;
        } catch (JacksonException malformed) {
            return null; // The token endpoint answers for the malformed body; the address is still counted.
        }
    }

    /**
     * {@code a=1&b=2&a=3} as the container parses it, into {@code into}; pairs that do not decode are left out, as
     * Tomcat does, and so is everything past its default limit of {@value #MAX_PARAMETERS} parameters. Linear in the
     * body's size, whatever an unauthenticated sender puts in it.
     */
    private static void parse(String encoded, Charset charset, Map<String, List<String>> into) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        int count = into.values().stream().mapToInt(List::size).sum();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (count++ >= MAX_PARAMETERS) {
                return;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), charset);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), charset);
            if (name != null && value != null) {
                into.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
        }
    }

    private static String decode(String value, Charset charset) {
        try {
            return URLDecoder.decode(value, charset);
        } catch (IllegalArgumentException badEscape) {
            return null;
        }
    }

    private static MediaType contentType(HttpServletRequest request) {
        String header = request.getContentType();
        if (header == null) {
            return null;
        }
        try {
            return MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException e) {
            return null;
        }
    }

    private static String sane(String clientId) {
        return clientId == null || clientId.isBlank() || clientId.length() > MAX_CLIENT_ID_LENGTH ? null : clientId;
    }
}
