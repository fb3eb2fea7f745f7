package dev.mercato.shared;

/** A payment processor refused the charge (the card was declined); the order stays payable. */
public class PaymentDeclinedException extends DomainException {

    public PaymentDeclinedException(String code, String message, String details) {
        super(code, message, details);
    }
}
