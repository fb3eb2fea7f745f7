package dev.mercato.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * A subscription: {@code url} receives the events of the listed types ({@code *}: all of them), each signed with
 * {@code secret}.
 */
record Webhook(String id, String url, List<String> events, String secret, String createdBy, Instant createdAt) {

    static final String ALL_EVENTS = "*";

    /** The event types a subscription can name: every type the platform records. */
    static final List<String> EVENT_TYPES = List.of("order.created", "order.paid", "order.shipped",
            "order.delivered", "order.cancelled", "payment.succeeded", "payment.failed", "payment.refunded");
}
