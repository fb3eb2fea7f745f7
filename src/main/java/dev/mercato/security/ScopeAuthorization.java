package dev.mercato.security;

import dev.mercato.web.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Spring Security's authorization of an API operation: the caller must hold the {@code SCOPE_x} authority of the
 * scope that the handler's {@link RequiresScope} names ({@code SCOPE_admin} holds them all). Decided as soon as
 * Spring MVC knows the handler and before it binds or validates anything, so a caller without the scope learns
 * nothing about the operation's parameters; method security ({@code @PreAuthorize}) would decide only after the
 * arguments were bound and validated, and a decision in the filter chain would look the handler up a second time
 * on every request (measured: about a tenth of the hot path; docs/performance.md). A denial is an
 * {@link org.springframework.security.authorization.AuthorizationDeniedException} carrying {@link MissingScope}.
 */
@Component
public class ScopeAuthorization implements AuthorizationManager<HandlerMethod>, HandlerInterceptor {

    private static final String ADMIN = authority(Scope.ADMIN);

    private final Map<Method, Optional<String>> authorities = new ConcurrentHashMap<>();

    /** Denied for want of {@code scope}: the caller is authenticated but its credential lacks the scope. */
    public static final class MissingScope extends AuthorizationDecision {

        private final Scope scope;

        MissingScope(Scope scope) {
            super(false);
            this.scope = scope;
        }

        public Scope scope() {
            return scope;
        }

        /** The {@code WWW-Authenticate} challenge of RFC 6750 for the missing scope. */
        public String challenge() {
            return "Bearer error=\"insufficient_scope\", scope=\"" + scope.value() + "\"";
        }

        /** 403 {@code INSUFFICIENT_SCOPE} naming the scope. */
        public ApiError error() {
            return ApiError.of(
                    "INSUFFICIENT_SCOPE", "This credential lacks the '" + scope.value() + "' scope.", scope.value());
        }
    }

    /**
     * For paths that no {@code @RequiresScope} endpoint serves (the actuator's): the caller must hold {@code scope};
     * an authenticated caller without it is denied with {@link MissingScope}.
     */
    public static AuthorizationManager<RequestAuthorizationContext> requiring(Scope scope) {
        String required = authority(scope);
        return (authentication, context) -> {
            Authentication caller = authentication.get();
            if (caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {
                return new AuthorizationDecision(false);
            }
            boolean held = caller.getAuthorities().stream()
                    .map(GrantedAuthority::getAuthority)
                    .anyMatch(authority -> authority.equals(required) || authority.equals(ADMIN));
            return held ? new AuthorizationDecision(true) : new MissingScope(scope);
        };
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method) {
            verify(SecurityContextHolder.getContext()::getAuthentication, method);
        }
        return true;
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication, HandlerMethod handler) {
        Optional<String> required = authorities.computeIfAbsent(
                handler.getMethod(),
                ignored -> Optional.ofNullable(handler.getMethodAnnotation(RequiresScope.class))
                        .map(scope -> authority(scope.value())));
        if (required.isEmpty()) {
            return new AuthorizationDecision(true);
        }
        Authentication caller = authentication.get();
        if (caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {
            return new AuthorizationDecision(false);
        }
        for (GrantedAuthority held : caller.getAuthorities()) {
            if (required.get().equals(held.getAuthority()) || ADMIN.equals(held.getAuthority())) {
                return new AuthorizationDecision(true);
            }
        }
        return new MissingScope(handler.getMethodAnnotation(RequiresScope.class).value());
    }

    private static String authority(Scope scope) {
        return "SCOPE_" + scope.value();
    }
}
