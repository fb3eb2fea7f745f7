package dev.mercato.web;

import dev.mercato.shared.ConflictException;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.LimitExceededException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.PaymentDeclinedException;
import dev.mercato.shared.RequestMismatchException;
import dev.mercato.shared.StaleVersionException;
import dev.mercato.shared.UnknownReferenceException;
import dev.mercato.shared.UpstreamUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;

/** Turns every exception that reaches Spring MVC, ours and the framework's, into the error body. */
@RestControllerAdvice
class ApiExceptionHandler {

    /** PostgreSQL's answers to text it cannot store: invalid byte sequence (a NUL), untranslatable character. */
    private static final Set<String> NOT_STORABLE_TEXT = Set.of("22021", "22P05");
    /** Each kind of domain failure and its status; a subclass takes its parent's. */
    private static final Map<Class<? extends DomainException>, HttpStatus> DOMAIN_STATUSES = Map.of(
            NotFoundException.class, HttpStatus.NOT_FOUND,
            InvalidRequestException.class, HttpStatus.BAD_REQUEST,
            ConflictException.class, HttpStatus.CONFLICT,
            ForbiddenException.class, HttpStatus.FORBIDDEN,
            StaleVersionException.class, HttpStatus.PRECONDITION_FAILED,
            RequestMismatchException.class, HttpStatus.UNPROCESSABLE_ENTITY,
            PaymentDeclinedException.class, HttpStatus.PAYMENT_REQUIRED,
            UpstreamUnavailableException.class, HttpStatus.BAD_GATEWAY,
            LimitExceededException.class, HttpStatus.TOO_MANY_REQUESTS);

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        return withRetryAfter(error(e.status(), e.code(), e.getMessage(), e.details()), e.retryAfter());
    }

    private static ResponseEntity<ApiError> withRetryAfter(ResponseEntity<ApiError> response, Duration retryAfter) {
        if (retryAfter == null) {
            return response;
        }
        return ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())))
                .body(response.getBody());
    }

    /**
     * A service's failure in the domain's terms, given its HTTP status here: the one place that knows which kind
     * of failure is which status.
     */
    @ExceptionHandler(DomainException.class)
    ResponseEntity<ApiError> domain(DomainException e, HttpServletRequest request) {
        HttpStatus status = statusOf(e);
        String details = e instanceof StaleVersionException stale
                ? ETags.of(ApiVersions.of(request), stale.currentVersion())
                : e.details();
        return withRetryAfter(error(status, e.code(), e.getMessage(), details), e.retryAfter());
    }

    private static HttpStatus statusOf(DomainException e) {
        for (var kind : DOMAIN_STATUSES.entrySet()) {
            if (kind.getKey().isInstance(e)) {
                return kind.getValue();
            }
        }
        throw new IllegalStateException("No HTTP status for " + e.getClass().getName(), e);
    }

    /**
     * A failure about one field of the request body, which the service named by its domain property path: named
     * here as the client spelt it in its API version ({@code expires_at}, {@code items[1].product_id} in v2).
     */
    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ApiError> invalidField(InvalidRequestException e, HttpServletRequest request) {
        Class<?> body = e.field() == null ? null : requestBodyType(request);
        if (body == null) {
            return domain(e, request);
        }
        String details = JsonFields.describe(body, e.field());
        String field = details.substring(0, details.indexOf(' '));
        String message = e instanceof UnknownReferenceException unknown
                ? unknown.messageNaming(field)
                : e.getMessage().replace("'" + e.field() + "'", "'" + field + "'");
        return error(HttpStatus.BAD_REQUEST, e.code(), message, details);
    }

    @ExceptionHandler(BindException.class)
    ResponseEntity<ApiError> invalidBody(BindException e) {
        Class<?> target = e.getTarget() == null ? null : e.getTarget().getClass();
        if (e instanceof org.springframework.web.bind.MethodArgumentNotValidException notValid) {
            target = notValid.getParameter().getParameterType();
        }
        FieldError fieldError = e.getFieldError();
        if (fieldError == null) {
            ObjectError global = e.getGlobalError();
            String message = global == null ? "The request is invalid." : global.getDefaultMessage();
            return error(HttpStatus.BAD_REQUEST, "INVALID_PARAMETER", message, "");
        }
        String details = JsonFields.describe(target, fieldError.getField());
        String name = details.substring(0, details.indexOf(' '));
        if (fieldError.isBindingFailure()) {
            return error(
                    HttpStatus.BAD_REQUEST,
                    "INVALID_PARAMETER",
                    "The '" + name + "' parameter must be of type "
                            + details.substring(name.length() + 2, details.length() - 1) + ".",
                    details);
        }
        return error(
                HttpStatus.BAD_REQUEST,
                "INVALID_PARAMETER",
                ValidationMessages.forField(
                        name, fieldError.getCode(), fieldError.getDefaultMessage(), fieldError.getRejectedValue()),
                details);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ApiError> invalidParameter(HandlerMethodValidationException e) {
        var result = e.getParameterValidationResults().get(0);
        MethodParameter parameter = result.getMethodParameter();
        if (result instanceof ParameterErrors errors && errors.getFieldError() != null) {
            // A bound object such as PageParams: name its query parameter (limit), not the object (page).
            FieldError fieldError = errors.getFieldError();
            String details = JsonFields.describe(parameter.getParameterType(), fieldError.getField());
            String field = details.substring(0, details.indexOf(' '));
            return error(
                    HttpStatus.BAD_REQUEST,
                    "INVALID_PARAMETER",
                    ValidationMessages.forField(
                            field, fieldError.getCode(), fieldError.getDefaultMessage(), fieldError.getRejectedValue()),
                    details);
        }
        String name = parameterName(parameter);
        String message = result.getResolvableErrors().get(0).getDefaultMessage();
        return error(
                HttpStatus.BAD_REQUEST,
                "INVALID_PARAMETER",
                "The '" + name + "' parameter " + message + ".",
                name + " (" + JsonFields.jsonType(parameter.getParameterType()) + ")");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
        String type = JsonFields.jsonType(e.getRequiredType());
        return error(
                HttpStatus.BAD_REQUEST,
                "INVALID_PARAMETER",
                "The '" + e.getName() + "' parameter must be of type " + type + ".",
                e.getName() + " (" + type + ")");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e) {
        String details = e.getParameterName() + " (" + e.getParameterType().toLowerCase() + ")";
        return error(
                HttpStatus.BAD_REQUEST,
                "INVALID_PARAMETER",
                "The '" + e.getParameterName() + "' parameter is required.",
                details);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ApiError> missingHeader(MissingRequestHeaderException e) {
        return error(
                HttpStatus.BAD_REQUEST,
                "INVALID_HEADER",
                "The '" + e.getHeaderName() + "' header is required.",
                e.getHeaderName());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return payloadTooLarge(tooLarge);
            }
        }
        if (e.getCause() instanceof JacksonException jackson) {
            return api(JsonErrors.translate(jackson));
        }
        return error(HttpStatus.BAD_REQUEST, "MALFORMED_JSON", "The request body is missing or unreadable.", "");
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ApiError> payloadTooLarge(PayloadTooLargeException e) {
        return error(HttpStatus.CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE", e.getMessage(), e.limit() + " bytes");
    }

    /**
     * Spring Security's firewall checks a header when it is first read, which may be deep in Spring MVC: a header
     * with a control or unassigned character is refused here, as a malformed path is before the API (400
     * {@code BAD_REQUEST}). The value is not echoed.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ApiError> rejected(RequestRejectedException e) {
        log.debug("Request refused by the firewall: {}", e.getMessage());
        return error(
                HttpStatus.BAD_REQUEST,
                "BAD_REQUEST",
                "The request has a header with a character that is not allowed (a control or unassigned character).",
                "");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        String allowed = e.getSupportedHttpMethods() == null
                ? ""
                : e.getSupportedHttpMethods().stream().map(Object::toString).collect(Collectors.joining(", "));
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .header(HttpHeaders.ALLOW, allowed)
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of(
                        "METHOD_NOT_ALLOWED",
                        "The method " + e.getMethod() + " is not allowed here.",
                        "Allowed: " + allowed));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        String sent = e.getContentType() == null ? "none" : e.getContentType().toString();
        return error(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "Request bodies must be sent as application/json.",
                "Content-Type: " + sent);
    }

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    ResponseEntity<ApiError> noRoute(HttpServletRequest request) {
        return error(HttpStatus.NOT_FOUND, "NOT_FOUND", "No endpoint matches this path.", request.getRequestURI());
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ApiError> unauthenticated(AuthenticationException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of("UNAUTHORIZED", "Authentication is required.", e.getMessage()));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ApiError> forbidden(AccessDeniedException e) {
        return error(
                HttpStatus.FORBIDDEN, "FORBIDDEN", "This credential may not perform this operation.", e.getMessage());
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ApiError> integrity(DataIntegrityViolationException e) {
        if (e.getMostSpecificCause() instanceof SQLException sql && NOT_STORABLE_TEXT.contains(sql.getSQLState())) {
            // JSON and URLs can carry U+0000, which PostgreSQL text cannot hold; nothing was written.
            return error(
                    HttpStatus.BAD_REQUEST,
                    "INVALID_PARAMETER",
                    "Text may not contain the NUL character (U+0000).",
                    "");
        }
        log.warn("Constraint violation not translated by its feature", e);
        return error(HttpStatus.CONFLICT, "CONFLICT", "The request conflicts with the current state of the data.", "");
    }

    /** A query string or form body that does not decode (bad percent-encoding, not UTF-8). */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ApiError> undecodableParameters(InvalidParameterException e) {
        return error(
                HttpStatus.BAD_REQUEST,
                "INVALID_PARAMETER",
                "The query string or form body has invalid percent-encoding or is not UTF-8.",
                "");
    }

    /**
     * The client went away before its response was written (a closed connection, a load generator stopping):
     * nobody is left to answer, and nothing went wrong here.
     */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException e) {
        log.debug("The client closed the connection before the response was written: {}", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        if (e instanceof ErrorResponse framework && !framework.getStatusCode().is5xxServerError()) {
            // Spring's own exceptions that carry a client-error status (406, 400 variants, ...).
            HttpStatus known = HttpStatus.resolve(framework.getStatusCode().value());
            return error(
                    framework.getStatusCode(),
                    known == null ? "ERROR" : known.name(),
                    framework.getBody().getDetail(),
                    "");
        }
        if (DatabaseUnavailable.is(e)) {
            log.warn("The database could not be reached: {}", e.toString());
            return DatabaseUnavailable.response();
        }
        log.error("Unexpected failure", e);
        return error(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "An unexpected error occurred. Quote the X-Request-Id header when reporting it.",
                "");
    }

    static ResponseEntity<ApiError> error(HttpStatusCode status, String code, String message, String details) {
        // An explicit content type makes the body JSON even when the client's Accept header excludes it.
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of(code, message, details));
    }

    /** The type of the request body the request's handler binds, if it binds one. */
    private static Class<?> requestBodyType(HttpServletRequest request) {
        if (!(request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE) instanceof HandlerMethod handler)) {
            return null;
        }
        for (MethodParameter parameter : handler.getMethodParameters()) {
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                return parameter.getParameterType();
            }
        }
        return null;
    }

    private static String parameterName(MethodParameter parameter) {
        var requestParam = parameter.getParameterAnnotation(org.springframework.web.bind.annotation.RequestParam.class);
        if (requestParam != null && !requestParam.name().isEmpty()) {
            return requestParam.name();
        }
        return parameter.getParameterName();
    }
}
