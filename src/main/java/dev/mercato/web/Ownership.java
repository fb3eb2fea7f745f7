package dev.mercato.web;

import java.util.Optional;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Confines a caller that acts for one end user (an access token the user authorized) to that user's own
 * resources: features call {@link #check} with a resource's owner before showing or changing it, and narrow their
 * list queries with {@link #actingUser}. Anyone else's resource answers 404, as if it did not exist, so a token
 * cannot even learn which ids are taken. API keys, client_credentials tokens and work outside a request are not
 * confined.
 */
public final class Ownership {

    private Ownership() {
    }

    /** The user the current request is confined to; empty when it is not confined (or there is no request). */
    public static Optional<String> actingUser() {
        return principal().flatMap(ApiPrincipal::actingUser);
    }

    /** Whether the current caller may see or change a resource of {@code ownerUserId}. */
    public static boolean mayAccess(String ownerUserId) {
        return principal().map(principal -> principal.mayAccess(ownerUserId)).orElse(true);
    }

    /** 404 for the current caller unless it may see a resource of {@code ownerUserId}. */
    public static void check(String ownerUserId, String resource, String id) {
        if (!mayAccess(ownerUserId)) {
            throw ApiException.notFound(resource, id);
        }
    }

    private static Optional<ApiPrincipal> principal() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        return request == null ? Optional.empty() : Optional.ofNullable(
                (ApiPrincipal) request.getAttribute(ApiPrincipal.REQUEST_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST));
    }
}
