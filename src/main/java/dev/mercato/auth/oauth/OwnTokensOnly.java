package dev.mercato.auth.oauth;

import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;

/**
 * A client introspects and revokes its own tokens only. Introspecting another client's token answers
 * {@code {"active": false}}, exactly as for a token that does not exist (RFC 7662 §2.2 lets the server decide what a
 * client may see), and revoking one answers 200 and changes nothing (RFC 7009 §2.2: the same answer as for an
 * invalid token), so neither endpoint tells a client whether someone else's token exists or is alive.
 */
final class OwnTokensOnly {

    private OwnTokensOnly() {}

    /** Wraps Spring's introspection and revocation providers in {@code providers}. */
    static void apply(List<AuthenticationProvider> providers, OAuth2AuthorizationService authorizations) {
        providers.replaceAll(provider -> new Guarded(provider, authorizations));
    }

    private record Guarded(AuthenticationProvider delegate, OAuth2AuthorizationService authorizations)
            implements AuthenticationProvider {

        @Override
        public Authentication authenticate(Authentication authentication) throws AuthenticationException {
            if (authentication instanceof OAuth2TokenRevocationAuthenticationToken revocation
                    && !ownedByCaller(revocation.getToken(), revocation.getPrincipal())) {
                return revocation; // answered 200 as for an unknown token; nothing is revoked
            }
            Authentication result = delegate.authenticate(authentication);
            if (result instanceof OAuth2TokenIntrospectionAuthenticationToken introspection
                    && introspection.getTokenClaims().isActive()
                    && !ownedByCaller(introspection.getToken(), introspection.getPrincipal())) {
                return new OAuth2TokenIntrospectionAuthenticationToken(
                        introspection.getToken(),
                        (Authentication) introspection.getPrincipal(),
                        OAuth2TokenIntrospection.builder().build());
            }
            return result;
        }

        private boolean ownedByCaller(String token, Object principal) {
            if (!(principal instanceof OAuth2ClientAuthenticationToken client)
                    || client.getRegisteredClient() == null) {
                return true; // not ours to decide: Spring refuses an unauthenticated client itself
            }
            OAuth2Authorization authorization = authorizations.findByToken(token, null);
            return authorization == null
                    || authorization
                            .getRegisteredClientId()
                            .equals(client.getRegisteredClient().getId());
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return delegate.supports(authentication);
        }
    }
}
