package dev.mercato.auth.oauth;

import dev.mercato.web.BufferedBodyRequest;
import dev.mercato.web.Requests;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts the token request as the v2 reference shows it, a JSON body
 * ({@code {"grant_type": "client_credentials", "client_id": "...", "client_secret": "..."}}), by presenting
 * it to the authorization server as the form it would otherwise be: the request's parameters are the JSON
 * object's fields and its content type is {@code application/x-www-form-urlencoded}. Spring's token endpoint
 * reads servlet parameters only, so without this it would refuse the JSON body. Form requests pass untouched.
 */
final class JsonTokenRequestFilter extends OncePerRequestFilter {

    private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED_VALUE + ";charset=UTF-8";

    /** A parameter given twice is an error in OAuth (RFC 6749 3.2), so a repeated JSON field is one too. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String tokenEndpoint;
    private final OAuthErrors errors;

    JsonTokenRequestFilter(String tokenEndpoint, OAuthErrors errors) {
        this.tokenEndpoint = tokenEndpoint;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !tokenEndpoint.equals(Requests.path(request))
                || !Requests.isJson(request.getContentType());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Map<String, String> fields;
        try {
            fields = fields(JSON.readTree(request.getInputStream()));
        } catch (JacksonException | IllegalArgumentException e) {
            errors.write(
                    response,
                    HttpStatus.BAD_REQUEST,
                    OAuth2ErrorCodes.INVALID_REQUEST,
                    "The JSON body must be an object whose fields are strings, such as "
                            + "{\"grant_type\": \"client_credentials\", \"client_id\": \"...\", \"client_secret\": \"...\"}.");
            return;
        }
        chain.doFilter(asForm(request, fields), response);
    }

    private static Map<String, String> fields(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Entry<String, JsonNode> field : body.properties()) {
            if (!field.getValue().isString()) {
                throw new IllegalArgumentException(field.getKey() + " is not a string");
            }
            fields.put(field.getKey(), field.getValue().asString());
        }
        return fields;
    }

    /**
     * The request as a form post whose parameters are the query's plus the JSON body's fields, and whose body,
     * like a container-parsed form's, has been consumed.
     */
    private static HttpServletRequest asForm(HttpServletRequest request, Map<String, String> fields) {
        Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
        fields.forEach((name, value) -> parameters.merge(name, new String[] {value}, JsonTokenRequestFilter::concat));
        return new FormContentType(new BufferedBodyRequest(request, new byte[0], parameters));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] both = new String[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** Says {@code application/x-www-form-urlencoded}, wherever the content type is asked for. */
    private static final class FormContentType extends HttpServletRequestWrapper {

        FormContentType(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return FORM;
        }

        @Override
        public String getHeader(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? FORM : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
                    ? Collections.enumeration(List.of(FORM))
                    : super.getHeaders(name);
        }
    }
}
