package dev.mercato.shared;

import java.time.Duration;

/** An allowance of the caller's is used up for now; {@link #retryAfter()} says when there is room again. */
public class LimitExceededException extends DomainException {

    public LimitExceededException(String code, String message, String details, Duration retryAfter) {
        super(code, message, details);
        retryAfter(retryAfter);
    }
}
