package dev.mercato.auth;

import dev.mercato.security.Scope;
import java.time.Instant;
import java.util.Set;

/**
 * An API key as stored: never the key itself, only its hash (kept by the repository).
 *
 * @param rateLimitPerMinute the key's own request limit, or {@code null} for the server's default
 */
public record ApiKey(
        String id,
        String name,
        String keyPrefix,
        Set<Scope> scopes,
        String userId,
        Integer rateLimitPerMinute,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt) {

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
