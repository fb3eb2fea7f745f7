package dev.mercato.auth.oauth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Spring's client_credentials request reading, with one change: a request that names no scope is granted all of
 * the client's scopes (Spring would grant none), which is what a client that was given scopes expects.
 * A requested scope beyond the client's is still refused with {@code invalid_scope}.
 */
final class ClientCredentialsRequestConverter implements AuthenticationConverter {

    private final AuthenticationConverter delegate = new OAuth2ClientCredentialsAuthenticationConverter();

    @Override
    public Authentication convert(HttpServletRequest request) {
        Authentication converted = delegate.convert(request);
        if (converted instanceof OAuth2ClientCredentialsAuthenticationToken token
                && token.getScopes().isEmpty()
                && token.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                && client.getRegisteredClient() != null) {
            RegisteredClient registered = client.getRegisteredClient();
            return new OAuth2ClientCredentialsAuthenticationToken(
                    client, registered.getScopes(), token.getAdditionalParameters());
        }
        return converted;
    }
}
