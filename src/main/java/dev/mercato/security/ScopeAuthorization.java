package dev.mercato.security;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Spring Security's authorization of an API request: an authenticated caller, holding the {@code SCOPE_x}
 * authority of the scope that the endpoint's {@link RequiresScope} names ({@code SCOPE_admin} holds them all).
 * It decides in the filter chain, before Spring MVC binds or validates anything, so a caller without the scope
 * learns nothing about the endpoint's parameters; method security ({@code @PreAuthorize}) would decide only after
 * the arguments were bound and validated. A denial carries the missing scope ({@link MissingScope}).
 */
@Component
public class ScopeAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

    private static final String ADMIN = authority(Scope.ADMIN);

    private final ObjectProvider<RequestMappingHandlerMapping> handlers;
    private final Map<Method, Optional<Scope>> scopes = new ConcurrentHashMap<>();

    ScopeAuthorization(@Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> handlers) {
        this.handlers = handlers;
    }

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
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
            RequestAuthorizationContext context) {
        Authentication caller = authentication.get();
        if (caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {
            return new AuthorizationDecision(false);
        }
        Optional<Scope> required = requiredScope(context.getRequest());
        if (required.isEmpty() || holds(caller, authority(required.get()))) {
            return new AuthorizationDecision(true);
        }
        return new MissingScope(required.get());
    }

    private static boolean holds(Authentication caller, String authority) {
        for (GrantedAuthority held : caller.getAuthorities()) {
            if (authority.equals(held.getAuthority()) || ADMIN.equals(held.getAuthority())) {
                return true;
            }
        }
        return false;
    }

    private static String authority(Scope scope) {
        return "SCOPE_" + scope.value();
    }

    /** The scope the handler of this request demands; none when no handler matches (Spring MVC answers 404/405). */
    private Optional<Scope> requiredScope(HttpServletRequest request) {
        HandlerExecutionChain chain = handlerOf(request);
        if (chain == null || !(chain.getHandler() instanceof HandlerMethod method)) {
            return Optional.empty();
        }
        return scopes.computeIfAbsent(method.getMethod(), ignored ->
                Optional.ofNullable(method.getMethodAnnotation(RequiresScope.class)).map(RequiresScope::value));
    }

    /** Looks the handler up as the DispatcherServlet will, leaving the request's parsed path as it was. */
    private HandlerExecutionChain handlerOf(HttpServletRequest request) {
        Object previous = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
        ServletRequestPathUtils.parseAndCache(request);
        try {
            return handlers.getObject().getHandler(request);
        } catch (Exception noHandler) {
            return null; // a method the path does not take, an unreadable path: Spring MVC answers it
        } finally {
            if (previous == null) {
                ServletRequestPathUtils.clearParsedRequestPath(request);
            } else {
                request.setAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE, previous);
            }
        }
    }
}
