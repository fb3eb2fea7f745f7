package dev.mercato.security;

import dev.mercato.web.ApiError;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * An operation's scope denied ({@link ScopeAuthorization}): 403 {@code INSUFFICIENT_SCOPE} naming the scope, with
 * RFC 6750's {@code insufficient_scope} challenge; without an authenticated caller, 401. Ordered before the web
 * module's exception handler, which knows nothing of scopes.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ScopeDenials {

    @ExceptionHandler(AuthorizationDeniedException.class)
    ResponseEntity<ApiError> denied(AuthorizationDeniedException denied) {
        if (!(denied.getAuthorizationResult() instanceof ScopeAuthorization.MissingScope missing)) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(ApiError.of("UNAUTHORIZED", "Authentication is required.", ""));
        }
        return ResponseEntity.status(HttpStatus.FORBIDDEN)
                .header(HttpHeaders.WWW_AUTHENTICATE, missing.challenge())
                .contentType(MediaType.APPLICATION_JSON)
                .body(missing.error());
    }
}
