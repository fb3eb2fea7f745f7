package dev.mercato.notifications;

/**
 * A provider did not take the message. {@code permanent} when trying again cannot help (no provider configured,
 * the provider refused the request as invalid); otherwise (timeouts, 5xx, 429, a dropped connection) it is
 * retried.
 */
class DeliveryException extends Exception {

    private final boolean permanent;

    DeliveryException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    DeliveryException(String message, Throwable cause) {
        super(message, cause);
        this.permanent = false;
    }

    boolean permanent() {
        return permanent;
    }
}
