package dev.mercato.events;

import dev.mercato.shared.Ids;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The log of domain events in their published form (type {@code order.created}, snake_case payload): the webhooks
 * module writes each event here, in the transaction of the change that caused it, and delivers it with the id and
 * time recorded here. So an event exists exactly when its change committed; a rolled-back order leaves none.
 * {@code sequence} orders one aggregate's events; across aggregates it follows insertion, not commit, order.
 */
@Service
public class DomainEvents {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    DomainEvents(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public DomainEvent record(String type, String aggregateId, Map<String, Object> payload) {
        DomainEvent event = new DomainEvent(
                Ids.generate("evt"), type, aggregateId, payload, clock.instant().truncatedTo(ChronoUnit.MICROS));
        jdbc.sql("""
                insert into domain_events (id, type, aggregate_id, payload, occurred_at)
                values (:id, :type, :aggregateId, cast(:payload as jsonb), :occurredAt)
                """)
                .param("id", event.id())
                .param("type", type)
                .param("aggregateId", aggregateId)
                .param("payload", json.writeValueAsString(payload))
                .param("occurredAt", java.sql.Timestamp.from(event.occurredAt()))
                .update();
        return event;
    }

    /** The recorded events of one aggregate, oldest first. */
    @SuppressWarnings("unchecked")
    public List<DomainEvent> of(String aggregateId) {
        return jdbc.sql("""
                select id, type, aggregate_id, payload::text as payload, occurred_at from domain_events
                where aggregate_id = :id order by sequence
                """)
                .param("id", aggregateId)
                .query((rs, row) -> new DomainEvent(
                        rs.getString("id"),
                        rs.getString("type"),
                        rs.getString("aggregate_id"),
                        json.readValue(rs.getString("payload"), Map.class),
                        rs.getTimestamp("occurred_at").toInstant()))
                .list();
    }
}
