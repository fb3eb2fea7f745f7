package dev.mercato.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces the framework's error page: whatever the servlet container reports as an error (a failure in a
 * filter, a rejected request) is answered with the same error body as everything else.
 */
@Hidden
@RestController
class ErrorPageController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ApiError> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure instanceof Throwable thrown && DatabaseUnavailable.is(thrown)) {
            return DatabaseUnavailable.response(); // a filter's database work (an idempotency key, a credential)
        }
        if (status.is5xxServerError()) {
            return ApiExceptionHandler.error(
                    status,
                    "INTERNAL_ERROR",
                    "An unexpected error occurred. Quote the X-Request-Id header when reporting it.",
                    "");
        }
        if (status == HttpStatus.NOT_FOUND) {
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            return ApiExceptionHandler.error(
                    status, "NOT_FOUND", "No endpoint matches this path.", uri == null ? "" : uri.toString());
        }
        return ApiExceptionHandler.error(status, status.name(), status.getReasonPhrase() + ".", "");
    }
}
