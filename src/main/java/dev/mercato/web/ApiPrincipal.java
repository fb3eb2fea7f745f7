package dev.mercato.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * The authenticated caller of a request, whatever the credential: an API key today, an OAuth 2.0 access
 * token beside it.
 *
 * @param credentialId the API key or OAuth client that authenticated the request
 * @param userId the user the credential belongs to or acts for, or {@code null}
 * @param name how the access log names the caller: the username when there is one, else the credential's name
 * @param scopes what the credential may do
 * @param rateLimitPerMinute the credential's own request limit (an API key's, an OAuth client's), or {@code null}
 *     for the server's default
 */
public record ApiPrincipal(String credentialId, String userId, String name, Set<Scope> scopes,
        Integer rateLimitPerMinute) {

    public static final String REQUEST_ATTRIBUTE = ApiPrincipal.class.getName();

    /** A caller whose credential has the server's default rate limit. */
    public ApiPrincipal(String credentialId, String userId, String name, Set<Scope> scopes) {
        this(credentialId, userId, name, scopes, null);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    public static ApiPrincipal of(HttpServletRequest request) {
        return (ApiPrincipal) request.getAttribute(REQUEST_ATTRIBUTE);
    }
}
