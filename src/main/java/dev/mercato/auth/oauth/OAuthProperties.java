package dev.mercato.auth.oauth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code mercato.oauth.*} settings (meanings also in the README).
 *
 * @param issuer the issuer identifier (iss) of tokens and metadata; empty means the address each request was sent
 *     to (scheme, host and port), so set it in production to the public base URL
 * @param audience the aud of every access token; tokens for another audience are refused
 * @param accessTokenTtl how long an access token lives (expires_in)
 * @param refreshTokenTtl how long a refresh token (end-user flow) lives; each use replaces it with a new one
 * @param keyRotation how long one signing key signs before the next one takes over
 * @param keyRefreshInterval how often a server re-reads the signing keys (and creates the next one when due)
 * @param revocationReconcileInterval how often a server re-reads revocations, in case it missed a notification
 * @param purgeInterval how often expired tokens, revocations and keys are deleted
 * @param listenUrl the JDBC URL of the connection that listens for revocations and client changes; empty means one
 *     of the application's pool. Set it to the database's direct address (or a session-mode pooler) when the
 *     application's connections go through a transaction-mode pooler, which drops {@code LISTEN}; the user and
 *     password are {@code spring.datasource}'s unless the URL names them
 */
@ConfigurationProperties("mercato.oauth")
record OAuthProperties(
        @DefaultValue("") String issuer,
        @DefaultValue(OAuthProperties.AUDIENCE) String audience,
        @DefaultValue("1h") Duration accessTokenTtl,
        @DefaultValue("30d") Duration refreshTokenTtl,
        @DefaultValue("30d") Duration keyRotation,
        @DefaultValue("1m") Duration keyRefreshInterval,
        @DefaultValue("30s") Duration revocationReconcileInterval,
        @DefaultValue("1h") Duration purgeInterval,
        @DefaultValue("") String listenUrl) {

    /** Leeway for clocks that differ between servers, in token expiry checks. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    /** The default audience, which a blank one also falls back to. */
    static final String AUDIENCE = "mercato-api";

    /** The intervals for {@code @Scheduled}, read from this record's bean (named after prefix and type). */
    private static final String BEAN = "@'mercato.oauth-dev.mercato.auth.oauth.OAuthProperties'";

    static final String KEY_REFRESH_INTERVAL = "#{" + BEAN + ".keyRefreshInterval()}";
    static final String REVOCATION_RECONCILE_INTERVAL = "#{" + BEAN + ".revocationReconcileInterval()}";
    static final String PURGE_INTERVAL = "#{" + BEAN + ".purgeInterval()}";

    OAuthProperties {
        issuer = issuer.isBlank() ? null : stripTrailingSlash(issuer.trim());
        audience = audience.isBlank() ? AUDIENCE : audience;
        listenUrl = listenUrl.isBlank() ? null : listenUrl.trim();
        if (listenUrl != null && !listenUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("mercato.oauth.listen-url must be a jdbc:postgresql: URL");
        }
        if (accessTokenTtl.isNegative()
                || accessTokenTtl.isZero()
                || refreshTokenTtl.compareTo(accessTokenTtl) < 0
                || keyRotation.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalStateException(
                    "mercato.oauth.access-token-ttl must be positive, mercato.oauth.refresh-token-ttl at least as long "
                            + "and mercato.oauth.key-rotation at least 1m");
        }
    }

    private static String stripTrailingSlash(String value) {
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
