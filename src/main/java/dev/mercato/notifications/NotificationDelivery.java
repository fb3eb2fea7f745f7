package dev.mercato.notifications;

import dev.mercato.jobs.PermanentJobFailure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One delivery attempt of a notification, run by the {@code notification-delivery} job: the notification goes
 * to {@code sending}, the channel's provider is called, and it ends {@code sent}, or {@code queued} again with
 * the error for the job to retry, or {@code failed} when the error is permanent or no attempt is left of its round
 * (the attempts since it was accepted or last retried by hand).
 * Counts every attempt's outcome in {@code mercato.deliveries} (tags {@code channel}, {@code outcome}) and times
 * accepted-to-sent in {@code mercato.notifications.delivery.lag} (median and 99th percentile published).
 */
@Component
class NotificationDelivery {

    private static final Logger log = LoggerFactory.getLogger(NotificationDelivery.class);

    private final NotificationRepository repository;
    private final Map<String, NotificationChannel> channels;
    private final MeterRegistry meters;
    private final Clock clock;
    private final int maxAttempts;
    private final Timer deliveryLag;

    NotificationDelivery(
            NotificationRepository repository,
            List<NotificationChannel> channels,
            MeterRegistry meters,
            Clock clock,
            NotificationsProperties properties) {
        this.repository = repository;
        this.channels = channels.stream().collect(Collectors.toMap(NotificationChannel::type, Function.identity()));
        this.meters = meters;
        this.clock = clock;
        this.maxAttempts = properties.maxAttempts();
        this.deliveryLag = Timer.builder("mercato.notifications.delivery.lag")
                .description("From accepted to sent, for notifications this server delivered")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    /** Throws when the attempt failed: {@link PermanentJobFailure} when no other attempt should follow. */
    void deliver(String id) {
        Optional<NotificationRepository.Attempt> started = repository.startAttempt(id, clock.instant());
        if (started.isEmpty()) {
            return; // sent or failed already: this job ran again after its server died, or the row is gone
        }
        Notification notification = started.get().notification();
        int round = started.get().round();
        if (round > maxAttempts) {
            // Only when attempts were cut short (a server dying mid-attempt): never try more than promised.
            fail(notification, "Gave up after " + maxAttempts + " attempts; the last was interrupted.", true);
        }
        try {
            channels.get(notification.type()).send(notification);
        } catch (DeliveryException e) {
            fail(notification, e.getMessage(), e.permanent() || round >= maxAttempts);
        } catch (RuntimeException e) {
            log.warn("Notification {}: unexpected failure of the {} channel", id, notification.type(), e);
            fail(notification, "Unexpected failure: " + e, round >= maxAttempts);
        }
        Instant sentAt = clock.instant();
        repository.markSent(id, sentAt);
        count(notification, "sent");
        deliveryLag.record(Duration.between(notification.createdAt(), sentAt));
    }

    /** The job gave up (its last attempt failed, or it could not run at all): the notification has failed. */
    void giveUp(String id, Throwable error) {
        String message = error == null || error.getMessage() == null ? "Delivery failed." : error.getMessage();
        repository.markAttemptFailed(id, message, true, clock.instant());
    }

    private void fail(Notification notification, String error, boolean last) {
        repository.markAttemptFailed(notification.id(), error, last, clock.instant());
        count(notification, last ? "failed" : "retried");
        if (last) {
            throw new PermanentJobFailure(error);
        }
        throw new IllegalStateException(error);
    }

    private void count(Notification notification, String outcome) {
        meters.counter("mercato.deliveries", "channel", notification.type(), "outcome", outcome)
                .increment();
    }
}
