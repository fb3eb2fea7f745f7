package dev.mercato.dashboard;

import dev.mercato.security.Scope;
import dev.mercato.shared.InvalidRequestException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.validation.BindingResult;

/**
 * The checks of the dashboard's credential forms that the API does with bean validation on its request bodies: the
 * same limits, said in the words of a form.
 */
final class FormFields {

    static final int MAX_NAME = 100;
    static final int MAX_RATE_LIMIT = 1_000_000;

    private FormFields() {}

    /** A field the browser should have sent as a number or a date but was not one (a form posted by hand). */
    static void checkBinding(BindingResult binding) {
        if (binding.hasFieldErrors()) {
            String field = binding.getFieldErrors().get(0).getField();
            throw invalid(field, "The field '" + field + "' has a value of the wrong kind.");
        }
    }

    static String name(String name) {
        String trimmed = name == null ? "" : name.trim();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME) {
            throw invalid("name", "Give it a name of 1 to " + MAX_NAME + " characters.");
        }
        return trimmed;
    }

    static Set<Scope> scopes(List<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw invalid("scopes", "Pick at least one scope.");
        }
        return Scope.parseAll(scopes);
    }

    static Integer rateLimit(Integer rateLimit) {
        if (rateLimit != null && (rateLimit < 1 || rateLimit > MAX_RATE_LIMIT)) {
            throw invalid("rateLimit", "The rate limit must be between 1 and " + MAX_RATE_LIMIT + " a minute.");
        }
        return rateLimit;
    }

    /** The grant checkboxes: at least one. */
    static List<String> grantTypes(List<String> grantTypes) {
        if (grantTypes == null || grantTypes.isEmpty()) {
            throw invalid("grantTypes", "Pick at least one grant: client credentials, or the end-user flow.");
        }
        return grantTypes;
    }

    /** One URI a line; blank lines are ignored. */
    static List<String> redirectUris(String lines) {
        if (lines == null) {
            return List.of();
        }
        List<String> uris = Arrays.stream(lines.split("\\R"))
                .map(String::trim)
                .filter(line -> !line.isEmpty())
                .toList();
        if (uris.size() > 5) {
            throw invalid("redirectUris", "At most 5 redirect URIs.");
        }
        return uris;
    }

    /** A page number from a query string: a whole number from 1. */
    static int pageNumber(String page) {
        if (page == null || !page.matches("\\d{1,6}") || Integer.parseInt(page) < 1) {
            throw invalid("page", "The page is a whole number from 1.");
        }
        return Integer.parseInt(page);
    }

    static InvalidRequestException invalid(String field, String message) {
        return InvalidRequestException.field(field, message);
    }
}
