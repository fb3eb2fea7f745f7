package dev.mercato.security;

import dev.mercato.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/** Enforces {@link RequiresScope}: 401 without a caller, 403 when the caller lacks the scope. */
@Component
class ScopeInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        RequiresScope required = method.getMethodAnnotation(RequiresScope.class);
        if (required == null) {
            return true;
        }
        Caller principal = RequestCallers.of(request);
        if (principal == null) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "Authentication is required.", "");
        }
        if (!principal.has(required.value())) {
            response.setHeader("WWW-Authenticate",
                    "Bearer error=\"insufficient_scope\", scope=\"" + required.value().value() + "\"");
            throw new ApiException(HttpStatus.FORBIDDEN, "INSUFFICIENT_SCOPE",
                    "This credential lacks the '" + required.value().value() + "' scope.", required.value().value());
        }
        return true;
    }
}
