package dev.mercato.shared;

/** The caller may see the resource but not do this to it. */
public class ForbiddenException extends DomainException {

    public ForbiddenException(String code, String message, String details) {
        super(code, message, details);
    }
}
