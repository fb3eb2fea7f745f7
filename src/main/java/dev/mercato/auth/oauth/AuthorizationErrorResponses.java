package dev.mercato.auth.oauth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Errors of {@code /oauth/authorize} as RFC 6749 4.1.2.1 asks: once the client and its redirect URI are known to
 * be good, the error goes back to the client (a redirect with {@code error}, {@code error_description} and the
 * request's {@code state}); before that (unknown client, a redirect URI that is not the client's) it must not, so
 * it is answered here in the JSON error form of the other endpoints.
 */
final class AuthorizationErrorResponses implements AuthenticationFailureHandler {

    private final OAuthErrors errors;

    AuthorizationErrorResponses(OAuthErrors errors) {
        this.errors = errors;
    }

    @Override
    public void onAuthenticationFailure(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        OAuth2AuthorizationCodeRequestAuthenticationToken authorization =
                exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException e
                        ? e.getAuthorizationCodeRequestAuthentication()
                        : null;
        if (authorization == null
                || authorization.getRedirectUri() == null
                || authorization.getRedirectUri().isBlank()) {
            errors.onAuthenticationFailure(request, response, exception);
            return;
        }
        OAuth2Error error = ((OAuth2AuthorizationCodeRequestAuthenticationException) exception).getError();
        Map<String, String> values = new LinkedHashMap<>();
        values.put(OAuth2ParameterNames.ERROR, error.getErrorCode());
        if (error.getDescription() != null) {
            values.put(OAuth2ParameterNames.ERROR_DESCRIPTION, error.getDescription());
        }
        if (authorization.getState() != null) {
            values.put(OAuth2ParameterNames.STATE, authorization.getState());
        }
        // As Spring's own endpoint does: the registered URI is used as it is (already encoded; encoding it again
        // would turn its %2F into %252F and send the user elsewhere), only the added values are encoded.
        UriComponentsBuilder redirect = UriComponentsBuilder.fromUriString(authorization.getRedirectUri());
        values.forEach((name, value) -> redirect.queryParam(name, UriUtils.encode(value, StandardCharsets.UTF_8)));
        response.sendRedirect(redirect.build(true).toUriString());
    }
}
