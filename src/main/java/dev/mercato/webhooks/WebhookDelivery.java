package dev.mercato.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * One event sent to one subscription, and where it stands: {@code pending} (waiting, or waiting to be retried),
 * {@code succeeded} once the receiver answered 2xx, or {@code failed} once no attempt is left. {@code payload} is
 * the exact body every attempt sends. {@code attempts} counts every attempt, those before a retry by hand included.
 */
public record WebhookDelivery(
        String id,
        String subscriptionId,
        String eventId,
        String eventType,
        String payload,
        String status,
        int attempts,
        Integer lastStatusCode,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        Instant deliveredAt) {

    static final String PENDING = "pending";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";

    /** Every status, in the order a delivery goes through them. */
    public static final List<String> STATUSES = List.of(PENDING, SUCCEEDED, FAILED);

    /** Whether it can be retried: it has not reached its receiver yet. */
    public boolean retryable() {
        return !SUCCEEDED.equals(status);
    }

    /**
     * A delivery being attempted, with what the attempt needs of its subscription. {@code round} counts the attempts
     * since it was created or last retried by hand, this one included: the retry policy's limit applies to it.
     */
    record Attempt(WebhookDelivery delivery, String url, String secret, int round) {}
}
