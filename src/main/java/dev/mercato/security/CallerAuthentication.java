package dev.mercato.security;

import java.util.Collection;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The Spring Security view of an authenticated {@link Caller}, so that controllers get it with
 * {@code @AuthenticationPrincipal Caller caller}: an API request's (one {@code SCOPE_x} authority per scope), or a
 * dashboard session's (its role).
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller principal;

    public CallerAuthentication(Caller principal, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.principal = principal;
        setAuthenticated(true);
    }

    /** An API request's caller, with one {@code SCOPE_x} authority per scope it holds. */
    public static CallerAuthentication ofScopes(Caller principal) {
        return new CallerAuthentication(
                principal,
                principal.scopes().stream()
                        .map(scope -> new SimpleGrantedAuthority("SCOPE_" + scope.value()))
                        .toList());
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
