package dev.mercato.auth;

import dev.mercato.web.Scope;
import java.time.Instant;
import java.util.Set;

/** An API key as stored: never the key itself, only its hash (kept by the repository). */
record ApiKey(String id, String name, String keyPrefix, Set<Scope> scopes, String userId, Instant createdAt,
        Instant expiresAt, Instant revokedAt) {

    boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
