package dev.mercato.dashboard;

import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import java.util.EnumSet;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A signed-in dashboard session: the {@link Caller} the pages act for (the admin with every scope, or a developer
 * with their user id and the scopes they may grant) and a {@code ROLE_ADMIN} or {@code ROLE_DEVELOPER} authority.
 */
final class DashboardAuthentication extends AbstractAuthenticationToken {

    /** The credential id the dashboard's callers carry, so that what they do is told apart from API calls. */
    static final String CREDENTIAL = "dashboard";

    private final Caller principal;

    private DashboardAuthentication(Caller principal, String role) {
        super(List.of(new SimpleGrantedAuthority(role)));
        this.principal = principal;
        setAuthenticated(true);
    }

    static DashboardAuthentication admin() {
        return new DashboardAuthentication(
                new Caller(CREDENTIAL, null, DashboardAccount.ADMIN, EnumSet.of(Scope.ADMIN)), "ROLE_ADMIN");
    }

    static DashboardAuthentication developer(Developer developer) {
        return new DashboardAuthentication(
                new Caller(CREDENTIAL, developer.userId(), developer.username(), developer.scopes()), "ROLE_DEVELOPER");
    }

    boolean isAdmin() {
        return principal.has(Scope.ADMIN);
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
