package dev.mercato.integrations;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The integrations Mercato knows, with fixed ids. The email, SMS and push providers are configurable over the API;
 * each of their settings names the server property it falls back to when not stored. Payment processors and
 * webhooks are described here but configured by server configuration only.
 */
final class Catalogue {

    static final String SIMULATED = "simulated";
    static final String STRIPE = "stripe";
    static final String SMTP = "smtp";
    static final String SMS = "sms";
    static final String PUSH = "push";
    static final String WEBHOOKS = "webhooks";

    /** One integration: {@code settings} is empty for those not configurable over the API. */
    record Definition(String id, String name, String category, List<Setting> settings) {

        boolean configurable() {
            return !settings.isEmpty();
        }

        Optional<Setting> setting(String name) {
            return settings.stream().filter(setting -> setting.name().equals(name)).findFirst();
        }
    }

    /**
     * A setting as sent over the API ({@code snake_case}); {@code property} is the server configuration it
     * overrides. A secret is write-only: reads show only whether it is set ({@code <name>_set}).
     */
    record Setting(String name, Kind kind, String property) {

        boolean secret() {
            return kind == Kind.SECRET;
        }
    }

    enum Kind {
        HOST, PORT, TEXT, MAILBOX, URL, PHONE, BOOLEAN, SECRET
    }

    static final List<Definition> ALL = List.of(
            new Definition(SIMULATED, "Simulated payments", "payments", List.of()),
            new Definition(STRIPE, "Stripe", "payments", List.of()),
            new Definition(SMTP, "Email (SMTP)", "email", List.of(
                    new Setting("host", Kind.HOST, "spring.mail.host"),
                    new Setting("port", Kind.PORT, "spring.mail.port"),
                    new Setting("username", Kind.TEXT, "spring.mail.username"),
                    new Setting("password", Kind.SECRET, "spring.mail.password"),
                    new Setting("from", Kind.MAILBOX, "mercato.notifications.email-from"),
                    new Setting("starttls", Kind.BOOLEAN, "spring.mail.properties.mail.smtp.starttls.enable"))),
            new Definition(SMS, "SMS (Twilio-compatible)", "sms", List.of(
                    new Setting("base_url", Kind.URL, "mercato.notifications.sms.base-url"),
                    new Setting("account_sid", Kind.TEXT, "mercato.notifications.sms.account-sid"),
                    new Setting("auth_token", Kind.SECRET, "mercato.notifications.sms.auth-token"),
                    new Setting("from", Kind.PHONE, "mercato.notifications.sms.from"))),
            new Definition(PUSH, "Push gateway", "push", List.of(
                    new Setting("url", Kind.URL, "mercato.notifications.push.url"),
                    new Setting("token", Kind.SECRET, "mercato.notifications.push.token"))),
            new Definition(WEBHOOKS, "Webhooks", "webhooks", List.of()));

    private static final Map<String, Definition> BY_ID = ALL.stream()
            .collect(Collectors.toMap(Definition::id, Function.identity()));

    private Catalogue() {
    }

    static Optional<Definition> find(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    static Definition get(String id) {
        return BY_ID.get(id);
    }
}
