package dev.mercato.auth.oauth;

import dev.mercato.users.UserDeactivated;
import dev.mercato.users.UserDeleted;
import dev.mercato.users.UserPasswordChanged;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.stereotype.Component;

/**
 * What a user authorized ends with the user: when a user is deleted or deactivated, every token issued for them is
 * invalidated (access tokens through the revocation list, so every server refuses them at once; refresh tokens and
 * codes in the store) and their consents are forgotten. A new or removed password ends the tokens too (whoever
 * held the old one may have signed in with it), and keeps the consents. Runs in the transaction that makes the
 * change.
 */
@Component
class UserAuthorizations {

    private final JdbcClient jdbc;
    private final OAuth2AuthorizationService authorizations;

    UserAuthorizations(JdbcClient jdbc, OAuth2AuthorizationService authorizations) {
        this.jdbc = jdbc;
        this.authorizations = authorizations;
    }

    @EventListener
    void onUserDeleted(UserDeleted deleted) {
        endAll(deleted.userId());
    }

    @EventListener
    void onUserDeactivated(UserDeactivated deactivated) {
        endAll(deactivated.userId());
    }

    @EventListener
    void onPasswordChanged(UserPasswordChanged changed) {
        endTokens(changed.userId());
    }

    private void endAll(String userId) {
        endTokens(userId);
        jdbc.sql("delete from oauth2_authorization_consent where principal_name = :userId")
                .param("userId", userId)
                .update();
    }

    private void endTokens(String userId) {
        // Client-credentials authorizations are named after their client, so only the user's own are found here.
        jdbc.sql("select id from oauth2_authorization where principal_name = :userId")
                .param("userId", userId)
                .query(String.class)
                .list()
                .forEach(id -> {
                    OAuth2Authorization authorization = authorizations.findById(id);
                    if (authorization != null) {
                        authorizations.save(invalidated(authorization));
                    }
                });
    }

    private static OAuth2Authorization invalidated(OAuth2Authorization authorization) {
        OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
        if (authorization.getAccessToken() != null) {
            builder.invalidate(authorization.getAccessToken().getToken());
        }
        if (authorization.getRefreshToken() != null) {
            builder.invalidate(authorization.getRefreshToken().getToken());
        }
        return builder.build();
    }
}
