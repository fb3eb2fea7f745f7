package dev.mercato.auth.oauth;

import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring's authorization store (table {@code oauth2_authorization}), with two differences.
 * <ul>
 * <li>A client_credentials grant is not stored. Its only token is a self-contained JWT that says everything the
 * grant would, so storing it would cost a query, an insert and a serialisation per token, and a row per token
 * (millions an hour for a client that asks for a token per call). When introspection or revocation looks such a
 * token up, the grant is rebuilt from the verified token itself.</li>
 * <li>When an access token is invalidated (the revocation endpoint, or any other flow that revokes one), its
 * {@code jti} is written to {@code oauth_revoked_tokens} and announced to every server in the same transaction,
 * and this server stops accepting it as soon as that commits. Self-contained tokens are verified without the
 * store, so without this a revoked token would still work.</li>
 * </ul>
 */
class AuthorizationStore implements OAuth2AuthorizationService {

    private final OAuth2AuthorizationService delegate;
    private final RegisteredClientRepository clients;
    private final AccessTokenVerifier tokens;
    private final RevocationRepository revocations;
    private final RevokedTokens revoked;
    private final TransactionTemplate transactions;

    AuthorizationStore(
            OAuth2AuthorizationService delegate,
            RegisteredClientRepository clients,
            AccessTokenVerifier tokens,
            RevocationRepository revocations,
            RevokedTokens revoked,
            TransactionTemplate transactions) {
        this.delegate = delegate;
        this.clients = clients;
        this.tokens = tokens;
        this.revocations = revocations;
        this.revoked = revoked;
        this.transactions = transactions;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        boolean stored = !AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType());
        OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
        if (accessToken == null || !accessToken.isInvalidated()) {
            if (stored) {
                delegate.save(authorization);
            }
            return;
        }
        String jti = accessToken.getClaims() == null
                ? null
                : (String) accessToken.getClaims().get("jti");
        Instant expiresAt = accessToken.getToken().getExpiresAt();
        transactions.executeWithoutResult(status -> {
            if (stored) {
                delegate.save(authorization);
            }
            if (jti != null && expiresAt != null) {
                Revocation revocation = Revocation.token(jti, expiresAt.plus(OAuthProperties.CLOCK_SKEW));
                revocations.revokeToken(jti, authorization.getRegisteredClientId(), revocation.expiresAt());
                afterCommit(() -> revoked.add(revocation));
            }
        });
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
            delegate.remove(authorization);
        }
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        OAuth2Authorization stored = delegate.findByToken(token, tokenType);
        if (stored != null || (tokenType != null && !OAuth2TokenType.ACCESS_TOKEN.equals(tokenType))) {
            return stored;
        }
        return tokens.decodeClientCredentialsToken(token)
                .map(this::clientCredentialsGrant)
                .orElse(null);
    }

    /** The grant a client_credentials token stands for, as Spring would have stored it. */
    private OAuth2Authorization clientCredentialsGrant(Jwt jwt) {
        String clientId = jwt.getClaimAsString("client_id");
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null) {
            return null;
        }
        Set<String> scopes = new HashSet<>(Optional.ofNullable(jwt.getClaimAsString("scope"))
                .map(value -> Set.of(value.split(" ")))
                .orElse(Set.of()));
        scopes.remove("");
        OAuth2AccessToken accessToken = new OAuth2AccessToken(
                OAuth2AccessToken.TokenType.BEARER, jwt.getTokenValue(), jwt.getIssuedAt(), jwt.getExpiresAt(), scopes);
        boolean revokedToken = revoked.isRevoked(jwt.getId(), clientId);
        return OAuth2Authorization.withRegisteredClient(client)
                .id(jwt.getId())
                .principalName(clientId)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .authorizedScopes(scopes)
                .token(accessToken, metadata -> {
                    metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, jwt.getClaims());
                    metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, revokedToken);
                })
                .build();
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
