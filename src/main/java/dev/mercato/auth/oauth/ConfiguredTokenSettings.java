package dev.mercato.auth.oauth;

import java.time.Duration;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The stored clients, with the token settings of this server's configuration rather than the ones stored with
 * each client: the access-token lifetime ({@code mercato.oauth.access-token-ttl}) and format (self-contained
 * JWTs) apply to every client, including those registered before the setting changed; refresh tokens last
 * {@code mercato.oauth.refresh-token-ttl} and are rotated: each use issues a new one and the old one stops working.
 */
final class ConfiguredTokenSettings implements RegisteredClientRepository {

    private final RegisteredClientRepository delegate;
    private final Duration accessTokenTtl;
    private final Duration refreshTokenTtl;

    ConfiguredTokenSettings(RegisteredClientRepository delegate, Duration accessTokenTtl, Duration refreshTokenTtl) {
        this.delegate = delegate;
        this.accessTokenTtl = accessTokenTtl;
        this.refreshTokenTtl = refreshTokenTtl;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        delegate.save(registeredClient);
    }

    @Override
    public RegisteredClient findById(String id) {
        return configured(delegate.findById(id));
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return configured(delegate.findByClientId(clientId));
    }

    TokenSettings tokenSettings(TokenSettings stored) {
        return TokenSettings.withSettings(stored.getSettings())
                .accessTokenTimeToLive(accessTokenTtl)
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .refreshTokenTimeToLive(refreshTokenTtl)
                .reuseRefreshTokens(false)
                .build();
    }

    private RegisteredClient configured(RegisteredClient client) {
        return client == null
                ? null
                : RegisteredClient.from(client)
                        .tokenSettings(tokenSettings(client.getTokenSettings()))
                        .build();
    }
}
