package dev.mercato.events;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened to an aggregate, such as {@code order.created}. Recorded in the transaction
 * that made it happen and also published in-process, so listeners may react before or after commit.
 */
public record DomainEvent(String id, String type, String aggregateId, Map<String, Object> payload,
        Instant occurredAt) {
}
