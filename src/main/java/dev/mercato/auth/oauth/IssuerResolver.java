package dev.mercato.auth.oauth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.UriComponentsBuilder;

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
        return UriComponentsBuilder.fromUriString(UrlUtils.buildFullRequestUrl(request))
                .replacePath(request.getContextPath())
                .replaceQuery(null)
                .fragment(null)
                .build()
                .toUriString();
    }
}
