package dev.mercato.auth;

import dev.mercato.security.Caller;
import dev.mercato.security.RequestCallers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} with the first {@link CredentialVerifier} that
 * supports the token. No header leaves the request anonymous (the authorization rules then answer 401);
 * a header that does not verify is answered 401 at once.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PREFIX = "bearer ";

    private final List<CredentialVerifier> verifiers;
    private final AuthenticationEntryPoint entryPoint;

    BearerTokenFilter(List<CredentialVerifier> verifiers, AuthenticationEntryPoint entryPoint) {
        this.verifiers = verifiers;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            Caller principal = verify(header);
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(new ApiAuthentication(principal));
            SecurityContextHolder.setContext(context);
            RequestCallers.set(request, principal);
        } catch (InvalidCredentialException e) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(request, response, e);
            return;
        }
        chain.doFilter(request, response);
    }

    private Caller verify(String header) {
        if (header.length() <= PREFIX.length() || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new InvalidCredentialException("The Authorization header must be 'Bearer <token>'.");
        }
        String token = header.substring(PREFIX.length()).trim();
        for (CredentialVerifier verifier : verifiers) {
            if (verifier.supports(token)) {
                return verifier.verify(token);
            }
        }
        throw new InvalidCredentialException("The bearer token is not a credential this server issued.");
    }
}
