package dev.mercato.auth.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The registered clients, cached: every token request authenticates its client, and reading one from the
 * database (a query and the JSON of its settings) cost about a sixth of a token request. A client that changes
 * (a new secret, deleted) is announced on {@link #CHANNEL} in the transaction that changes it, and every server
 * drops it from its cache when that arrives ({@link RevocationListener}), so an old secret stops working
 * everywhere within moments. The expiry is only a backstop. Unknown clients are not cached.
 */
class CachedRegisteredClients implements RegisteredClientRepository {

    static final String CHANNEL = "mercato_oauth_client_changes";
    private static final Duration BACKSTOP = Duration.ofMinutes(5);

    private final RegisteredClientRepository delegate;
    // Our clients' ids are their client ids, but Spring's interface keeps the two apart; so do the caches.
    private final Cache<String, RegisteredClient> byId = cache();
    private final Cache<String, RegisteredClient> byClientId = cache();

    CachedRegisteredClients(RegisteredClientRepository delegate) {
        this.delegate = delegate;
    }

    @Override
    public void save(RegisteredClient client) {
        delegate.save(client);
        changed(client.getClientId());
    }

    @Override
    public RegisteredClient findById(String id) {
        return find(byId, id, delegate::findById);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return find(byClientId, clientId, delegate::findByClientId);
    }

    /** Forgets a client, after it changed here or on another server. */
    void changed(String clientId) {
        byClientId.invalidate(clientId);
        byId.invalidate(clientId);
        byId.asMap().values().removeIf(client -> client.getClientId().equals(clientId));
    }

    /** Forgets every client, when changes may have been missed (the listener reconnected). */
    void clear() {
        byId.invalidateAll();
        byClientId.invalidateAll();
    }

    /** Tells every server, when the current transaction commits, that a client changed. */
    static void announceChange(JdbcClient jdbc, String clientId) {
        jdbc.sql("select pg_notify(:channel, :clientId)")
                .param("channel", CHANNEL)
                .param("clientId", clientId)
                .query()
                .singleRow();
    }

    /**
     * Caffeine runs the load atomically for its key, so a change announced while a stale load is in flight
     * waits for it and then removes what it loaded.
     */
    private static RegisteredClient find(
            Cache<String, RegisteredClient> cache, String key, Function<String, RegisteredClient> loader) {
        return key == null ? null : cache.get(key, loader);
    }

    private static Cache<String, RegisteredClient> cache() {
        return Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(BACKSTOP)
                .build();
    }
}
