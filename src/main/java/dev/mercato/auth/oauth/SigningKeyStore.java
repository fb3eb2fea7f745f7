package dev.mercato.auth.oauth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.mercato.web.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
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

    SigningKeyStore(SigningKeyRepository repository, TransactionTemplate transactions, Clock clock, Duration rotation,
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
            Optional<SigningKey> newest = repository.findUnexpired(now).stream()
                    .max(Comparator.comparing(SigningKey::activatesAt));
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
        keys = List.copyOf(repository.findUnexpired(clock.instant()));
    }

    /** The key that signs now (the newest active one), creating it if no server has yet. */
    RSAKey signingKey() {
        Optional<SigningKey> current = current();
        if (current.isEmpty()) {
            ensureKeys();
            current = current();
        }
        return current.orElseThrow(() -> new IllegalStateException("No signing key is active")).jwk();
    }

    /** The public keys of every unexpired key: the JWKS. */
    JWKSet publicKeys() {
        Instant now = clock.instant();
        return new JWKSet(keys.stream().filter(key -> key.verifiesAt(now)).<JWK>map(SigningKey::publicJwk).toList());
    }

    /** For the JWKS endpoint: the published public keys. */
    JWKSource<SecurityContext> publishedKeys() {
        return (selector, context) -> selector.select(publicKeys());
    }

    /** For the encoder: the current signing key only, private part included. */
    JWKSource<SecurityContext> currentSigningKey() {
        return (selector, context) -> selector.select(new JWKSet(signingKey()));
    }

    /** For the decoder: unexpired keys, re-read once when a token names none of them. */
    JWKSource<SecurityContext> verificationKeys() {
        return (selector, context) -> {
            List<JWK> found = select(selector);
            if (found.isEmpty() && reloadAllowed()) {
                reload();
                found = select(selector);
            }
            return found;
        };
    }

    private List<JWK> select(JWKSelector selector) {
        if (selector.getMatcher().getKeyIDs() == null || selector.getMatcher().getKeyIDs().isEmpty()) {
            return List.of(); // every token we sign names its key; one that does not is not ours
        }
        return selector.select(publicKeys());
    }

    private boolean reloadAllowed() {
        long last = lastReload.get();
        return System.nanoTime() - last >= MIN_RELOAD_INTERVAL.toNanos() && lastReload.compareAndSet(last, System.nanoTime());
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
        SigningKey key = SigningKey.generate(Ids.generate("jwk"), activatesAt, retiresAt, retiresAt.plus(tokenLifetime));
        repository.insert(key, now);
        log.info("Created OAuth signing key {} (signs from {} to {}, verifies until {})", key.kid(), activatesAt,
                retiresAt, key.expiresAt());
    }
}
