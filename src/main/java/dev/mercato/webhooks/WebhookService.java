package dev.mercato.webhooks;

import dev.mercato.integrations.TargetGuard;
import dev.mercato.jobs.JobPriority;
import dev.mercato.jobs.Jobs;
import dev.mercato.security.Caller;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.Ids;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Webhook subscriptions and their delivery history, retries by hand and test events. Subscriptions are the shop's:
 * every caller allowed to read them (the API and the dashboard check the scope) sees them all.
 */
@Service
public class WebhookService {

    private static final Logger log = LoggerFactory.getLogger(WebhookService.class);
    private static final int SECRET_LENGTH = 32;

    private final WebhookRepository repository;
    private final WebhookDispatcher dispatcher;
    private final Jobs jobs;
    private final TargetGuard guard;
    private final Clock clock;

    WebhookService(
            WebhookRepository repository, WebhookDispatcher dispatcher, Jobs jobs, TargetGuard guard, Clock clock) {
        this.repository = repository;
        this.dispatcher = dispatcher;
        this.jobs = jobs;
        this.guard = guard;
        this.clock = clock;
    }

    /** Subscribes {@code url} to {@code events}; the result carries the signing secret, shown this once. */
    Webhook subscribe(String url, List<String> events, String createdBy) {
        List<String> types = eventTypes(events);
        String target = guard.checkUrl("url", url.strip()).toString();
        Webhook webhook = new Webhook(
                Ids.generate("whk"), target, types, "whsec_" + Ids.randomBase62(SECRET_LENGTH), createdBy, now());
        repository.insert(webhook);
        return webhook;
    }

    /** Newest first. */
    public Page<Webhook> list(Caller caller, PageParams page) {
        return repository.find(page);
    }

    public Webhook get(Caller caller, String id) {
        return repository.findById(id).orElseThrow(() -> new NotFoundException("webhook", id));
    }

    /** The subscriptions of these ids, by id, in one query: those of a page of deliveries, say. */
    public Map<String, Webhook> findAll(Caller caller, Collection<String> ids) {
        return repository.findAll(ids);
    }

    void delete(String id) {
        if (!repository.delete(id)) {
            throw new NotFoundException("webhook", id);
        }
    }

    /** A subscription's deliveries, newest first. */
    public Page<WebhookDelivery> deliveries(Caller caller, String id, PageParams page) {
        if (!repository.exists(id)) {
            throw new NotFoundException("webhook", id);
        }
        return repository.deliveries(id, page);
    }

    /** Every subscription's deliveries, newest first: those in {@code status}, or all when it is null. */
    public Page<WebhookDelivery> allDeliveries(Caller caller, String status, PageParams page) {
        return repository.allDeliveries(status, page);
    }

    public WebhookDelivery delivery(Caller caller, String deliveryId) {
        return repository.findDelivery(deliveryId).orElseThrow(() -> new NotFoundException("delivery", deliveryId));
    }

    /** A delivery of this subscription; 404 when there is none (or it is another subscription's). */
    WebhookDelivery delivery(Caller caller, String subscriptionId, String deliveryId) {
        WebhookDelivery delivery = delivery(caller, deliveryId);
        if (!delivery.subscriptionId().equals(subscriptionId)) {
            throw new NotFoundException("delivery", deliveryId);
        }
        return delivery;
    }

    /**
     * Attempts a delivery now that has not reached its receiver: a failed one gets a new round of attempts (retried
     * as a new delivery would be, its attempts so far still counted); a pending one waiting for its next attempt has
     * it brought forward. Either way through the delivery's job, of which there is at most one per delivery and which
     * one server at a time runs: however often and on however many servers it is retried, no two attempts overlap.
     * 409 for a delivery that succeeded, or whose last attempt is still being recorded.
     */
    @Transactional
    public WebhookDelivery retry(Caller caller, String deliveryId) {
        WebhookDelivery delivery =
                repository.lockDelivery(deliveryId).orElseThrow(() -> new NotFoundException("delivery", deliveryId));
        if (!delivery.retryable()) {
            throw new ConflictException(
                    "DELIVERY_SUCCEEDED",
                    "The receiver took this delivery already; there is nothing to retry.",
                    deliveryId);
        }
        if (WebhookDelivery.FAILED.equals(delivery.status())) {
            if (jobs.exists(WebhookJobs.DELIVERY, deliveryId)) {
                // Its job is still winding up after the last attempt: a new job could not be queued beside it.
                throw new ConflictException(
                        "RETRY_IN_PROGRESS",
                        "The last attempt is still being recorded; try again in a moment.",
                        deliveryId);
            }
            repository.reopen(deliveryId, now());
        }
        jobs.runNow(WebhookJobs.DELIVERY, deliveryId, JobPriority.NORMAL);
        log.info("Webhook delivery {} retried by {}", deliveryId, caller.name());
        return delivery(caller, deliveryId);
    }

    /**
     * Sends a {@value EventType#TEST} event to the subscription, delivered (signed, retried) as any event is, and
     * returns its delivery.
     */
    @Transactional
    public WebhookDelivery sendTest(Caller caller, String subscriptionId) {
        if (!repository.exists(subscriptionId)) {
            throw new NotFoundException("webhook", subscriptionId);
        }
        String deliveryId = dispatcher.dispatchTest(subscriptionId);
        log.info("Test event sent to webhook {} by {}", subscriptionId, caller.name());
        return delivery(caller, deliveryId);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The known types named, each once, in the order given; {@code *} stands for all of them. */
    private static List<String> eventTypes(List<String> events) {
        Set<String> types = new LinkedHashSet<>();
        for (int i = 0; i < events.size(); i++) {
            String type = events.get(i).strip();
            if (!type.equals(EventType.ALL) && !EventType.wireNames().contains(type)) {
                throw InvalidRequestException.field(
                        "events[" + i + "]",
                        "Unknown event type '" + type + "'; the types are " + String.join(", ", EventType.wireNames())
                                + ", or * for all.");
            }
            types.add(type);
        }
        return new ArrayList<>(types);
    }
}
