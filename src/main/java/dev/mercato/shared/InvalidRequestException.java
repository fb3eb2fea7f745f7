package dev.mercato.shared;

/** The request is wrong in itself (a value out of range, a rule between fields broken): asking again will not help. */
public class InvalidRequestException extends DomainException {

    private final String field;

    public InvalidRequestException(String code, String message, String details) {
        this(code, message, details, null);
    }

    protected InvalidRequestException(String code, String message, String details, String field) {
        super(code, message, details);
        this.field = field;
    }

    /** {@code INVALID_PARAMETER} naming the parameter; {@code details} defaults to the parameter's name. */
    public static InvalidRequestException parameter(String parameter, String message, String details) {
        return new InvalidRequestException("INVALID_PARAMETER", message, details == null ? parameter : details);
    }

    /**
     * {@code INVALID_PARAMETER} about a field of the request, named by its domain property path
     * ({@code expiresAt}, {@code items[1].productId}). The message names it in quotes ({@code 'expiresAt'}); the web
     * layer spells it, in the message and the details, as the client's API version does ({@code expires_at}).
     */
    public static InvalidRequestException field(String field, String message) {
        return field("INVALID_PARAMETER", field, message);
    }

    /** A failure with its own code ({@code CURRENCY_MISMATCH}) about a field of the request, as {@link #field}. */
    public static InvalidRequestException field(String code, String field, String message) {
        return new InvalidRequestException(code, message, field, field);
    }

    /** The domain property path of the field at fault, or null when the failure is not about one field. */
    public String field() {
        return field;
    }
}
