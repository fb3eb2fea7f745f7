package dev.mercato.dashboard;

import dev.mercato.security.Caller;
import dev.mercato.security.CallerAuthentication;
import dev.mercato.security.Scope;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * What every dashboard page shares: the signed-in account and the server's address in the model, and failures
 * shown as a page of the dashboard (never the API's JSON error body, never a stack trace).
 */
@ControllerAdvice(annotations = DashboardPage.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class DashboardPages {

    static final String NO_SUCH_PAGE = "There is no such page.";

    private static final Logger log = LoggerFactory.getLogger(DashboardPages.class);

    @ModelAttribute
    void everyPage(Model model) {
        common(model);
    }

    private static void common(Model model) {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication signedIn) {
            model.addAttribute("username", signedIn.getName());
            model.addAttribute("admin", signedIn.getPrincipal().has(Scope.ADMIN));
        }
        model.addAttribute("serverAddress", serverAddress());
        model.addAttribute(
                "currentPath",
                ServletUriComponentsBuilder.fromCurrentRequestUri().build().getPath());
    }

    /** This server's address as the browser reached it, for the commands the pages show. */
    static String serverAddress() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }

    /** 403 unless the caller holds the scope the matching API operation needs. */
    static void require(Caller caller, Scope scope) {
        if (!caller.has(scope)) {
            throw new ForbiddenException(
                    "INSUFFICIENT_SCOPE",
                    "This page needs the '" + scope + "' scope, which you do not hold. Ask the admin for it.",
                    scope.value());
        }
    }

    @ExceptionHandler(DomainException.class)
    String domainFailure(DomainException failure, Model model, HttpServletResponse response) {
        return errorPage(statusOf(failure), failure.getMessage(), model, response);
    }

    /** The status of a page that shows this failure, as the API would answer it. */
    static HttpStatus statusOf(DomainException failure) {
        return failure instanceof NotFoundException
                ? HttpStatus.NOT_FOUND
                : failure instanceof ForbiddenException
                        ? HttpStatus.FORBIDDEN
                        : failure instanceof InvalidRequestException ? HttpStatus.BAD_REQUEST : HttpStatus.CONFLICT;
    }

    @ExceptionHandler(Exception.class)
    String otherFailure(Exception failure, Model model, HttpServletResponse response) {
        if (failure instanceof ErrorResponse known && !known.getStatusCode().is5xxServerError()) {
            HttpStatus status = HttpStatus.valueOf(known.getStatusCode().value());
            String message = status == HttpStatus.NOT_FOUND
                    ? NO_SUCH_PAGE
                    : "The request could not be handled: " + status.getReasonPhrase() + ".";
            return errorPage(status, message, model, response);
        }
        log.error("Dashboard page failed", failure);
        return errorPage(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong on the server; it has been logged. Try again.",
                model,
                response);
    }

    static String errorPage(HttpStatus status, String message, Model model, HttpServletResponse response) {
        response.setStatus(status.value());
        common(model);
        model.addAttribute("status", status.value());
        model.addAttribute("reason", status.getReasonPhrase());
        model.addAttribute("message", message);
        return "dashboard/error";
    }
}
