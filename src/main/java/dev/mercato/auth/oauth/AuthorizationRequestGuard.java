package dev.mercato.auth.oauth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Runs first on an authorization request: a client that is not registered for the authorization_code flow
 * (no redirect URIs) is refused with {@code unauthorized_client} here, because Spring's own check fails with an
 * exception for a client without redirect URIs. Otherwise it leaves the request to Spring ({@code null}).
 */
final class AuthorizationRequestGuard implements AuthenticationConverter {

    private final RegisteredClientRepository clients;

    AuthorizationRequestGuard(RegisteredClientRepository clients) {
        this.clients = clients;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
        if (clientId == null || clientId.isBlank()) {
            return null;
        }
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null
                || client.getRedirectUris().isEmpty()
                || !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.AUTHORIZATION_CODE)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(
                    OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
                    "This client is not registered for the authorization_code flow (it has no redirect URIs).",
                    null));
        }
        return null;
    }
}
