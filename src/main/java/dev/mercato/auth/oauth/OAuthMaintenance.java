package dev.mercato.auth.oauth;

import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Periodic work of every server: re-read the signing keys (creating the next one when due), reconcile
 * revocations in case a notification was missed, and purge what has expired. Safe on every server at once.
 */
@Component
class OAuthMaintenance {

    private static final Logger log = LoggerFactory.getLogger(OAuthMaintenance.class);

    private final SigningKeyStore keys;
    private final SigningKeyRepository keyRepository;
    private final RevokedTokens revoked;
    private final RevocationRepository revocations;
    private final OAuthClientRepository clients;
    private final Clock clock;
    private final OAuthProperties properties;

    OAuthMaintenance(
            SigningKeyStore keys,
            SigningKeyRepository keyRepository,
            RevokedTokens revoked,
            RevocationRepository revocations,
            OAuthClientRepository clients,
            Clock clock,
            OAuthProperties properties) {
        this.keys = keys;
        this.keyRepository = keyRepository;
        this.revoked = revoked;
        this.revocations = revocations;
        this.clients = clients;
        this.clock = clock;
        this.properties = properties;
    }

    @Scheduled(
            initialDelayString = OAuthProperties.KEY_REFRESH_INTERVAL,
            fixedDelayString = OAuthProperties.KEY_REFRESH_INTERVAL)
    void refreshKeys() {
        keys.ensureKeys();
    }

    @Scheduled(
            initialDelayString = OAuthProperties.REVOCATION_RECONCILE_INTERVAL,
            fixedDelayString = OAuthProperties.REVOCATION_RECONCILE_INTERVAL)
    void reconcileRevocations() {
        revoked.reconcile();
    }

    @Scheduled(initialDelayString = OAuthProperties.PURGE_INTERVAL, fixedDelayString = OAuthProperties.PURGE_INTERVAL)
    void purge() {
        Instant now = clock.instant();
        int grants = clients.deleteExpiredAuthorizations(
                now.minus(OAuthProperties.CLOCK_SKEW),
                now.minus(properties.accessTokenTtl()).minus(OAuthProperties.CLOCK_SKEW));
        int revocationRows = revocations.deleteExpired(now);
        int keyRows = keyRepository.deleteExpired(now);
        if (grants + revocationRows + keyRows > 0) {
            log.info(
                    "Purged {} expired OAuth grants, {} revocations and {} signing keys",
                    grants,
                    revocationRows,
                    keyRows);
        }
    }
}
