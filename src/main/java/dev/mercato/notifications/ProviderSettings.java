package dev.mercato.notifications;

import dev.mercato.integrations.ServerSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.stereotype.Component;

/**
 * The smtp, sms and push integrations as server configuration sets them up ({@code spring.mail.*} and
 * {@code mercato.notifications.*}); settings stored through {@code /v2/integrations} override them field by field.
 */
@Component
class ProviderSettings implements ServerSettings {

    private static final String STARTTLS = "mail.smtp.starttls.enable";

    private final MailProperties mail;
    private final NotificationsProperties properties;

    ProviderSettings(MailProperties mail, NotificationsProperties properties) {
        this.mail = mail;
        this.properties = properties;
    }

    @Override
    public Set<String> integrationIds() {
        return Set.of("smtp", "sms", "push");
    }

    @Override
    public Map<String, Object> settings(String integrationId) {
        // A HashMap, since an unset setting is null.
        Map<String, Object> settings = new HashMap<>();
        switch (integrationId) {
            case "smtp" -> {
                settings.put("host", mail.getHost());
                settings.put("port", mail.getPort());
                settings.put("username", mail.getUsername());
                settings.put("password", mail.getPassword());
                settings.put("from", properties.emailFrom());
                String starttls = mail.getProperties().get(STARTTLS);
                settings.put(
                        "starttls", starttls == null || starttls.isBlank() ? null : Boolean.valueOf(starttls.strip()));
            }
            case "sms" -> {
                settings.put("base_url", properties.sms().baseUrl());
                settings.put("account_sid", properties.sms().accountSid());
                settings.put("auth_token", properties.sms().authToken());
                settings.put("from", properties.sms().from());
            }
            case "push" -> {
                settings.put("url", properties.push().url());
                settings.put("token", properties.push().token());
            }
            default -> {}
        }
        return settings;
    }
}
