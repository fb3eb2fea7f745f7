package dev.mercato.web;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * A failure the client can act on. Features throw it (or a subclass) with the documented code; the
 * {@link ApiExceptionHandler} turns it into the error body.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String details;
    private Duration retryAfter;

    public ApiException(HttpStatus status, String code, String message, String details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    public static ApiException notFound(String resource, String id) {
        return new ApiException(
                HttpStatus.NOT_FOUND, "NOT_FOUND", "No " + resource + " with id '" + id + "' exists.", id);
    }

    public static ApiException invalidParameter(String parameter, String message, String details) {
        return new ApiException(
                HttpStatus.BAD_REQUEST, "INVALID_PARAMETER", message, details == null ? parameter : details);
    }

    public static ApiException conflict(String code, String message, String details) {
        return new ApiException(HttpStatus.CONFLICT, code, message, details);
    }

    public static ApiException preconditionFailed(String currentEtag) {
        return new ApiException(
                HttpStatus.PRECONDITION_FAILED,
                "PRECONDITION_FAILED",
                "The resource has changed since the version named in If-Match.",
                currentEtag);
    }

    /**
     * Marks the failure as temporary: the response carries {@code Retry-After}, and an idempotency key does not
     * keep it (a retry under the same key runs again instead of replaying this answer).
     */
    public ApiException retryAfter(Duration delay) {
        this.retryAfter = delay;
        return this;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String details() {
        return details;
    }
}
