package dev.mercato.openapi;

import dev.mercato.security.Scope;
import dev.mercato.web.ApiError;
import dev.mercato.web.HttpProperties;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.models.GroupedOpenApi;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * The two published API documents, {@code /openapi/v1.json} and {@code /openapi/v2.json}: every operation
 * gets a readable id ({@link OperationIds}) and what the shared HTTP conventions add to it: its scope, request
 * and response headers, error statuses ({@link OperationConventions}).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private final DataSize maxBodySize;

    OpenApiConfiguration(HttpProperties http) {
        this.maxBodySize = http.maxBodySize();
    }

    /** Takes the place of springdoc's bean of this name, which would number clashing operation ids. */
    @Bean
    GlobalOpenApiCustomizer globalOpenApiCustomizer() {
        return OperationIds.distinguishPrefixedV1Paths();
    }

    @Bean
    NonEmptyConstraints nonEmptyConstraints(ObjectMapperProvider mappers) {
        return new NonEmptyConstraints(mappers);
    }

    @Bean
    GroupedOpenApi v1Api() {
        return group(
                "v1",
                "The v1 API: API keys, camelCase fields.",
                "/users",
                "/users/**",
                "/products",
                "/products/**",
                "/orders",
                "/orders/**",
                "/payments",
                "/payments/**",
                "/notifications/**",
                "/logs",
                "/logs/**",
                "/v1/**");
    }

    @Bean
    GroupedOpenApi v2Api() {
        return group("v2", "The v2 API: snake_case fields.", "/v2/**");
    }

    private GroupedOpenApi group(String version, String description, String... paths) {
        String title = "Mercato API " + version;
        return GroupedOpenApi.builder()
                .group(version)
                .displayName(title)
                .pathsToMatch(paths)
                .addOpenApiCustomizer(document(title, description))
                .addOpenApiCustomizer(new WellKnownFields())
                .addOperationCustomizer(new OperationIds())
                .addOperationCustomizer(new OperationConventions(maxBodySize))
                .build();
    }

    private static OpenApiCustomizer document(String title, String description) {
        return openApi -> {
            openApi.info(new Info().title(title).version(versionOf(title)).description(description));
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            ModelConverters.getInstance(true).readAll(ApiError.class).forEach(components::addSchemas);
            OpenApiHeaders.addTo(components);
            components.addSecuritySchemes(
                    OperationConventions.SECURITY_SCHEME,
                    new SecurityScheme()
                            .type(SecurityScheme.Type.HTTP)
                            .scheme("bearer")
                            .description("An API key (mk_...) or an OAuth 2.0 access token."));
            components.addSecuritySchemes(OperationConventions.OAUTH_SCHEME, oauthScheme());
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
                        .clientCredentials(
                                new OAuthFlow().tokenUrl("/oauth/token").scopes(scopes))
                        .authorizationCode(new OAuthFlow()
                                .authorizationUrl("/oauth/authorize")
                                .tokenUrl("/oauth/token")
                                .refreshUrl("/oauth/token")
                                .scopes(scopes)));
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
}
