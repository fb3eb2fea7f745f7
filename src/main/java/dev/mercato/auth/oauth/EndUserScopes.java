package dev.mercato.auth.oauth;

import dev.mercato.security.Scope;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * The scopes an end user can grant an application, with what the consent page tells the user about each. The
 * others (admin, products:write, logs, reports, integrations) are the shop operator's: a user cannot hand them
 * on, so an authorization request for one is refused ({@code invalid_scope}) and a token never carries one.
 */
final class EndUserScopes {

    private static final Map<Scope, String> DESCRIPTIONS;

    static {
        Map<Scope, String> descriptions = new EnumMap<>(Scope.class);
        descriptions.put(Scope.USERS_READ, "See your account: username, email address, name and phone number");
        descriptions.put(Scope.USERS_WRITE, "Change or delete your account and set its password");
        descriptions.put(Scope.PRODUCTS_READ, "See the product catalogue");
        descriptions.put(Scope.ORDERS_READ, "See your orders");
        descriptions.put(Scope.ORDERS_WRITE, "Place orders in your name and cancel them");
        descriptions.put(Scope.PAYMENTS_WRITE, "Pay for your orders");
        descriptions.put(Scope.NOTIFICATIONS_WRITE, "Send notifications to you");
        DESCRIPTIONS = Collections.unmodifiableMap(descriptions);
    }

    private EndUserScopes() {}

    /** What the scope lets an application do, in words for the user; empty for a scope a user cannot grant. */
    static Optional<String> describe(String scope) {
        return Scope.parse(scope).map(DESCRIPTIONS::get);
    }

    static boolean grantable(Scope scope) {
        return DESCRIPTIONS.containsKey(scope);
    }

    /**
     * Runs after Spring's own checks of an authorization request (client, redirect URI, scopes of the client,
     * PKCE), so the redirect URI is known to be the client's and the error goes back to it.
     */
    static void validate(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        for (String scope : request.getScopes()) {
            if (describe(scope).isEmpty()) {
                String redirectUri = request.getRedirectUri() != null
                        ? request.getRedirectUri()
                        : context.getRegisteredClient()
                                .getRedirectUris()
                                .iterator()
                                .next();
                OAuth2Error error = new OAuth2Error(
                        OAuth2ErrorCodes.INVALID_SCOPE, "The scope '" + scope + "' cannot be granted by a user.", null);
                throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                        error,
                        new OAuth2AuthorizationCodeRequestAuthenticationToken(
                                request.getAuthorizationUri(),
                                request.getClientId(),
                                (org.springframework.security.core.Authentication) request.getPrincipal(),
                                redirectUri,
                                request.getState(),
                                request.getScopes(),
                                request.getAdditionalParameters()));
            }
        }
    }
}
