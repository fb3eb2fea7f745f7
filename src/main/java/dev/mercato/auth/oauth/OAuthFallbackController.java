package dev.mercato.auth.oauth;

import dev.mercato.web.Requests;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What reaches Spring MVC under {@code /oauth/} was not taken by an authorization server endpoint: a wrong
 * method on an endpoint (405) or no endpoint at all (404), answered in the endpoints' own RFC 6749 error form.
 */
@Hidden
@RestController
class OAuthFallbackController {

    private static final Map<String, String> METHODS = Map.of(
            AuthorizationServerConfiguration.TOKEN_ENDPOINT, "POST",
            AuthorizationServerConfiguration.INTROSPECTION_ENDPOINT, "POST",
            AuthorizationServerConfiguration.REVOCATION_ENDPOINT, "POST",
            AuthorizationServerConfiguration.JWKS_ENDPOINT, "GET",
            AuthorizationServerConfiguration.AUTHORIZATION_ENDPOINT, "GET, POST",
            AuthorizationServerConfiguration.CONSENT_PAGE, "GET");

    private final OAuthErrors errors;

    OAuthFallbackController(OAuthErrors errors) {
        this.errors = errors;
    }

    @RequestMapping("/oauth/**")
    void fallback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = Requests.path(request);
        String allowed = METHODS.get(path);
        if (allowed == null) {
            errors.write(
                    response,
                    HttpStatus.NOT_FOUND,
                    OAuth2ErrorCodes.INVALID_REQUEST,
                    "No OAuth endpoint at " + path + ".");
            return;
        }
        response.setHeader(HttpHeaders.ALLOW, allowed);
        errors.write(
                response,
                HttpStatus.METHOD_NOT_ALLOWED,
                OAuth2ErrorCodes.INVALID_REQUEST,
                "The method " + request.getMethod() + " is not allowed here; use " + allowed + ".");
    }
}
