package dev.mercato.webhooks;

import java.time.Instant;

/**
 * One event sent to one subscription, and where it stands: {@code pending} (waiting, or waiting to be retried),
 * {@code succeeded} once the receiver answered 2xx, or {@code failed} once no attempt is left. {@code payload} is
 * the exact body every attempt sends.
 */
record WebhookDelivery(
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

    /** A delivery being attempted, with what the attempt needs of its subscription. */
    record Attempt(WebhookDelivery delivery, String url, String secret) {}
}
