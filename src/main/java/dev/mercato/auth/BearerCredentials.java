package dev.mercato.auth;

import dev.mercato.security.Caller;
import dev.mercato.security.CallerAuthentication;
import dev.mercato.security.RequestCallers;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * What the resource server's bearer-token filter needs to know of Mercato's credentials: how to read the token
 * ({@code Authorization: Bearer <token>}, the scheme in any case; nothing else is a bearer credential), and how to
 * turn it into the {@link Caller}, with the first {@link CredentialVerifier} that supports it (an API key, a JWT
 * access token). The caller is also kept on the request for the filters that run outside Spring Security's chain.
 */
class BearerCredentials implements AuthenticationConverter, AuthenticationManagerResolver<HttpServletRequest> {

    private static final String PREFIX = "bearer ";

    private final List<CredentialVerifier> verifiers;

    BearerCredentials(List<CredentialVerifier> verifiers) {
        this.verifiers = verifiers;
    }

    /** The token; null without an Authorization header (the request stays anonymous and answers 401). */
    @Override
    public Authentication convert(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return null;
        }
        if (header.length() <= PREFIX.length() || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new InvalidBearerTokenException("The Authorization header must be 'Bearer <token>'.");
        }
        return new BearerTokenAuthenticationToken(
                header.substring(PREFIX.length()).trim());
    }

    @Override
    public AuthenticationManager resolve(HttpServletRequest request) {
        return bearer -> {
            Caller caller = verify(((BearerTokenAuthenticationToken) bearer).getToken());
            RequestCallers.set(request, caller);
            return CallerAuthentication.ofScopes(caller);
        };
    }

    private Caller verify(String token) {
        for (CredentialVerifier verifier : verifiers) {
            if (verifier.supports(token)) {
                return verifier.verify(token);
            }
        }
        throw new InvalidCredentialException("The bearer token is not a credential this server issued.");
    }
}
