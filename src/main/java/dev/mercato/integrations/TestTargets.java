package dev.mercato.integrations;

import dev.mercato.integrations.Catalogue.Definition;
import dev.mercato.shared.ConflictException;
import java.util.HashMap;
import java.util.Map;

/** The body of {@code POST /v2/integrations/{id}/test}: where the test message goes, per integration. */
final class TestTargets {

    private static final int MAX_USER_ID = 200;

    private TestTargets() {}

    /** What a test of the integration goes to: {@code email}, {@code phone} or {@code user_id}; null for none. */
    static String kind(String id) {
        return switch (id) {
            case Catalogue.SMTP -> "email";
            case Catalogue.SMS -> "phone";
            case Catalogue.PUSH -> "user_id";
            default -> null;
        };
    }

    /** The body that names {@code target} as the integration's test request does; absent for those without one. */
    static SettingsBody body(String id, String target) {
        Map<String, Object> fields = new HashMap<>(); // a missing target is null, for the check to name the field
        switch (id) {
            case Catalogue.SMTP, Catalogue.SMS -> fields.put("to", target);
            case Catalogue.PUSH -> fields.put("user_id", target);
            default -> {
                return SettingsBody.ABSENT;
            }
        }
        return SettingsBody.of(fields);
    }

    /** The checked target (an email address, a phone number, a user id), or null for integrations without one. */
    static String target(Definition definition, SettingsBody body) {
        return switch (definition.id()) {
            case Catalogue.SMTP -> {
                Object to = field(body, "to", "string");
                yield SettingsValidator.email("to", SettingsValidator.text("to", to, 320));
            }
            case Catalogue.SMS -> {
                Object to = field(body, "to", "string");
                yield SettingsValidator.phone("to", SettingsValidator.text("to", to, 16));
            }
            case Catalogue.PUSH -> SettingsValidator.text("user_id", field(body, "user_id", "string"), MAX_USER_ID);
            case Catalogue.WEBHOOKS ->
                throw new ConflictException(
                        "NOT_TESTABLE",
                        "The webhooks integration is built in; test a webhook subscription instead.",
                        definition.id());
            default -> {
                if (body.present()) {
                    SettingsValidator.requireObject(body);
                    SettingsValidator.onlyFields(body, Map.of());
                }
                yield null;
            }
        };
    }

    private static Object field(SettingsBody body, String name, String type) {
        SettingsValidator.requireObject(body);
        SettingsValidator.onlyFields(body, Map.of(name, type));
        return SettingsValidator.required(body, name, type);
    }
}
