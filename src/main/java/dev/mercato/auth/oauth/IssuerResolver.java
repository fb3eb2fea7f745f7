package dev.mercato.auth.oauth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The issuer identifier: {@code mercato.oauth.issuer} when set, else the base address of the request being
 * served, exactly as Spring's authorization server derives it for the tokens and metadata it issues (scheme,
 * host and port as the request names them, forwarded headers applied when the server is told to trust them).
 * A token is then accepted at the address it was issued at.
 */
final class IssuerResolver {

    private final String configured;

    IssuerResolver(String configured) {
        this.configured = configured;
    }

    /** The issuer for the request this thread is serving, or null outside a request (with none configured). */
    String current() {
        if (configured != null) {
            return configured;
        }
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return forRequest(attributes.getRequest());
        }
        return null;
    }

    String forRequest(HttpServletRequest request) {
        if (configured != null) {
            return configured;
        }
        // What Spring's AuthorizationServerContextFilter makes of it, without parsing a URL on every API call.
        return UrlUtils.buildFullRequestUrl(
                request.getScheme(), request.getServerName(), request.getServerPort(), request.getContextPath(), null);
    }
}
