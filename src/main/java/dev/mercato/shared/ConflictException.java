package dev.mercato.shared;

/** The request is valid, but the resource's current state does not allow it (no stock, already paid, name taken). */
public class ConflictException extends DomainException {

    public ConflictException(String code, String message, String details) {
        super(code, message, details);
    }
}
