package dev.mercato.dashboard;

import dev.mercato.security.Caller;
import dev.mercato.security.CallerAuthentication;
import dev.mercato.security.Scope;
import java.util.EnumSet;
import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A signed-in dashboard session: the {@link Caller} the pages act for (the admin with every scope, or a developer
 * with their user id and the scopes they may grant) and a {@code ROLE_ADMIN} or {@code ROLE_DEVELOPER} authority.
 */
final class DashboardAuthentication {

    /** The credential id the dashboard's callers carry, so that what they do is told apart from API calls. */
    static final String CREDENTIAL = "dashboard";

    private DashboardAuthentication() {}

    static CallerAuthentication admin() {
        return new CallerAuthentication(
                new Caller(CREDENTIAL, null, DashboardAccount.ADMIN, EnumSet.of(Scope.ADMIN)), role("ADMIN"));
    }

    static CallerAuthentication developer(Developer developer) {
        return new CallerAuthentication(
                new Caller(CREDENTIAL, developer.userId(), developer.username(), developer.scopes()),
                role("DEVELOPER"));
    }

    private static List<SimpleGrantedAuthority> role(String role) {
        return List.of(new SimpleGrantedAuthority("ROLE_" + role));
    }
}
