package dev.mercato.auth.oauth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.mercato.shared.Ids;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The signing keys, as every server sees them: read from the database, kept in memory, re-read periodically
 * and when a token names a key this server has not seen (another server may have just created it). The
 * current key signs; every unexpired key verifies and is published in the JWKS.
 *
 * <p>Keys are created ahead of need: when the newest key retires within {@link #lead()}, the next one is
 * created to activate at that moment, so every server and every JWKS cache knows it before the first token
 * it signs. Two servers deciding at once are serialised by an advisory lock, so exactly one creates it.
 */
class SigningKeyStore {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyStore.class);
    /** A token naming an unknown key makes the store re-read at most this often (it may be garbage). */
    private static final Duration MIN_RELOAD_INTERVAL = Duration.ofSeconds(1);

    private final SigningKeyRepository repository;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration rotation;
    private final Duration tokenLifetime;
    private final AtomicLong lastReload = new AtomicLong(System.nanoTime() - MIN_RELOAD_INTERVAL.toNanos());
    private volatile List<SigningKey> keys = List.of();
    private volatile Map<String, SigningKey> byKid = Map.of();

    SigningKeyStore(
            SigningKeyRepository repository,
            TransactionTemplate transactions,
            Clock clock,
            Duration rotation,
            Duration accessTokenTtl) {
        this.repository = repository;
        this.transactions = transactions;
        this.clock = clock;
        this.rotation = rotation;
        this.tokenLifetime = accessTokenTtl.plus(OAuthProperties.CLOCK_SKEW);
    }

    /** Creates the current key when there is none, and the next one when it is due; then re-reads them all. */
    void ensureKeys() {
        transactions.executeWithoutResult(status -> {
            repository.lockSchedule();
            Instant now = clock.instant();
            Optional<SigningKey> newest =
                    repository.findUnexpired(now).stream().max(Comparator.comparing(SigningKey::activatesAt));
            if (newest.isEmpty() || !newest.get().retiresAt().isAfter(now)) {
                create(now, now);
            } else if (Duration.between(now, newest.get().retiresAt()).compareTo(lead()) < 0) {
                create(newest.get().retiresAt(), now);
            }
        });
        reload();
    }

    /** Re-reads the keys from the database. */
    synchronized void reload() {
        lastReload.set(System.nanoTime());
        List<SigningKey> loaded = List.copyOf(repository.findUnexpired(clock.instant()));
        byKid = loaded.stream().collect(Collectors.toUnmodifiableMap(SigningKey::kid, key -> key));
        keys = loaded;
    }

    /** The key that signs now (the newest active one), creating it if no server has yet. */
    RSAKey signingKey() {
        Optional<SigningKey> current = current();
        if (current.isEmpty()) {
            ensureKeys();
            current = current();
        }
        return current.orElseThrow(() -> new IllegalStateException("No signing key is active"))
                .jwk();
    }

    /** The public keys of every unexpired key: the JWKS. */
    JWKSet publicKeys() {
        Instant now = clock.instant();
        return new JWKSet(keys.stream()
                .filter(key -> key.verifiesAt(now))
                .<JWK>map(SigningKey::publicJwk)
                .toList());
    }

    /** For the JWKS endpoint: the published public keys. */
    JWKSource<SecurityContext> publishedKeys() {
        return (selector, context) -> selector.select(publicKeys());
    }

    /** For the encoder: the current signing key only, private part included. */
    JWKSource<SecurityContext> currentSigningKey() {
        return (selector, context) -> selector.select(new JWKSet(signingKey()));
    }

    /**
     * The public key a token naming {@code kid} is verified with: an unexpired key of ours, re-reading the keys
     * once when the kid is unknown (another server may have just created it). No kid, no key.
     */
    Optional<RSAPublicKey> verificationKey(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        Optional<RSAPublicKey> key = lookup(kid);
        if (key.isEmpty() && reloadAllowed()) {
            reload();
            key = lookup(kid);
        }
        return key;
    }

    private Optional<RSAPublicKey> lookup(String kid) {
        SigningKey key = byKid.get(kid);
        return key != null && key.verifiesAt(clock.instant()) ? Optional.of(key.publicKey()) : Optional.empty();
    }

    private boolean reloadAllowed() {
        long last = lastReload.get();
        return System.nanoTime() - last >= MIN_RELOAD_INTERVAL.toNanos()
                && lastReload.compareAndSet(last, System.nanoTime());
    }

    private Optional<SigningKey> current() {
        Instant now = clock.instant();
        return keys.stream().filter(key -> key.signsAt(now)).max(Comparator.comparing(SigningKey::activatesAt));
    }

    /** How long before the newest key retires its successor is created: an hour, or half a short rotation. */
    private Duration lead() {
        Duration half = rotation.dividedBy(2);
        return half.compareTo(Duration.ofHours(1)) < 0 ? half : Duration.ofHours(1);
    }

    private void create(Instant activatesAt, Instant now) {
        Instant retiresAt = activatesAt.plus(rotation);
        SigningKey key =
                SigningKey.generate(Ids.generate("jwk"), activatesAt, retiresAt, retiresAt.plus(tokenLifetime));
        repository.insert(key, now);
        log.info(
                "Created OAuth signing key {} (signs from {} to {}, verifies until {})",
                key.kid(),
                activatesAt,
                retiresAt,
                key.expiresAt());
    }
}
