package dev.mercato.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.Ids;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.users.UserDeleted;
import dev.mercato.users.UserService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Issues, lists, verifies and revokes API keys. An admin manages every key; anybody else (a developer in the
 * dashboard) only keys that belong to them, with scopes they hold. Verification is on every request, so verified keys are
 * cached for {@code mercato.auth.api-key-cache-ttl} (default 30 s): a revocation clears the entry on this
 * node at once and on other nodes within that time.
 */
@Service
public class ApiKeyService {

    private final ApiKeyRepository repository;
    private final UserService users;
    private final Clock clock;
    private final Cache<ByteBuffer, Optional<CachedKey>> cache;

    ApiKeyService(
            ApiKeyRepository repository,
            UserService users,
            Clock clock,
            MeterRegistry meters,
            AuthProperties properties) {
        this.repository = repository;
        this.users = users;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(properties.apiKeyCacheTtl())
                .recordStats()
                .build();
        // cache_gets_total{cache="api_keys",result="hit|miss"}: a miss is the only database lookup.
        CaffeineCacheMetrics.monitor(meters, cache, "api_keys");
    }

    /** A key together with its plain value, which exists only in this object and the creation response. */
    public record IssuedKey(ApiKey key, String plainKey) {}

    private record CachedKey(ApiKey key, String ownerName) {}

    /**
     * A new key for {@code userId} (or for nobody), or, when the caller is not an admin, for the caller itself
     * whatever {@code userId} says.
     */
    public IssuedKey issue(
            Caller caller,
            String name,
            Set<Scope> scopes,
            String userId,
            Instant expiresAt,
            Integer rateLimitPerMinute) {
        caller.checkMayGrant(scopes);
        if (!caller.has(Scope.ADMIN)) {
            userId = caller.userId();
        }
        if (userId != null && users.find(Caller.SYSTEM, userId).isEmpty()) {
            throw new NotFoundException("user", userId);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw InvalidRequestException.field("expiresAt", "The 'expiresAt' parameter must be in the future.");
        }
        return store(ApiKeyFormat.generate(), name, scopes, userId, rateLimitPerMinute, expiresAt, false, now);
    }

    /** Stores the bootstrap admin key; false when another server created it first. */
    boolean issueBootstrap(String plainKey) {
        try {
            store(
                    plainKey,
                    "bootstrap admin",
                    Set.of(Scope.ADMIN),
                    null,
                    null,
                    null,
                    true,
                    clock.instant().truncatedTo(ChronoUnit.MICROS));
            return true;
        } catch (org.springframework.dao.DuplicateKeyException e) {
            return false;
        }
    }

    boolean bootstrapExists() {
        return repository.bootstrapExists();
    }

    /** Every key for an admin, newest first; the caller's own keys for anybody else. */
    public Page<ApiKey> list(Caller caller, PageParams page) {
        return caller.has(Scope.ADMIN) ? repository.findAll(page) : repository.findByUser(caller.userId(), page);
    }

    public ApiKey get(Caller caller, String id) {
        return repository
                .findById(id)
                .filter(key -> caller.manages(key.userId()))
                .orElseThrow(() -> new NotFoundException("API key", id));
    }

    public void revoke(Caller caller, String id) {
        get(caller, id);
        byte[] hash = repository.revoke(id, clock.instant()).orElseThrow(() -> new NotFoundException("API key", id));
        cache.invalidate(ByteBuffer.wrap(hash));
    }

    /** A deleted user's keys are revoked in the deleting transaction and leave the cache once it commits. */
    @EventListener
    void revokeKeysOf(UserDeleted deleted) {
        List<byte[]> hashes = repository.revokeAllOfUser(deleted.userId(), clock.instant());
        Runnable evict = () -> hashes.forEach(hash -> cache.invalidate(ByteBuffer.wrap(hash)));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    evict.run();
                }
            });
        } else {
            evict.run();
        }
    }

    /** The usable key a token stands for, with the name the access log shows for it. */
    Optional<VerifiedKey> verify(String token) {
        ByteBuffer hash = ByteBuffer.wrap(ApiKeyFormat.hash(token));
        return cache.get(hash, h -> repository.findByHash(h.array()).map(this::withOwnerName))
                .filter(cached -> cached.key().usableAt(clock.instant()))
                .map(cached -> new VerifiedKey(cached.key(), cached.ownerName()));
    }

    record VerifiedKey(ApiKey key, String callerName) {}

    private CachedKey withOwnerName(ApiKey key) {
        String name = key.userId() == null
                ? key.name()
                : users.find(Caller.SYSTEM, key.userId())
                        .map(user -> user.username())
                        .orElse(key.name());
        return new CachedKey(key, name);
    }

    private IssuedKey store(
            String plainKey,
            String name,
            Set<Scope> scopes,
            String userId,
            Integer rateLimitPerMinute,
            Instant expiresAt,
            boolean bootstrap,
            Instant now) {
        ApiKey key = new ApiKey(
                Ids.generate("key"),
                name,
                ApiKeyFormat.displayPrefix(plainKey),
                scopes,
                userId,
                rateLimitPerMinute,
                now,
                expiresAt,
                null);
        repository.insert(key, ApiKeyFormat.hash(plainKey), bootstrap);
        return new IssuedKey(key, plainKey);
    }
}
