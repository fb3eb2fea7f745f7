package dev.mercato.webhooks;

import dev.mercato.shared.Ids;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;

/** Webhook subscriptions and their delivery history. */
@Service
class WebhookService {

    private static final int SECRET_LENGTH = 32;

    private final WebhookRepository repository;
    private final TargetGuard guard;
    private final Clock clock;

    WebhookService(WebhookRepository repository, TargetGuard guard, Clock clock) {
        this.repository = repository;
        this.guard = guard;
        this.clock = clock;
    }

    /** Subscribes {@code url} to {@code events}; the result carries the signing secret, shown this once. */
    Webhook subscribe(String url, List<String> events, String createdBy) {
        List<String> types = eventTypes(events);
        String target = guard.checkUrl(url.strip()).toString();
        Webhook webhook = new Webhook(
                Ids.generate("whk"),
                target,
                types,
                "whsec_" + Ids.randomBase62(SECRET_LENGTH),
                createdBy,
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        repository.insert(webhook);
        return webhook;
    }

    Page<Webhook> list(PageParams page) {
        return repository.find(page);
    }

    Webhook get(String id) {
        return repository.findById(id).orElseThrow(() -> new NotFoundException("webhook", id));
    }

    void delete(String id) {
        if (!repository.delete(id)) {
            throw new NotFoundException("webhook", id);
        }
    }

    Page<WebhookDelivery> deliveries(String id, PageParams page) {
        if (!repository.exists(id)) {
            throw new NotFoundException("webhook", id);
        }
        return repository.deliveries(id, page);
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
