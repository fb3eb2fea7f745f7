package dev.mercato.notifications;

import dev.mercato.integrations.IntegrationSettings;
import dev.mercato.integrations.UnreadableSecretsException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Push through a generic gateway: the notification is POSTed as JSON ({@code id}, {@code user_id},
 * {@code message}, {@code priority}, {@code created_at} to the microsecond) with {@code Authorization: Bearer <token>} when a token is set and
 * {@code Idempotency-Key: <notification id>}, so a gateway can drop a resend. The settings are the push
 * integration's (stored over {@code mercato.notifications.push.*}), read for every delivery.
 */
@Component
class PushChannel implements NotificationChannel {

    private final IntegrationSettings integrations;
    private final ProviderHttp http;
    private final JsonMapper json;

    PushChannel(NotificationsProperties properties, IntegrationSettings integrations, JsonMapper json) {
        this.integrations = integrations;
        this.http = new ProviderHttp(properties.timeout());
        this.json = json;
    }

    @Override
    public String type() {
        return Notification.PUSH;
    }

    @Override
    public String setting() {
        return "mercato.notifications.push.url";
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            return unavailableReason(integrations.push());
        } catch (UnreadableSecretsException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> unavailableReason(IntegrationSettings.Push settings) {
        return settings.configured()
                ? Optional.empty()
                : Optional.of(
                        "No push gateway is configured (mercato.notifications.push.url, or the push integration).");
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        IntegrationSettings.Push settings;
        try {
            settings = integrations.push();
        } catch (UnreadableSecretsException e) {
            throw new DeliveryException(e.getMessage(), true);
        }
        Optional<String> unavailable = unavailableReason(settings);
        if (unavailable.isPresent()) {
            throw new DeliveryException(unavailable.get(), true);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", notification.id());
        body.put("user_id", notification.recipient());
        body.put("message", notification.message());
        body.put("priority", notification.priority());
        body.put("created_at", notification.createdAt().toString());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", notification.id());
        if (settings.token() != null && !settings.token().isBlank()) {
            headers.put("Authorization", "Bearer " + settings.token());
        }
        http.post(
                URI.create(settings.url()),
                headers,
                "application/json",
                json.writeValueAsString(body),
                settings.guard(),
                "The push gateway");
    }
}
