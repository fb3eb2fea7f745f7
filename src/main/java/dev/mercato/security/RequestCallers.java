package dev.mercato.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The caller a request authenticated as, kept on the request for the filters that run around Spring Security's
 * chain (access log, rate limits, idempotency keys), which see the request after its security context is cleared.
 */
public final class RequestCallers {

    private static final String ATTRIBUTE = Caller.class.getName();

    private RequestCallers() {}

    /** The request's caller, or null when it did not authenticate. */
    public static Caller of(HttpServletRequest request) {
        return (Caller) request.getAttribute(ATTRIBUTE);
    }

    public static void set(HttpServletRequest request, Caller caller) {
        request.setAttribute(ATTRIBUTE, caller);
    }
}
