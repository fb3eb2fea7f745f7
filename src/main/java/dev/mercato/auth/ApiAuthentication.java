package dev.mercato.auth;

import dev.mercato.security.Caller;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The Spring Security view of an authenticated {@link Caller}: one {@code SCOPE_x} authority per scope. */
final class ApiAuthentication extends AbstractAuthenticationToken {

    private final Caller principal;

    ApiAuthentication(Caller principal) {
        super(principal.scopes().stream()
                .map(scope -> new SimpleGrantedAuthority("SCOPE_" + scope.value()))
                .toList());
        this.principal = principal;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Caller getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal.name();
    }
}
