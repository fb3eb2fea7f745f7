package dev.mercato.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mercato.integrations.IntegrationSettings;
import dev.mercato.integrations.TargetGuard;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import tools.jackson.databind.json.JsonMapper;

/** A channel with no provider never pretends to have delivered: it fails for good, saying what is missing. */
class UnconfiguredChannelsTest {

    private final NotificationsProperties nothing = new NotificationsProperties(
            "Shop <shop@example.com>",
            new NotificationsProperties.Sms("https://api.twilio.com", "", "", ""),
            new NotificationsProperties.Push("", ""),
            Duration.ofSeconds(1),
            5,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            true,
            new NotificationsProperties.Limits(500, 2000, 10, 10));

    /** Neither configuration nor the integrations API has set anything up. */
    private final IntegrationSettings noneStored = Mockito.mock(IntegrationSettings.class);

    {
        Mockito.when(noneStored.smtp())
                .thenReturn(new IntegrationSettings.Smtp(null, null, null, null, null, null, TargetGuard.OPEN));
        Mockito.when(noneStored.sms())
                .thenReturn(new IntegrationSettings.Sms("https://api.twilio.com", "", "", "", TargetGuard.OPEN));
        Mockito.when(noneStored.push()).thenReturn(new IntegrationSettings.Push("", "", TargetGuard.OPEN));
    }

    @Test
    void emailWithoutAnSmtpServer() {
        assertFailsForGood(new EmailChannel(new MailProperties(), nothing, noneStored), "email", "email provider");
    }

    @Test
    void smsWithoutAProvider() {
        assertFailsForGood(new SmsChannel(nothing, noneStored), "+15551234567", "SMS provider");
    }

    @Test
    void pushWithoutAGateway() {
        assertFailsForGood(
                new PushChannel(nothing, noneStored, JsonMapper.builder().build()), "usr_1", "push gateway");
    }

    private static void assertFailsForGood(NotificationChannel channel, String recipient, String says) {
        assertThat(channel.unavailableReason()).isPresent();
        Notification notification = new Notification(
                "ntf_1",
                "usr_1",
                channel.type(),
                "normal",
                "Subject",
                "Body",
                recipient.equals("email") ? "someone@example.com" : recipient,
                Notification.SENDING,
                1,
                null,
                "api",
                Instant.now(),
                Instant.now(),
                null);
        DeliveryException failure = catchThrowableOfType(DeliveryException.class, () -> channel.send(notification));
        assertThat(failure.permanent()).isTrue();
        assertThat(failure.getMessage()).contains(says);
    }
}
