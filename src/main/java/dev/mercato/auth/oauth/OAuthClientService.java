package dev.mercato.auth.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.Ids;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.users.UserDeleted;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.NamedInterface;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Registers, lists, re-keys and deletes OAuth 2.0 clients, which authenticate with their secret by HTTP Basic or in
 * the form. A client gets the grants it asks for: client_credentials, to act as itself, and authorization_code (PKCE
 * required) with refresh_token, to act for signed-in users; by default the first without redirect URIs and the
 * second alone with them. An admin manages every client; a
 * developer (in the dashboard) only the clients they registered, with scopes they hold.
 */
@Service
@NamedInterface("clients")
public class OAuthClientService {

    private static final PasswordEncoder SECRETS = ClientSecrets.encoder();
    private static final Duration NAME_CACHE_TTL = Duration.ofMinutes(5);

    private final OAuthClientRepository repository;
    private final CachedRegisteredClients registeredClients;
    private final RevocationRepository revocations;
    private final RevokedTokens revoked;
    private final Clock clock;
    private final Duration accessTokenTtl;
    private final Cache<String, Optional<OAuthClient.Identity>> identities = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(NAME_CACHE_TTL)
            .build();

    OAuthClientService(
            OAuthClientRepository repository,
            CachedRegisteredClients registeredClients,
            RevocationRepository revocations,
            RevokedTokens revoked,
            Clock clock,
            OAuthProperties properties) {
        this.repository = repository;
        this.registeredClients = registeredClients;
        this.revocations = revocations;
        this.revoked = revoked;
        this.clock = clock;
        this.accessTokenTtl = properties.accessTokenTtl();
    }

    /** A client together with its plain secret, which exists only in this object and the response. */
    public record IssuedClient(OAuthClient client, String plainSecret) {}

    /**
     * A new client, owned by the caller unless the caller is an admin. Each redirect URI must be https (or http to a
     * loopback address), absolute, without a fragment; repeats are dropped. The grants are {@link
     * NewOAuthClient#grants()}.
     */
    @Transactional
    public IssuedClient register(Caller caller, NewOAuthClient request) {
        caller.checkMayGrant(request.scopes());
        request.redirectUris().forEach(RedirectUris::check);
        List<String> distinctRedirectUris =
                request.redirectUris().stream().distinct().toList();
        Set<String> grants = request.grants();
        String owner = caller.has(Scope.ADMIN) ? null : caller.userId();
        String clientId = Ids.generate("cli");
        String secret = ClientSecrets.generate();
        RegisteredClient.Builder client = RegisteredClient.withId(clientId)
                .clientId(clientId)
                .clientIdIssuedAt(clock.instant().truncatedTo(ChronoUnit.MICROS))
                .clientSecret(SECRETS.encode(secret))
                .clientName(request.name())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantTypes(types -> grants.forEach(grant -> types.add(new AuthorizationGrantType(grant))))
                .redirectUris(uris -> uris.addAll(distinctRedirectUris))
                .scopes(values -> request.scopes().forEach(scope -> values.add(scope.value())))
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)
                        .requireAuthorizationConsent(true)
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(accessTokenTtl)
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .build());
        registeredClients.save(client.build());
        if (request.rateLimitPerMinute() != null || owner != null) {
            repository.updateLimitAndOwner(clientId, request.rateLimitPerMinute(), owner);
        }
        return new IssuedClient(get(caller, clientId), secret);
    }

    /** Every client for an admin, newest first; the caller's own clients for anybody else. */
    public Page<OAuthClient> list(Caller caller, PageParams page) {
        return caller.has(Scope.ADMIN) ? repository.findAll(page) : repository.findByOwner(caller.userId(), page);
    }

    public OAuthClient get(Caller caller, String clientId) {
        return repository
                .findById(clientId)
                .filter(client -> caller.manages(client.ownerUserId()))
                .orElseThrow(() -> new NotFoundException("OAuth client", clientId));
    }

    /** A new secret; the old one stops working at once. Tokens already issued keep working until they expire. */
    @Transactional
    public IssuedClient rotateSecret(Caller caller, String clientId) {
        get(caller, clientId);
        String secret = ClientSecrets.generate();
        if (!repository.updateSecret(clientId, SECRETS.encode(secret))) {
            throw new NotFoundException("OAuth client", clientId);
        }
        afterCommit(() -> registeredClients.changed(clientId));
        return new IssuedClient(get(caller, clientId), secret);
    }

    /** Deletes the client; every token it holds stops working on every server, here as soon as this commits. */
    @Transactional
    public void delete(Caller caller, String clientId) {
        get(caller, clientId);
        if (!repository.delete(clientId)) {
            throw new NotFoundException("OAuth client", clientId);
        }
        Revocation revocation =
                Revocation.client(clientId, clock.instant().plus(accessTokenTtl).plus(OAuthProperties.CLOCK_SKEW));
        revocations.revokeClient(clientId, revocation.expiresAt());
        afterCommit(() -> {
            revoked.add(revocation);
            identities.invalidate(clientId);
            registeredClients.changed(clientId);
        });
    }

    /** A deleted user's clients go with them, in the deleting transaction, and their tokens stop working. */
    @EventListener
    @Transactional
    void deleteClientsOf(UserDeleted deleted) {
        repository.findIdsByOwner(deleted.userId()).forEach(clientId -> delete(Caller.SYSTEM, clientId));
    }

    private static void afterCommit(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    /** The client's name and rate limit (cached); empty when the client no longer exists. */
    Optional<OAuthClient.Identity> identityOf(String clientId) {
        return clientId == null ? Optional.empty() : identities.get(clientId, repository::findIdentity);
    }

    static DomainException invalidRedirectUri(String value, String reason) {
        return InvalidRequestException.field(
                "redirectUris", "The redirect URI '" + value + "' is not acceptable: " + reason);
    }
}
