package dev.mercato.webhooks;

import dev.mercato.events.DomainEvent;
import dev.mercato.jobs.JobPriority;
import dev.mercato.jobs.Jobs;
import dev.mercato.shared.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Queues a delivery of a recorded event to each subscription that wants it, in the transaction that records the
 * event ({@link WebhookEvents}), so the deliveries and their jobs exist exactly when the change committed. The
 * body is fixed here, once per event, and sent as is on every attempt.
 */
@Component
class WebhookDispatcher {

    private final WebhookRepository repository;
    private final Jobs jobs;
    private final JsonMapper json;
    private final Clock clock;

    WebhookDispatcher(WebhookRepository repository, Jobs jobs, JsonMapper json, Clock clock) {
        this.repository = repository;
        this.jobs = jobs;
        this.json = json;
        this.clock = clock;
    }

    void dispatch(DomainEvent event) {
        List<String> subscriptions = repository.subscribersOf(event.type());
        if (subscriptions.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(subscriptions.size());
        for (int i = 0; i < subscriptions.size(); i++) {
            ids.add(Ids.generate("whd"));
        }
        queue(ids, subscriptions, event);
    }

    /**
     * Queues a {@value EventType#TEST} event to one subscription, whatever types it names, so that its receiver can
     * be tried; the event is not in the event log, since nothing happened. Returns the delivery's id.
     */
    String dispatchTest(String subscriptionId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("webhook_id", subscriptionId);
        payload.put("message", "A test event from Mercato: the subscription receives events.");
        DomainEvent event = new DomainEvent(Ids.generate("evt"), EventType.TEST, subscriptionId, payload, now());
        String id = Ids.generate("whd");
        queue(List.of(id), List.of(subscriptionId), event);
        return id;
    }

    private void queue(List<String> ids, List<String> subscriptions, DomainEvent event) {
        repository.insertDeliveries(ids, subscriptions, event.id(), event.type(), body(event), now());
        ids.forEach(id -> jobs.enqueue(WebhookJobs.DELIVERY, id, JobPriority.NORMAL));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** {@code {"id": <event id>, "type", "created_at", "data": <the event's payload>}}. */
    private String body(DomainEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.id());
        body.put("type", event.type());
        body.put(
                "created_at",
                DateTimeFormatter.ISO_INSTANT.format(event.occurredAt().truncatedTo(ChronoUnit.SECONDS)));
        body.put("data", event.payload());
        return json.writeValueAsString(body);
    }
}
