package dev.mercato.dashboard;

import dev.mercato.security.CallerAuthentication;
import dev.mercato.security.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps a developer's session true to the database on every page: once the admin takes the role away, or the user
 * is deactivated or deleted, the session ends; when the admin changes the developer's scopes, the next page acts
 * with the new ones. One primary-key read per page, so no change waits for the session to expire.
 */
class DeveloperSessionCheck extends OncePerRequestFilter {

    private final DeveloperService developers;

    DeveloperSessionCheck(DeveloperService developers) {
        this.developers = developers;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SecurityContext context = SecurityContextHolder.getContext();
        if (context.getAuthentication() instanceof CallerAuthentication signedIn
                && !signedIn.getPrincipal().has(Scope.ADMIN)) {
            Optional<Developer> current =
                    developers.current(signedIn.getPrincipal().userId());
            if (current.isEmpty()) {
                SecurityContextHolder.clearContext();
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
            } else if (!current.get().scopes().equals(signedIn.getPrincipal().scopes())
                    || !current.get().username().equals(signedIn.getName())) {
                context.setAuthentication(DashboardAuthentication.developer(current.get()));
                request.getSession()
                        .setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
            }
        }
        chain.doFilter(request, response);
    }
}
