package dev.mercato.openapi;

import dev.mercato.shared.PageParams;
import dev.mercato.web.RequestIdFilter;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * The headers the operations share, described once in each document's components ({@code #/components/headers},
 * {@code #/components/parameters}) and referred to by name from every operation and response that has them.
 */
final class OpenApiHeaders {

    static final String REQUEST_ID = RequestIdFilter.HEADER;
    static final String RATE_LIMIT_POLICY = "RateLimit-Policy";
    static final String RATE_LIMIT = "RateLimit";
    static final String TOTAL_COUNT = "X-Total-Count";
    static final String LIMIT = "X-Limit";
    static final String OFFSET = "X-Offset";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private static final String ETAG_EXAMPLE = "\"v2-3\"";
    private static final Set<String> RESPONSE_NAMES = new Definitions().response.keySet();
    private static final Set<String> REQUEST_NAMES = new Definitions().request.keySet();

    private OpenApiHeaders() {}

    /** Adds the shared definitions to a document (new objects for each, as the documents are built apart). */
    static void addTo(Components components) {
        Definitions definitions = new Definitions();
        definitions.response.forEach(components::addHeaders);
        definitions.request.forEach(components::addParameters);
    }

    /** Whether a response header of this name is one of the shared ones. */
    static boolean isShared(String name) {
        return RESPONSE_NAMES.contains(name);
    }

    /** A reference to the shared response header. */
    static Header header(String name) {
        requireKnown(RESPONSE_NAMES, name);
        return new Header().$ref("#/components/headers/" + name);
    }

    /** A reference to the shared request header. */
    static Parameter parameter(String name) {
        requireKnown(REQUEST_NAMES, name);
        return new Parameter().$ref("#/components/parameters/" + name);
    }

    private static void requireKnown(Set<String> names, String name) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException("No shared header " + name);
        }
    }

    private static final class Definitions {

        final Map<String, Header> response = new LinkedHashMap<>();
        final Map<String, Parameter> request = new LinkedHashMap<>();

        Definitions() {
            responseHeaders();
            requestHeaders();
        }

        private void responseHeaders() {
            response(
                    REQUEST_ID,
                    true,
                    "The request's id: the X-Request-Id the client sent when it is 1 to 128 "
                            + "characters of `A-Z a-z 0-9 . _ : -`, else a generated `req_...` id. The access log and the "
                            + "server's log lines for the request carry it too.",
                    new StringSchema()
                            .pattern("^" + RequestIdFilter.SANE_ID + "$")
                            .example("req_8sJ2kL4mN6pQ1rT3vX5zA7bC"));
            response(
                    RATE_LIMIT_POLICY,
                    false,
                    "On every response to an authenticated call. The credential's quota: "
                            + "`\"default\";q=<requests>;w=<window in seconds>`, e.g. `\"default\";q=1200;w=60`.",
                    new StringSchema().example("\"default\";q=1200;w=60"));
            response(
                    RATE_LIMIT,
                    false,
                    "What is left of it: `\"default\";r=<requests remaining>;t=<seconds until "
                            + "the whole quota is available again>`.",
                    new StringSchema().example("\"default\";r=1187;t=1"));
            response(
                    HttpHeaders.RETRY_AFTER,
                    true,
                    "Seconds until the next request will be allowed.",
                    new IntegerSchema().minimum(BigDecimal.ONE));
            response(
                    HttpHeaders.WWW_AUTHENTICATE,
                    false,
                    "`Bearer`; with `error=\"invalid_token\"` for a "
                            + "credential that is not valid, `error=\"insufficient_scope\", scope=\"...\"` for one that lacks "
                            + "the scope.",
                    new StringSchema().example("Bearer error=\"insufficient_scope\", " + "scope=\"products:write\""));
            response(
                    TOTAL_COUNT,
                    true,
                    "How many items the whole list holds.",
                    new IntegerSchema().format("int64").minimum(BigDecimal.ZERO));
            response(
                    LIMIT,
                    true,
                    "The limit this page was read with.",
                    new IntegerSchema().minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(PageParams.MAX_LIMIT)));
            response(OFFSET, true, "The offset this page was read with.", new IntegerSchema().minimum(BigDecimal.ZERO));
            response(
                    HttpHeaders.LINK,
                    false,
                    "RFC 8288 links to the next and the previous page, where they exist.",
                    new StringSchema()
                            .example("</v2/products?limit=20&offset=40>; rel=\"next\", "
                                    + "</v2/products?limit=20&offset=0>; rel=\"prev\""));
            response(
                    HttpHeaders.LOCATION,
                    true,
                    "Where the resource this response is about can be read.",
                    new StringSchema().format("uri-reference").example("/v2/products/prod_8sJ2kL4mN6pQ1rT3vX5zA7bC"));
            response(
                    HttpHeaders.ETAG,
                    true,
                    "The version of this representation: send it back in If-None-Match "
                            + "(304 while it is current) or If-Match (the change is made only at this version).",
                    new StringSchema().pattern("^\"v[12]-[0-9]+\"$").example(ETAG_EXAMPLE));
            response(
                    IDEMPOTENT_REPLAYED,
                    false,
                    "`true` when this is the stored response to an earlier request " + "with the same Idempotency-Key.",
                    new StringSchema()._enum(List.of("true")));
        }

        private void requestHeaders() {
            request(
                    REQUEST_ID,
                    "Your own id for this request, echoed in the response's X-Request-Id when it is 1 "
                            + "to 128 characters of `A-Z a-z 0-9 . _ : -`; any other value is replaced by a generated id.",
                    new StringSchema());
            request(
                    IDEMPOTENCY_KEY,
                    "Makes the request safe to retry: a retry with the same key and body returns "
                            + "the first response without doing the work again (kept 24 hours, per credential and, for a token "
                            + "acting for a user, per user).",
                    new StringSchema().minLength(1).maxLength(255));
            request(
                    HttpHeaders.IF_NONE_MATCH,
                    "The ETag of a representation you hold: while it is still current, "
                            + "the answer is 304 without a body.",
                    new StringSchema().example(ETAG_EXAMPLE));
            request(
                    HttpHeaders.IF_MATCH,
                    "Make the change only if the resource is still at this version (its "
                            + "ETag, or `*` for any); otherwise 412 with the current ETag in `details`.",
                    new StringSchema().example(ETAG_EXAMPLE));
        }

        private void response(String name, boolean required, String description, Schema<?> schema) {
            response.put(
                    name,
                    new Header()
                            .required(required ? Boolean.TRUE : null)
                            .description(description)
                            .schema(schema));
        }

        private void request(String name, String description, Schema<?> schema) {
            request.put(
                    name,
                    new HeaderParameter()
                            .name(name)
                            .required(false)
                            .description(description)
                            .schema(schema));
        }
    }
}
