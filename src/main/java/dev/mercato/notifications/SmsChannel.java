package dev.mercato.notifications;

import dev.mercato.integrations.IntegrationSettings;
import dev.mercato.integrations.UnreadableSecretsException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * SMS through a Twilio-compatible API: {@code POST <base>/2010-04-01/Accounts/<sid>/Messages.json} with the form
 * fields {@code To}, {@code From}, {@code Body} and HTTP Basic authentication by account SID and auth token. The
 * settings are the sms integration's (stored over {@code mercato.notifications.sms.*}), read for every delivery.
 */
@Component
class SmsChannel implements NotificationChannel {

    private final IntegrationSettings integrations;
    private final ProviderHttp http;

    SmsChannel(NotificationsProperties properties, IntegrationSettings integrations) {
        this.integrations = integrations;
        this.http = new ProviderHttp(properties.timeout());
    }

    @Override
    public String type() {
        return Notification.SMS;
    }

    @Override
    public String setting() {
        return "mercato.notifications.sms.*";
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            return unavailableReason(integrations.sms());
        } catch (UnreadableSecretsException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> unavailableReason(IntegrationSettings.Sms settings) {
        return settings.configured()
                ? Optional.empty()
                : Optional.of("No SMS provider is configured (mercato.notifications.sms.*, or the sms integration).");
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        IntegrationSettings.Sms settings;
        try {
            settings = integrations.sms();
        } catch (UnreadableSecretsException e) {
            throw new DeliveryException(e.getMessage(), true);
        }
        Optional<String> unavailable = unavailableReason(settings);
        if (unavailable.isPresent()) {
            throw new DeliveryException(unavailable.get(), true);
        }
        String form = "To=" + encode(notification.recipient()) + "&From=" + encode(settings.from()) + "&Body="
                + encode(notification.message());
        String credentials = Base64.getEncoder()
                .encodeToString((settings.accountSid() + ":" + settings.authToken()).getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create(settings.baseUrl().replaceAll("/+$", "") + "/2010-04-01/Accounts/"
                + encode(settings.accountSid()) + "/Messages.json");
        http.post(
                uri,
                Map.of("Authorization", "Basic " + credentials),
                "application/x-www-form-urlencoded",
                form,
                settings.guard(),
                "The SMS provider");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
