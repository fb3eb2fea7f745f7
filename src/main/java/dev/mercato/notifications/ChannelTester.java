package dev.mercato.notifications;

import dev.mercato.integrations.IntegrationTester;
import dev.mercato.shared.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Test sends for the smtp, sms and push integrations: one message straight through the channel, now, with the
 * settings it runs with. Nothing is queued or stored as a notification; the integration records the outcome.
 */
@Component
class ChannelTester implements IntegrationTester {

    private static final Logger log = LoggerFactory.getLogger(ChannelTester.class);
    private static final Map<String, String> CHANNEL_OF =
            Map.of("smtp", Notification.EMAIL, "sms", Notification.SMS, "push", Notification.PUSH);
    static final String SUBJECT = "Mercato test message";
    static final String MESSAGE = "This is a test message from Mercato: the integration works.";

    private final Map<String, NotificationChannel> channels;
    private final Clock clock;

    ChannelTester(List<NotificationChannel> channels, Clock clock) {
        this.channels = channels.stream().collect(Collectors.toMap(NotificationChannel::type, Function.identity()));
        this.clock = clock;
    }

    @Override
    public Set<String> integrationIds() {
        return CHANNEL_OF.keySet();
    }

    @Override
    public Outcome test(String integrationId, String target) {
        String type = CHANNEL_OF.get(integrationId);
        Instant now = clock.instant();
        Notification test = new Notification(
                Ids.generate("ntf"),
                null,
                type,
                "high",
                SUBJECT,
                MESSAGE,
                target,
                Notification.SENDING,
                1,
                null,
                "integration.test",
                now,
                now,
                null);
        try {
            channels.get(type).send(test);
            return Outcome.passed();
        } catch (DeliveryException e) {
            return Outcome.failed(e.getMessage());
        } catch (RuntimeException e) {
            // The caller asked whether the provider works: it fails, with the kind of failure; the rest is logged.
            log.warn("Testing the {} integration failed", integrationId, e);
            return Outcome.failed("Unexpected failure (" + e.getClass().getSimpleName() + ").");
        }
    }
}
