package dev.mercato.shared;

import java.time.Duration;

/**
 * A failure the caller can act on, raised by a service in the domain's terms: a stable error code
 * ({@code INSUFFICIENT_STOCK}), a sentence, and details (usually the field or id at fault). Each subclass is one
 * kind of failure; the web layer alone decides which HTTP status a kind is.
 */
public abstract class DomainException extends RuntimeException {

    private final String code;
    private final String details;
    private Duration retryAfter;

    protected DomainException(String code, String message, String details) {
        super(message);
        this.code = code;
        this.details = details;
    }

    /**
     * Marks the failure as temporary: the caller is told when to try again, and an idempotency key does not keep
     * it (a retry under the same key runs again instead of replaying this answer).
     */
    public DomainException retryAfter(Duration delay) {
        this.retryAfter = delay;
        return this;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public String code() {
        return code;
    }

    public String details() {
        return details;
    }
}
