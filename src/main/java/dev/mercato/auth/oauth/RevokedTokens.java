package dev.mercato.auth.oauth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this server knows to be revoked, in memory, so that verifying a token never waits for the database:
 * revoked token ids and deleted clients, each until the tokens it covers have expired anyway. Filled from the
 * database at start and by {@link #reconcile()}, kept current between those by {@link RevocationListener}.
 * Entries are only ever added (or dropped once moot), so a reconcile racing a notification loses nothing.
 */
class RevokedTokens {

    private final RevocationRepository repository;
    private final Clock clock;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> clients = new ConcurrentHashMap<>();

    RevokedTokens(RevocationRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    boolean isRevoked(String jti, String clientId) {
        return (jti != null && tokens.containsKey(jti)) || (clientId != null && clients.containsKey(clientId));
    }

    void add(Revocation revocation) {
        (revocation.kind() == Revocation.Kind.TOKEN ? tokens : clients)
                .merge(revocation.id(), revocation.expiresAt(), (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Reads every unexpired revocation from the database, and forgets the expired ones. */
    void reconcile() {
        Instant now = clock.instant();
        repository.findUnexpired(now).forEach(this::add);
        tokens.values().removeIf(expiresAt -> !expiresAt.isAfter(now));
        clients.values().removeIf(expiresAt -> !expiresAt.isAfter(now));
    }

    int size() {
        return tokens.size() + clients.size();
    }
}
