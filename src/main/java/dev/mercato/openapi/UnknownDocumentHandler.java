package dev.mercato.openapi;

import dev.mercato.web.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import org.springdoc.api.OpenApiResourceNotFoundException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A document name springdoc does not know ({@code /openapi/v3.json}, {@code /openapi/foo}) is a 404 like any
 * other unknown path. Ordered before the web module's exception handler, whose catch-all would make it a 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnknownDocumentHandler {

    @ExceptionHandler(OpenApiResourceNotFoundException.class)
    ResponseEntity<ApiError> unknownDocument(HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of(
                        "NOT_FOUND",
                        "No such API document: the API is described by /openapi/v1.json and /openapi/v2.json.",
                        request.getRequestURI()));
    }
}
