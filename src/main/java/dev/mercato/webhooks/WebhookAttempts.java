package dev.mercato.webhooks;

import dev.mercato.crypto.SecretBox;
import dev.mercato.jobs.PermanentJobFailure;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One delivery attempt, run by the {@code webhook-delivery} job: the signed body is POSTed to the subscription's
 * URL, and the delivery ends {@code succeeded} on a 2xx, stays {@code pending} with the error for the job to retry,
 * or ends {@code failed} once no attempt is left of its round (the attempts since it was created or last retried by
 * hand). A delivery whose subscription was deleted is gone, so its job just stops; one whose subscription's secret
 * does not open fails at once, saying so. Counts every attempt's outcome in
 * {@code mercato.deliveries} ({@code channel=webhook}).
 */
class WebhookAttempts {

    private final WebhookRepository repository;
    private final WebhookSender sender;
    private final MeterRegistry meters;
    private final Clock clock;
    private final int maxAttempts;

    WebhookAttempts(
            WebhookRepository repository, WebhookSender sender, MeterRegistry meters, Clock clock, int maxAttempts) {
        this.repository = repository;
        this.sender = sender;
        this.meters = meters;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    /** Throws when the attempt failed: {@link PermanentJobFailure} when no other attempt should follow. */
    void deliver(String id) {
        Optional<WebhookDelivery.Attempt> started;
        try {
            started = repository.startAttempt(id, now());
        } catch (SecretBox.UnreadableException e) {
            // Sealed under a key this server lacks, or copied from another subscription: no retry can sign it.
            fail(id, null, "The subscription's signing secret cannot be opened: " + e.getMessage() + ".", true);
            return;
        }
        if (started.isEmpty()) {
            return;
        }
        WebhookDelivery delivery = started.get().delivery();
        int round = started.get().round();
        if (round > maxAttempts) {
            // Only when attempts were cut short (a server dying mid-attempt): never try more than promised.
            fail(delivery.id(), null, "Gave up after " + maxAttempts + " attempts; the last was interrupted.", true);
        }
        long timestamp = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
                WebhookSignatures.HEADER,
                WebhookSignatures.header(started.get().secret(), timestamp, delivery.payload()));
        headers.put("Mercato-Event-Id", delivery.eventId());
        headers.put("Mercato-Delivery-Id", delivery.id());
        WebhookSender.Outcome outcome = sender.post(started.get().url(), headers, delivery.payload());
        if (!outcome.succeeded()) {
            fail(delivery.id(), outcome.statusCode(), outcome.error(), round >= maxAttempts);
        }
        repository.markSucceeded(id, outcome.statusCode(), now());
        count("succeeded");
    }

    /** The job gave up (its last attempt failed, or it could not run at all): the delivery has failed. */
    void giveUp(String id, Throwable error) {
        repository.markFailed(id, error == null ? null : error.getMessage(), now());
    }

    private void fail(String deliveryId, Integer statusCode, String error, boolean last) {
        repository.markAttemptFailed(deliveryId, statusCode, error, last, now());
        count(last ? "failed" : "retried");
        if (last) {
            throw new PermanentJobFailure(error);
        }
        throw new IllegalStateException(error);
    }

    private void count(String outcome) {
        meters.counter("mercato.deliveries", "channel", "webhook", "outcome", outcome)
                .increment();
    }

    private java.time.Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
