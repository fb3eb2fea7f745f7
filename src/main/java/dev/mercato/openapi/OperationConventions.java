package dev.mercato.openapi;

import dev.mercato.security.RequiresScope;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * Documents on each operation what the shared HTTP conventions (docs/api-conventions.md) add to it, derived from
 * its handler method: the scope it requires, the request headers it reads, the error statuses it can answer and
 * the headers of each response. Descriptions a controller declares itself are kept.
 */
final class OperationConventions implements OperationCustomizer {

    static final String SECURITY_SCHEME = "bearerAuth";
    static final String OAUTH_SCHEME = "oauth2";
    private static final String ERROR_REF = "#/components/schemas/Error";
    /** Answers the idempotency layer never stores, so never replays (see IdempotencyFilter). */
    private static final Set<String> NEVER_REPLAYED = Set.of("400", "401", "403", "405", "413", "415", "422", "429");

    private final Map<String, String> commonErrors = new LinkedHashMap<>();
    private final String tooLarge;

    OperationConventions(DataSize maxBodySize) {
        commonErrors.put("400", "Invalid request: a parameter or body field is missing, unknown or malformed.");
        commonErrors.put("401", "The credential is missing, unknown, expired or revoked.");
        commonErrors.put("403", "The credential lacks the scope this operation requires.");
        commonErrors.put("429", "Too many requests for this credential (RATE_LIMITED): wait Retry-After seconds.");
        commonErrors.put("500", "An unexpected server error occurred.");
        commonErrors.put("default", "Any other error, in the same error body.");
        tooLarge = "The body is larger than " + maxBodySize.toBytes() + " bytes (PAYLOAD_TOO_LARGE).";
    }

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        MappedHandler handler = new MappedHandler(handlerMethod);
        boolean post = handlerMethod.hasMethodAnnotation(PostMapping.class);
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        boolean conditionalGet = handlerMethod.hasMethodAnnotation(GetMapping.class) && responses.containsKey("304");
        boolean ifMatch = handler.readsHeader(HttpHeaders.IF_MATCH);

