package dev.mercato.shared;

/** The request is wrong in itself (a value out of range, a rule between fields broken): asking again will not help. */
public class InvalidRequestException extends DomainException {

    public InvalidRequestException(String code, String message, String details) {
        super(code, message, details);
    }

    /** {@code INVALID_PARAMETER} naming the parameter; {@code details} defaults to the parameter's name. */
    public static InvalidRequestException parameter(String parameter, String message, String details) {
        return new InvalidRequestException("INVALID_PARAMETER", message, details == null ? parameter : details);
    }
}
