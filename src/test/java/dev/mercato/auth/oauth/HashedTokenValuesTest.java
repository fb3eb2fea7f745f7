package dev.mercato.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** What the authorization store keeps of the values it finds again (hashes), and what a look-up gives back. */
class HashedTokenValuesTest {

    private static final RegisteredClient CLIENT = RegisteredClient.withId("client-1")
            .clientId("app")
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("https://app.example.com/callback")
            .build();
    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private final InMemoryOAuth2AuthorizationService stored = new InMemoryOAuth2AuthorizationService();
    private final HashedTokenValues store = new HashedTokenValues(stored);

    @Test
    void aRequestWaitingForConsentIsKeptAndFoundByTheHashOfItsState() {
        store.save(grant().attribute(OAuth2ParameterNames.STATE, "the-state").build());

        assertThat(stored.findById("grant-1").<String>getAttribute(OAuth2ParameterNames.STATE))
                .isEqualTo(HashedTokenValues.hash("the-state"));
        assertThat(store.findByToken("the-state", STATE).<String>getAttribute(OAuth2ParameterNames.STATE))
                .isEqualTo("the-state");
        assertThat(store.findByToken(HashedTokenValues.hash("the-state"), STATE))
                .as("the stored hash cannot be presented")
                .isNull();
    }

    @Test
    void tokensAreKeptAsHashesAndFoundByTheValuePresented() {
        store.save(grant().token(new OAuth2AuthorizationCode("the-code", NOW, NOW.plusSeconds(60)))
                .token(
                        new OAuth2AccessToken(
                                OAuth2AccessToken.TokenType.BEARER,
                                "the-access-token",
                                NOW,
                                NOW.plusSeconds(300),
                                Set.of("users:read")),
                        metadata -> metadata.put("claims", "kept"))
                .refreshToken(new OAuth2RefreshToken("the-refresh-token", NOW, NOW.plusSeconds(3600)))
                .build());

        OAuth2Authorization kept = stored.findById("grant-1");
        assertThat(kept.getToken(OAuth2AuthorizationCode.class).getToken().getTokenValue())
                .isEqualTo(HashedTokenValues.hash("the-code"));
        assertThat(kept.getAccessToken().getToken().getTokenValue())
                .isEqualTo(HashedTokenValues.hash("the-access-token"));
        assertThat(kept.getRefreshToken().getToken().getTokenValue())
                .isEqualTo(HashedTokenValues.hash("the-refresh-token"));

        OAuth2Authorization found = store.findByToken("the-access-token", OAuth2TokenType.ACCESS_TOKEN);
        assertThat(found.getAccessToken().getToken().getTokenValue()).isEqualTo("the-access-token");
        assertThat(found.getAccessToken().getToken().getScopes()).containsExactly("users:read");
        assertThat(found.getAccessToken().getMetadata()).containsEntry("claims", "kept");
        assertThat(found.getRefreshToken().getToken().getTokenValue())
                .as("only the value presented is given back")
                .isEqualTo(HashedTokenValues.hash("the-refresh-token"));
        assertThat(store.findByToken("the-refresh-token", null)
                        .getRefreshToken()
                        .getToken()
                        .getTokenValue())
                .isEqualTo("the-refresh-token");
        assertThat(store.findByToken("the-code", new OAuth2TokenType(OAuth2ParameterNames.CODE)))
                .isNotNull();

        // Saved again as found (a refresh, a revocation): still hashes only, none hashed twice.
        store.save(found);
        assertThat(stored.findById("grant-1").getAccessToken().getToken().getTokenValue())
                .isEqualTo(HashedTokenValues.hash("the-access-token"));
        assertThat(stored.findById("grant-1").getRefreshToken().getToken().getTokenValue())
                .isEqualTo(HashedTokenValues.hash("the-refresh-token"));
    }

    private static OAuth2Authorization.Builder grant() {
        return OAuth2Authorization.withRegisteredClient(CLIENT)
                .id("grant-1")
                .principalName("usr_1")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE);
    }
}
