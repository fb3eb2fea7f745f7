package dev.mercato.security;

import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.NotFoundException;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a service acts for: the authenticated caller of a request, whatever the credential (an API key, an OAuth 2.0
 * access token), or {@link #SYSTEM} for work nobody asked for in a request (jobs, start-up). Services that guard
 * per-user data take it as an explicit parameter; there is no ambient "current caller" for them to fall back on, so
 * work without one must say so by passing {@link #SYSTEM}.
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
public record Caller(
        String credentialId,
        String userId,
        String name,
        Set<Scope> scopes,
        Integer rateLimitPerMinute,
        boolean userAuthorized)
        implements Serializable {

    /** Mercato itself: background work and start-up. Not confined to any user, holds every scope. */
    public static final Caller SYSTEM = new Caller("system", null, "system", EnumSet.of(Scope.ADMIN), null, false);

    public Caller {
        if (userAuthorized && userId == null) {
            throw new IllegalArgumentException("A user-authorized credential must name its user");
        }
    }

    /** A caller whose credential has the server's default rate limit. */
    public Caller(String credentialId, String userId, String name, Set<Scope> scopes) {
        this(credentialId, userId, name, scopes, null, false);
    }

    /** A caller that is not confined to one user's resources (an API key, a client acting as itself). */
    public Caller(String credentialId, String userId, String name, Set<Scope> scopes, Integer rateLimitPerMinute) {
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

    /** Not found, as if it did not exist, unless this caller may see a resource of {@code ownerUserId}. */
    public void checkAccess(String ownerUserId, String resource, String id) {
        if (!mayAccess(ownerUserId)) {
            throw new NotFoundException(resource, id);
        }
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    /**
     * Whether this caller may manage a credential or other thing that belongs to {@code ownerUserId}: an admin
     * manages everyone's, anybody else only their own.
     */
    public boolean manages(String ownerUserId) {
        return has(Scope.ADMIN) || (userId != null && userId.equals(ownerUserId));
    }

    /** 403 {@code SCOPE_NOT_HELD} unless this caller holds every one of the scopes it wants to grant. */
    public void checkMayGrant(Set<Scope> granted) {
        for (Scope scope : granted) {
            if (!has(scope)) {
                throw new ForbiddenException(
                        "SCOPE_NOT_HELD", "You cannot grant the '" + scope + "' scope: you do not hold it.", "scopes");
            }
        }
    }
}
