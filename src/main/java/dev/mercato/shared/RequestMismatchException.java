package dev.mercato.shared;

/** The request contradicts an earlier one it claims to repeat (an idempotency key sent with another body). */
public class RequestMismatchException extends DomainException {

    public RequestMismatchException(String code, String message, String details) {
        super(code, message, details);
    }
}
