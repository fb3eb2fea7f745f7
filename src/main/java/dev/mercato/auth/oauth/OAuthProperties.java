package dev.mercato.auth.oauth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code mercato.oauth.*} settings (defaults in application.yml, meanings in the README).
 *
 * @param issuer the issuer identifier ({@code iss}) of tokens and metadata; empty means the address each request
 *     was sent to (scheme, host and port), so set it in production to the public base URL
 * @param audience the {@code aud} of every access token; tokens for another audience are refused
 * @param accessTokenTtl how long an access token lives ({@code expires_in})
 * @param refreshTokenTtl how long a refresh token (end-user flow) lives; each use replaces it with a new one
 * @param keyRotation how long one signing key signs before the next one takes over
 * @param keyRefreshInterval how often a server re-reads the signing keys (and creates the next one when due)
 * @param revocationReconcileInterval how often a server re-reads revocations, in case it missed a notification
 * @param purgeInterval how often expired tokens, revocations and keys are deleted
 */
@ConfigurationProperties("mercato.oauth")
record OAuthProperties(String issuer, String audience, Duration accessTokenTtl, Duration refreshTokenTtl,
        Duration keyRotation,
        Duration keyRefreshInterval, Duration revocationReconcileInterval, Duration purgeInterval) {

    /** Leeway for clocks that differ between servers, in token expiry checks. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    OAuthProperties {
        issuer = issuer == null || issuer.isBlank() ? null : stripTrailingSlash(issuer.trim());
        audience = audience == null || audience.isBlank() ? "mercato-api" : audience;
        accessTokenTtl = accessTokenTtl == null ? Duration.ofHours(1) : accessTokenTtl;
        refreshTokenTtl = refreshTokenTtl == null ? Duration.ofDays(30) : refreshTokenTtl;
        keyRotation = keyRotation == null ? Duration.ofDays(30) : keyRotation;
        keyRefreshInterval = keyRefreshInterval == null ? Duration.ofMinutes(1) : keyRefreshInterval;
        revocationReconcileInterval = revocationReconcileInterval == null ? Duration.ofSeconds(30)
                : revocationReconcileInterval;
        purgeInterval = purgeInterval == null ? Duration.ofHours(1) : purgeInterval;
        if (accessTokenTtl.isNegative() || accessTokenTtl.isZero() || refreshTokenTtl.compareTo(accessTokenTtl) < 0
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
