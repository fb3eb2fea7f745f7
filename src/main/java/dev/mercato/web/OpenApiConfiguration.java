package dev.mercato.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The two published API documents, {@code /openapi/v1.json} and {@code /openapi/v2.json}: every operation
 * gets the bearer security requirement with its scope and the error responses that any request can meet.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String SECURITY_SCHEME = "bearerAuth";
    static final String OAUTH_SCHEME = "oauth2";
    private static final String ERROR_REF = "#/components/schemas/Error";

    private static final Map<String, String> COMMON_ERRORS = Map.of(
            "400", "Invalid request: a parameter or body field is missing, unknown or malformed.",
            "401", "The credential is missing, unknown, expired or revoked.",
            "403", "The credential lacks the scope this operation requires.",
            "429", "Too many requests for this credential (RATE_LIMITED): wait Retry-After seconds.",
            "500", "An unexpected server error occurred.",
            "default", "Any other error, in the same error body.");

    @Bean
    GroupedOpenApi v1Api() {
        return GroupedOpenApi.builder()
                .group("v1")
                .displayName("Mercato API v1")
                .pathsToMatch("/users", "/users/**", "/products", "/products/**", "/orders", "/orders/**",
                        "/payments", "/payments/**", "/notifications/**", "/logs", "/logs/**", "/v1/**")
                .addOpenApiCustomizer(document("Mercato API v1", "The v1 API: API keys, camelCase fields."))
                .addOperationCustomizer(securityAndErrors())
                .build();
    }

    @Bean
    GroupedOpenApi v2Api() {
        return GroupedOpenApi.builder()
                .group("v2")
                .displayName("Mercato API v2")
                .pathsToMatch("/v2/**")
                .addOpenApiCustomizer(document("Mercato API v2", "The v2 API: snake_case fields."))
                .addOperationCustomizer(securityAndErrors())
                .build();
    }

    private static OpenApiCustomizer document(String title, String description) {
        return openApi -> {
            openApi.info(new Info().title(title).version(versionOf(title)).description(description));
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            ModelConverters.getInstance(true).readAll(ApiError.class).forEach(components::addSchemas);
            components.addSecuritySchemes(SECURITY_SCHEME, new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .description("An API key (mk_...) or an OAuth 2.0 access token."));
            components.addSecuritySchemes(OAUTH_SCHEME, oauthScheme());
            openApi.components(components);
        };
    }

    /**
     * OAuth 2.0: client credentials (a client's id and secret buy an access token at /oauth/token) and the end-user
     * flow (authorization code with PKCE through the sign-in and consent pages).
     */
    private static SecurityScheme oauthScheme() {
        Scopes scopes = new Scopes();
        for (Scope scope : Scope.values()) {
            scopes.addString(scope.value(), describe(scope));
        }
        return new SecurityScheme()
                .type(SecurityScheme.Type.OAUTH2)
                .description("OAuth 2.0 client credentials: register a client at POST /v2/oauth-clients, then "
                        + "exchange its client_id and client_secret for an access token at /oauth/token "
                        + "(HTTP Basic, form or JSON body); send it as 'Authorization: Bearer <token>'. A client "
                        + "registered with redirect_uris can also act for a user: authorization code with PKCE (S256) "
                        + "at /oauth/authorize, where the user signs in and consents; such a token reaches only that "
                        + "user's own records and never carries admin, products:write, logs, reports or "
                        + "integrations scopes.")
                .flows(new OAuthFlows()
                        .clientCredentials(new OAuthFlow().tokenUrl("/oauth/token").scopes(scopes))
                        .authorizationCode(new OAuthFlow().authorizationUrl("/oauth/authorize")
                                .tokenUrl("/oauth/token").refreshUrl("/oauth/token").scopes(scopes)));
    }

    private static String describe(Scope scope) {
        if (scope == Scope.ADMIN) {
            return "Everything, including managing API keys and OAuth clients";
        }
        String[] parts = scope.value().split(":");
        return (parts[1].equals("read") ? "Read " : "Create and change ") + parts[0];
    }

    private static String versionOf(String title) {
        return title.endsWith("v1") ? "1.0.0" : "2.1.0";
    }

    private static OperationCustomizer securityAndErrors() {
        return (operation, handlerMethod) -> {
            RequiresScope scope = handlerMethod.getMethodAnnotation(RequiresScope.class);
            if (scope != null) {
                // Alternatives: a bearer credential of either kind with the scope.
                operation.addSecurityItem(new SecurityRequirement().addList(SECURITY_SCHEME, scope.value().value()));
                operation.addSecurityItem(new SecurityRequirement().addList(OAUTH_SCHEME, scope.value().value()));
                String description = operation.getDescription() == null ? "" : operation.getDescription() + "\n\n";
                operation.setDescription(description + "Requires scope `" + scope.value().value() + "`.");
            }
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            if (handlerMethod.hasMethodAnnotation(PostMapping.class)) {
                documentIdempotencyKey(operation, responses);
            }
            COMMON_ERRORS.forEach((status, description) -> {
                if (!responses.containsKey(status)) {
                    responses.addApiResponse(status, errorResponse(description));
                }
            });
            responses.forEach(OpenApiConfiguration::documentRateLimitHeaders);
            responses.forEach((status, response) -> {
                if ("304".equals(status)) {
                    response.setContent(null); // Not Modified never has a body.
                } else if (!status.startsWith("2") && !status.startsWith("3")) {
                    response.setContent(errorContent());
                }
            });
            operation.setResponses(responses);
            return operation;
        };
    }

    /** Every POST takes an {@code Idempotency-Key}; see the idempotency package. */
    private static void documentIdempotencyKey(Operation operation, ApiResponses responses) {
        operation.addParametersItem(new HeaderParameter().name("Idempotency-Key").required(false)
                .description("Makes the request safe to retry: a retry with the same key and body returns the "
                        + "first response without doing the work again (kept 24 hours, per credential and, for a "
                        + "token acting for a user, per user).")
                .schema(new StringSchema().minLength(1).maxLength(255)));
        responses.forEach((status, response) -> {
            if (status.startsWith("2")) {
                response.addHeaderObject("Idempotent-Replayed", new Header()
                        .description("`true` when this is the stored response to an earlier request with the "
                                + "same Idempotency-Key.")
                        .schema(new StringSchema()._enum(List.of("true"))));
            }
        });
        ApiResponse conflict = responses.get("409");
        String inUse = "A request with the same Idempotency-Key is still running (IDEMPOTENCY_KEY_IN_USE).";
        responses.addApiResponse("409", errorResponse(conflict == null ? inUse
                : conflict.getDescription() + " Or: " + inUse).addHeaderObject("Retry-After", retryAfter(
                        "On IDEMPOTENCY_KEY_IN_USE (and other temporary conflicts): seconds to wait before retrying; "
                        + "1 while the running request is young.")));
        responses.addApiResponse("422", errorResponse(
                "The Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED)."));
    }

    /**
     * Every response to an authenticated call carries the credential's rate limit (see the ratelimit package and
     * the IETF httpapi RateLimit header fields draft); a 429 also says when to retry.
     */
    private static void documentRateLimitHeaders(String status, ApiResponse response) {
        response.addHeaderObject("RateLimit-Policy", new Header()
                .description("On every response to an authenticated call. The credential's quota: "
                        + "`\"default\";q=<requests>;w=<window in seconds>`, e.g. `\"default\";q=1200;w=60`.")
                .schema(new StringSchema().example("\"default\";q=1200;w=60")));
        response.addHeaderObject("RateLimit", new Header()
                .description("What is left of it: `\"default\";r=<requests remaining>;t=<seconds until the whole "
                        + "quota is available again>`.")
                .schema(new StringSchema().example("\"default\";r=1187;t=1")));
        if ("429".equals(status)) {
            response.addHeaderObject("Retry-After",
                    retryAfter("Always on a 429: seconds until the next request will be allowed."));
        }
    }

    private static Header retryAfter(String description) {
        return new Header().description(description).schema(new IntegerSchema().minimum(BigDecimal.ONE));
    }

    private static ApiResponse errorResponse(String description) {
        return new ApiResponse().description(description).content(errorContent());
    }

    private static Content errorContent() {
        return new Content().addMediaType("application/json",
                new MediaType().schema(new Schema<>().$ref(ERROR_REF)));
    }
}
