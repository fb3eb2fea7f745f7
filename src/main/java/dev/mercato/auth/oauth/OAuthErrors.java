package dev.mercato.auth.oauth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Errors of the {@code /oauth/*} endpoints, in RFC 6749 form ({@code {"error", "error_description"}}) since
 * OAuth client libraries parse that: 401 for a failed client authentication (with a Basic challenge when the
 * client tried Basic, as RFC 6749 5.2 asks), 400 for the rest. A failed client authentication never says
 * which part was wrong.
 */
final class OAuthErrors implements AuthenticationFailureHandler {

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            OAuth2ErrorCodes.INVALID_CLIENT,
                    "Client authentication failed: unknown client, wrong secret or "
                            + "unsupported authentication method.",
            OAuth2ErrorCodes.INVALID_SCOPE,
                    "The requested scope is unknown or exceeds the scopes granted to the client.",
            OAuth2ErrorCodes.UNSUPPORTED_GRANT_TYPE,
                    "The grant_type is not supported; use client_credentials, authorization_code or refresh_token.",
            OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "This client may not use this grant_type.",
            OAuth2ErrorCodes.INVALID_REQUEST, "The request is missing a parameter, repeats one or is malformed.");

    private final OAuth2ErrorHttpMessageConverter converter = new OAuth2ErrorHttpMessageConverter();

    @Override
    public void onAuthenticationFailure(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth
                ? oauth.getError()
                : new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
        boolean clientFailed = OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode());
        if (clientFailed && isBasic(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"mercato\"");
        }
        String description = clientFailed || error.getDescription() == null
                ? DESCRIPTIONS.getOrDefault(error.getErrorCode(), "The request was refused.")
                : error.getDescription();
        write(
                response,
                clientFailed ? HttpStatus.UNAUTHORIZED : HttpStatus.BAD_REQUEST,
                error.getErrorCode(),
                description);
    }

    void write(HttpServletResponse response, HttpStatus status, String code, String description) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader(HttpHeaders.PRAGMA, "no-cache");
        ServletServerHttpResponse http = new ServletServerHttpResponse(response);
        http.setStatusCode(status);
        converter.write(new OAuth2Error(code, description, null), null, http);
    }

    private static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }
}
