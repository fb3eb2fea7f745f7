package dev.mercato.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.mercato.idempotency.IdempotentCreation;
import dev.mercato.jobs.Jobs;
import dev.mercato.security.Caller;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.users.User;
import dev.mercato.users.UserService;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A notification for a channel with no provider is refused when it is sent, and nothing is written. */
class NotificationServiceTest {

    private static final User ALICE = new User(
            "usr_alice",
            "alice",
            "alice@example.com",
            User.ACTIVE,
            new User.Profile("Alice", "Smith", "+15551234567"),
            Instant.EPOCH,
            Instant.EPOCH,
            1);

    private final NotificationRepository repository = mock(NotificationRepository.class);
    private final UserService users = mock(UserService.class);
    private final Jobs jobs = mock(Jobs.class);
    private final IdempotentCreation creation = mock(IdempotentCreation.class);
    private final NotificationChannel email = channel("email", null);
    private final NotificationChannel sms =
            channel("sms", "No SMS provider is configured (mercato.notifications.sms.*, or the sms integration).");

    private final NotificationService service = new NotificationService(
            repository,
            users,
            jobs,
            creation,
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
            List.of(email, sms),
            mock(NotificationLimits.class));

    @BeforeEach
    @SuppressWarnings("unchecked")
    void createAtOnce() {
        when(users.find(any(), anyString())).thenReturn(Optional.of(ALICE));
        when(creation.once(any(), any(), any())).thenAnswer(call -> ((Supplier<Object>) call.getArgument(0)).get());
    }

    @Test
    void aConfiguredChannelQueuesTheNotificationAndItsJob() {
        Notification sent = service.send(Caller.SYSTEM, request("email"));

        assertThat(sent.status()).isEqualTo(Notification.QUEUED);
        assertThat(sent.recipient()).isEqualTo("alice@example.com");
        verify(repository).insert(any(), any());
        verify(jobs).enqueue(any(), anyString(), any());
    }

    @Test
    void aChannelWithoutAProviderIsRefusedNamingTheSettingAndNothingIsWritten() {
        ConflictException refused =
                catchThrowableOfType(ConflictException.class, () -> service.send(Caller.SYSTEM, request("sms")));

        assertThat(refused.code()).isEqualTo("CHANNEL_NOT_CONFIGURED");
        assertThat(refused.details()).isEqualTo("mercato.notifications.sms.*");
        assertThat(refused.getMessage())
                .contains("No SMS provider is configured")
                .contains("Nothing was queued");
        verify(repository, never()).insert(any(), any());
        verify(jobs, never()).enqueue(any(), anyString(), any());
    }

    @Test
    void anInvalidRequestIsRefusedAsSuchBeforeTheChannelIsLookedAt() {
        User noPhone = new User("usr_bob", "bob", null, User.ACTIVE, null, Instant.EPOCH, Instant.EPOCH, 1);
        when(users.find(any(), anyString())).thenReturn(Optional.of(noPhone));

        // Bob has no phone number: the request is wrong whatever the server's configuration.
        InvalidRequestException invalid =
                catchThrowableOfType(InvalidRequestException.class, () -> service.send(Caller.SYSTEM, request("sms")));

        assertThat(invalid.code()).isEqualTo("INVALID_PARAMETER");
        verify(repository, never()).insert(any(), any());
    }

    private static NewNotification request(String type) {
        return new NewNotification("usr_alice", type, "normal", "Hello", "Your order has shipped.", "api");
    }

    private static NotificationChannel channel(String type, String unavailable) {
        NotificationChannel channel = mock(NotificationChannel.class);
        when(channel.type()).thenReturn(type);
        when(channel.unavailableReason()).thenReturn(Optional.ofNullable(unavailable));
        when(channel.setting()).thenReturn("mercato.notifications." + type + ".*");
        return channel;
    }
}
