package dev.mercato.notifications;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Push through a generic gateway: the notification is POSTed as JSON ({@code id}, {@code user_id},
 * {@code message}, {@code priority}) with {@code Authorization: Bearer <token>} when a token is set and
 * {@code Idempotency-Key: <notification id>}, so a gateway can drop a resend.
 */
@Component
class PushChannel implements NotificationChannel {

    private final NotificationsProperties.Push settings;
    private final ProviderHttp http;
    private final JsonMapper json;

    PushChannel(NotificationsProperties properties, JsonMapper json) {
        this.settings = properties.push();
        this.http = new ProviderHttp(properties.timeout());
        this.json = json;
    }

    @Override
    public String type() {
        return Notification.PUSH;
    }

    @Override
    public Optional<String> unavailableReason() {
        return settings.url().isBlank()
                ? Optional.of("No push gateway is configured (mercato.notifications.push.url, or the push integration).")
                : Optional.empty();
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        Optional<String> unavailable = unavailableReason();
        if (unavailable.isPresent()) {
            throw new DeliveryException(unavailable.get(), true);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", notification.id());
        body.put("user_id", notification.recipient());
        body.put("message", notification.message());
        body.put("priority", notification.priority());
        HttpRequest.Builder request = http.request(URI.create(settings.url()))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", notification.id())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (!settings.token().isBlank()) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        http.send(request.build(), "The push gateway");
    }
}
