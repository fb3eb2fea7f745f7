package dev.mercato.notifications;

import dev.mercato.integrations.TargetGuard;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Why a provider could not be reached, in a short reason of a known kind: never the exception's own text, which
 * may carry what the other end said, or tell one internal port from another.
 */
final class ProviderErrors {

    private ProviderErrors() {}

    /** The failure to reach {@code provider}; permanent only when the destination is refused by policy. */
    static DeliveryException unreachable(String provider, Throwable failure, Duration timeout) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TargetGuard.ForbiddenAddressException refused) {
                return new DeliveryException("Refused: " + refused.getMessage() + ".", true);
            }
            if (cause instanceof UnknownHostException) {
                return new DeliveryException(provider + "'s host does not resolve.", false);
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return new DeliveryException(provider + " could not be connected to.", false);
            }
            if (cause instanceof InterruptedIOException) { // socket and connect timeouts
                return new DeliveryException(provider + " did not answer within " + timeout.toMillis() + " ms.", false);
            }
            if (cause instanceof SSLException) {
                return new DeliveryException(provider + ": the TLS handshake failed.", false);
            }
        }
        return new DeliveryException(
                provider + " could not be reached (" + failure.getClass().getSimpleName() + ").", false);
    }
}
