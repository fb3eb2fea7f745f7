package dev.mercato.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Optional;
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
 * @param userAuthorized whether an end user authorized this credential (an access token from the
 *     authorization_code flow): it then acts for {@code userId} only and sees only that user's resources
 */
public record ApiPrincipal(String credentialId, String userId, String name, Set<Scope> scopes,
        Integer rateLimitPerMinute, boolean userAuthorized) {

    public static final String REQUEST_ATTRIBUTE = ApiPrincipal.class.getName();

    public ApiPrincipal {
        if (userAuthorized && userId == null) {
            throw new IllegalArgumentException("A user-authorized credential must name its user");
        }
    }

    /** A caller whose credential has the server's default rate limit. */
    public ApiPrincipal(String credentialId, String userId, String name, Set<Scope> scopes) {
        this(credentialId, userId, name, scopes, null, false);
    }

    /** A caller that is not confined to one user's resources (an API key, a client acting as itself). */
    public ApiPrincipal(String credentialId, String userId, String name, Set<Scope> scopes,
            Integer rateLimitPerMinute) {
        this(credentialId, userId, name, scopes, rateLimitPerMinute, false);
    }

    /** The user whose resources alone this caller may see and change; empty when it is not confined to one. */
    public Optional<String> actingUser() {
        return userAuthorized ? Optional.of(userId) : Optional.empty();
    }

    /** Whether this caller may see or change a resource that belongs to {@code ownerUserId}. */
    public boolean mayAccess(String ownerUserId) {
        return !userAuthorized || Objects.equals(userId, ownerUserId);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    public static ApiPrincipal of(HttpServletRequest request) {
        return (ApiPrincipal) request.getAttribute(REQUEST_ATTRIBUTE);
    }
}
