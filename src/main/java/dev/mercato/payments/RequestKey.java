package dev.mercato.payments;

import dev.mercato.web.ApiPrincipal;
import jakarta.servlet.http.HttpServletRequest;

/** The {@code Idempotency-Key} a request came with, and the credential that sent it: keys belong to a credential. */
public record RequestKey(String credentialId, String key) {

    /** The request's key, or null when it has none. */
    static RequestKey of(HttpServletRequest request) {
        String key = request.getHeader("Idempotency-Key");
        ApiPrincipal principal = ApiPrincipal.of(request);
        return key == null || principal == null ? null : new RequestKey(principal.credentialId(), key);
    }
}
