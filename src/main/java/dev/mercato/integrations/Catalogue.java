package dev.mercato.integrations;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The integrations Mercato knows, with fixed ids. The email, SMS and push providers are configurable over the API;
 * each of their settings falls back to server configuration when not stored ({@link ServerSettings}). Payment
 * processors and webhooks are described here but configured by server configuration only.
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
            return settings.stream()
                    .filter(setting -> setting.name().equals(name))
                    .findFirst();
        }
    }

    /**
     * A setting as sent over the API ({@code snake_case}). A secret is write-only: reads show only whether it is set
     * ({@code <name>_set}).
     */
    record Setting(String name, Kind kind) {

        boolean secret() {
            return kind == Kind.SECRET;
        }
    }

    enum Kind {
        HOST,
        PORT,
        TEXT,
        MAILBOX,
        URL,
        PHONE,
        BOOLEAN,
        SECRET
    }

    static final List<Definition> ALL = List.of(
            new Definition(SIMULATED, "Simulated payments", "payments", List.of()),
            new Definition(STRIPE, "Stripe", "payments", List.of()),
            new Definition(
                    SMTP,
                    "Email (SMTP)",
                    "email",
                    List.of(
                            new Setting("host", Kind.HOST),
                            new Setting("port", Kind.PORT),
                            new Setting("username", Kind.TEXT),
                            new Setting("password", Kind.SECRET),
                            new Setting("from", Kind.MAILBOX),
                            new Setting("starttls", Kind.BOOLEAN))),
            new Definition(
                    SMS,
                    "SMS (Twilio-compatible)",
                    "sms",
                    List.of(
                            new Setting("base_url", Kind.URL),
                            new Setting("account_sid", Kind.TEXT),
                            new Setting("auth_token", Kind.SECRET),
                            new Setting("from", Kind.PHONE))),
            new Definition(
                    PUSH,
                    "Push gateway",
                    "push",
                    List.of(new Setting("url", Kind.URL), new Setting("token", Kind.SECRET))),
            new Definition(WEBHOOKS, "Webhooks", "webhooks", List.of()));

    private static final Map<String, Definition> BY_ID =
            ALL.stream().collect(Collectors.toMap(Definition::id, Function.identity()));

    private Catalogue() {}

    /** Whether the setting says where the integration connects, to which its secrets are sent. */
    static boolean isDestination(Setting setting) {
        return setting.kind() == Kind.HOST || setting.kind() == Kind.PORT || setting.kind() == Kind.URL;
    }

    static Optional<Definition> find(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    static Definition get(String id) {
        return BY_ID.get(id);
    }
}
