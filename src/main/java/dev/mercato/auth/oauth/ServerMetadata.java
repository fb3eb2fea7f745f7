package dev.mercato.auth.oauth;

import static org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadataClaimNames.*;

import dev.mercato.security.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadata;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.http.converter.OAuth2AuthorizationServerMetadataHttpMessageConverter;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The authorization server metadata (RFC 8414), stating what this server actually supports: client_credentials,
 * authorization_code with PKCE (S256 only) and refresh_token, with client_secret_basic or client_secret_post, RS256 access tokens, revocation, introspection, our scopes.
 * (Spring's default document also lists grants and client authentication methods we do not offer.)
 *
 * <p>{@code /.well-known/openid-configuration} serves the same document for clients that only look there:
 * OpenID Connect itself (ID tokens, userinfo) is not switched on.
 */
final class ServerMetadata {

    static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";
    private static final List<String> CLIENT_AUTHENTICATION = List.of("client_secret_basic", "client_secret_post");

    private ServerMetadata() {}

    /** Customizes Spring's metadata endpoint. */
    static void describe(OAuth2AuthorizationServerMetadata.Builder builder) {
        describe(builder, AuthorizationServerContextHolder.getContext());
    }

    private static void describe(
            OAuth2AuthorizationServerMetadata.Builder builder, AuthorizationServerContext context) {
        String issuer = context.getIssuer();
        var settings = context.getAuthorizationServerSettings();
        builder.claims(claims -> {
            claims.clear();
            claims.put(ISSUER, issuer);
            claims.put(AUTHORIZATION_ENDPOINT, url(issuer, settings.getAuthorizationEndpoint()));
            claims.put(TOKEN_ENDPOINT, url(issuer, settings.getTokenEndpoint()));
            claims.put(TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED, CLIENT_AUTHENTICATION);
            claims.put(JWKS_URI, url(issuer, settings.getJwkSetEndpoint()));
            claims.put(
                    SCOPES_SUPPORTED,
                    Arrays.stream(Scope.values()).map(Scope::value).toList());
            claims.put(RESPONSE_TYPES_SUPPORTED, List.of("code"));
            claims.put(GRANT_TYPES_SUPPORTED, List.of("client_credentials", "authorization_code", "refresh_token"));
            claims.put(REVOCATION_ENDPOINT, url(issuer, settings.getTokenRevocationEndpoint()));
            claims.put(REVOCATION_ENDPOINT_AUTH_METHODS_SUPPORTED, CLIENT_AUTHENTICATION);
            claims.put(INTROSPECTION_ENDPOINT, url(issuer, settings.getTokenIntrospectionEndpoint()));
            claims.put(INTROSPECTION_ENDPOINT_AUTH_METHODS_SUPPORTED, CLIENT_AUTHENTICATION);
            claims.put(CODE_CHALLENGE_METHODS_SUPPORTED, List.of("S256"));
        });
    }

    private static String url(String issuer, String endpoint) {
        return UriComponentsBuilder.fromUriString(issuer).path(endpoint).toUriString();
    }

    /** Serves the same document at {@code /.well-known/openid-configuration}. */
    static final class OpenIdConfigurationFilter extends OncePerRequestFilter {

        private final OAuth2AuthorizationServerMetadataHttpMessageConverter converter =
                new OAuth2AuthorizationServerMetadataHttpMessageConverter();

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !"GET".equals(request.getMethod())
                    || !OPENID_CONFIGURATION.equals(request.getRequestURI()
                            .substring(request.getContextPath().length()));
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            OAuth2AuthorizationServerMetadata.Builder builder = OAuth2AuthorizationServerMetadata.builder();
            describe(builder, AuthorizationServerContextHolder.getContext());
            converter.write(builder.build(), MediaType.APPLICATION_JSON, new ServletServerHttpResponse(response));
        }
    }
}