        requireScope(operation, handlerMethod);
        requestHeaders(operation, post, conditionalGet, ifMatch);
        errors(responses, handler, post, ifMatch);
        responses.forEach((status, response) -> {
            responseHeaders(status, response, handler, post, conditionalGet, ifMatch);
            if ("304".equals(status)) {
                response.setContent(null); // Not Modified never has a body.
            } else if (!status.startsWith("2") && !status.startsWith("3")) {
                response.setContent(new Content()
                        .addMediaType("application/json", new MediaType().schema(new Schema<>().$ref(ERROR_REF))));
            }
        });
        operation.setResponses(responses);
        return operation;
    }

    private static void requireScope(Operation operation, HandlerMethod handlerMethod) {
        RequiresScope scope = handlerMethod.getMethodAnnotation(RequiresScope.class);
        if (scope == null) {
            return;
        }
        // Alternatives: a bearer credential of either kind with the scope.
        operation.addSecurityItem(
                new SecurityRequirement().addList(SECURITY_SCHEME, scope.value().value()));
        operation.addSecurityItem(
                new SecurityRequirement().addList(OAUTH_SCHEME, scope.value().value()));
        String description = operation.getDescription() == null ? "" : operation.getDescription() + "\n\n";
        operation.setDescription(
                description + "Requires scope `" + scope.value().value() + "`.");
    }

    private static void requestHeaders(Operation operation, boolean post, boolean conditionalGet, boolean ifMatch) {
        if (operation.getParameters() != null) { // springdoc's own, undescribed, If-Match: replaced by the shared one
            operation
                    .getParameters()
                    .removeIf(parameter -> "header".equals(parameter.getIn())
                            && HttpHeaders.IF_MATCH.equalsIgnoreCase(parameter.getName()));
        }
        addParameter(operation, OpenApiHeaders.REQUEST_ID);
        if (post) {
            addParameter(operation, OpenApiHeaders.IDEMPOTENCY_KEY);
        }
        if (conditionalGet) {
            addParameter(operation, HttpHeaders.IF_NONE_MATCH);
        }
        if (ifMatch) {
            addParameter(operation, HttpHeaders.IF_MATCH);
        }
    }

    private static void addParameter(Operation operation, String header) {
        Parameter reference = OpenApiHeaders.parameter(header);
        if (operation.getParameters() == null || !operation.getParameters().contains(reference)) {
            operation.addParametersItem(reference);
        }
    }

    private void errors(ApiResponses responses, MappedHandler handler, boolean post, boolean ifMatch) {
        if (handler.hasPathVariable()) {
            addError(responses, "404", "No resource has this id (NOT_FOUND).");
        }
        if (!handler.produces().isEmpty()) {
            addError(
                    responses,
                    "406",
                    "The Accept header excludes " + String.join(" and ", handler.produces()) + " (NOT_ACCEPTABLE).");
        }
        if (ifMatch) {
            addError(
                    responses,
                    "412",
                    "If-Match does not name the current version (PRECONDITION_FAILED); "
                            + "details is the current ETag.");
        }
        if (handler.hasRequestBody()) {
            addError(responses, "413", tooLarge);
            addError(
                    responses,
                    "415",
                    "The body is not " + String.join(" or ", handler.consumes()) + " (UNSUPPORTED_MEDIA_TYPE).");
        }
        if (post) {
            ApiResponse conflict = responses.get("409");
            String inUse = "A request with the same Idempotency-Key is still running (IDEMPOTENCY_KEY_IN_USE); "
                    + "Retry-After says when to try again (1 second while that request is young).";
            responses.addApiResponse(
                    "409", errorResponse(conflict == null ? inUse : conflict.getDescription() + " Or: " + inUse));
            responses.addApiResponse(
                    "422",
                    errorResponse(
                            "The Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED)."));
        }
        commonErrors.forEach((status, description) -> addError(responses, status, description));
    }

    private static void addError(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, errorResponse(description));
        }
    }

    private static ApiResponse errorResponse(String description) {
        return new ApiResponse().description(description);
    }

    private static void responseHeaders(
            String status,
            ApiResponse response,
            MappedHandler handler,
            boolean post,
            boolean conditionalGet,
            boolean ifMatch) {
        if (response.getHeaders() != null) { // a shared header a controller names: the shared description
            response.getHeaders()
                    .replaceAll((name, header) -> OpenApiHeaders.isShared(name) ? OpenApiHeaders.header(name) : header);
        }
        addHeader(response, OpenApiHeaders.REQUEST_ID);
        addHeader(response, OpenApiHeaders.RATE_LIMIT_POLICY);
        addHeader(response, OpenApiHeaders.RATE_LIMIT);
        switch (status) {
            case "401", "403" -> addHeader(response, HttpHeaders.WWW_AUTHENTICATE);
            case "429" -> addHeader(response, HttpHeaders.RETRY_AFTER);
            case "201" -> {
                addHeader(response, HttpHeaders.LOCATION);
                if (handler.resourceIsVersioned()) {
                    addHeader(response, HttpHeaders.ETAG);
                }
            }
            case "202" -> addHeader(response, HttpHeaders.LOCATION);
            case "200" -> {
                if (handler.isPaged()) {
                    addHeader(response, OpenApiHeaders.TOTAL_COUNT);
                    addHeader(response, OpenApiHeaders.LIMIT);
                    addHeader(response, OpenApiHeaders.OFFSET);
                    addHeader(response, HttpHeaders.LINK);
                }
                if (conditionalGet || ifMatch) {
                    addHeader(response, HttpHeaders.ETAG);
                }
            }
            case "304" -> addHeader(response, HttpHeaders.ETAG);
            default -> {}
        }
        if (post && !status.startsWith("5") && !"default".equals(status) && !NEVER_REPLAYED.contains(status)) {
            addHeader(response, OpenApiHeaders.IDEMPOTENT_REPLAYED);
        }
    }

    private static void addHeader(ApiResponse response, String name) {
        if (response.getHeaders() == null || !response.getHeaders().containsKey(name)) {
            response.addHeaderObject(name, OpenApiHeaders.header(name));
        }
    }
}
