package dev.mercato.auth;

import dev.mercato.security.Caller;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Verifies API keys: the checksum first (no database for a typo), then the cached hash lookup. */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiKeyVerifier implements CredentialVerifier {

    private final ApiKeyService keys;

    ApiKeyVerifier(ApiKeyService keys) {
        this.keys = keys;
    }

    @Override
    public boolean supports(String token) {
        return ApiKeyFormat.looksLikeKey(token);
    }

    @Override
    public Caller verify(String token) {
        if (!ApiKeyFormat.hasValidChecksum(token)) {
            throw new InvalidCredentialException("The API key is malformed.");
        }
        return keys.verify(token)
                .map(verified -> new Caller(
                        verified.key().id(),
                        verified.key().userId(),
                        verified.callerName(),
                        verified.key().scopes(),
                        verified.key().rateLimitPerMinute()))
                .orElseThrow(() -> new InvalidCredentialException("The API key is unknown, expired or revoked."));
    }
}
