package dev.mercato.events;

import java.time.Instant;
import java.util.Map;

/**
 * A domain event as it was recorded and is published to webhook subscribers: its id, its type such as
 * {@code order.created}, the aggregate it happened to, and its snake_case payload.
 */
public record DomainEvent(
        String id, String type, String aggregateId, Map<String, Object> payload, Instant occurredAt) {}
