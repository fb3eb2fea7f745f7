package dev.mercato.shared;

/** A provider Mercato depends on (a payment processor) did not answer usefully; the outcome may settle later. */
public class UpstreamUnavailableException extends DomainException {

    public UpstreamUnavailableException(String code, String message, String details) {
        super(code, message, details);
    }
}
