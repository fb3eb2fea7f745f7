package dev.mercato.auth.oauth;

import java.time.Instant;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring's authorization store, plus this: when an access token is invalidated (the revocation endpoint, or
 * any other flow that revokes one), its {@code jti} is written to {@code oauth_revoked_tokens} and announced
 * to every server in the same transaction, and this server stops accepting it as soon as that commits.
 * Self-contained tokens are verified without the store, so without this a revoked token would still work.
 */
class RevocationRecordingAuthorizationService implements OAuth2AuthorizationService {

    private final OAuth2AuthorizationService delegate;
    private final RevocationRepository revocations;
    private final RevokedTokens revoked;
    private final TransactionTemplate transactions;

    RevocationRecordingAuthorizationService(OAuth2AuthorizationService delegate, RevocationRepository revocations,
            RevokedTokens revoked, TransactionTemplate transactions) {
        this.delegate = delegate;
        this.revocations = revocations;
        this.revoked = revoked;
        this.transactions = transactions;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
        if (accessToken == null || !accessToken.isInvalidated()) {
            delegate.save(authorization);
            return;
        }
        String jti = accessToken.getClaims() == null ? null : (String) accessToken.getClaims().get("jti");
        Instant expiresAt = accessToken.getToken().getExpiresAt();
        transactions.executeWithoutResult(status -> {
            delegate.save(authorization);
            if (jti != null && expiresAt != null) {
                Revocation revocation = Revocation.token(jti, expiresAt.plus(OAuthProperties.CLOCK_SKEW));
                revocations.revokeToken(jti, authorization.getRegisteredClientId(), revocation.expiresAt());
                afterCommit(() -> revoked.add(revocation));
            }
        });
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return delegate.findByToken(token, tokenType);
    }

    private static void afterCommit(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
