package dev.mercato.integrations;

import dev.mercato.crypto.SecretBox;
import dev.mercato.integrations.Catalogue.Definition;
import dev.mercato.integrations.Catalogue.Setting;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settings an integration runs with: each stored setting over what the {@link ServerSettings} of its feature
 * give. A stored secret that cannot be decrypted leaves the integration {@link Resolved#unreadable()}.
 */
@Component
class SettingsResolver {

    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

    private final List<ServerSettings> servers;
    private final SecretBox cipher;
    private final JsonMapper json;

    SettingsResolver(List<ServerSettings> servers, SecretBox cipher, JsonMapper json) {
        this.servers = servers;
        this.cipher = cipher;
        this.json = json;
    }

    /**
     * @param values every setting that has a value, secrets included, typed as on the wire
     * @param unreadable why the stored secrets could not be decrypted, when they could not
     * @param aimedThroughApi whether where it connects (host, port or URL) was set through the API rather than by
     *     server configuration: then the {@link TargetGuard} applies
     */
    record Resolved(
            Map<String, Object> values, Optional<UnreadableSecretsException> unreadable, boolean aimedThroughApi) {

        String text(String name) {
            Object value = values.get(name);
            return value == null ? null : value.toString();
        }
    }

    Resolved resolve(Definition definition, Optional<StoredIntegration> row) {
        Map<String, Object> stored = row.map(StoredIntegration::settings).orElse(Map.of());
        Map<String, String> secrets = Map.of();
        UnreadableSecretsException unreadable = null;
        try {
            secrets = row.map(this::secrets).orElse(Map.of());
        } catch (UnreadableSecretsException e) {
            unreadable = e;
        }
        Map<String, Object> configured = configured(definition.id());
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting setting : definition.settings()) {
            Object value = setting.secret() ? secrets.get(setting.name()) : stored.get(setting.name());
            if (value == null) {
                value = present(configured.get(setting.name()));
            }
            if (value != null) {
                values.put(setting.name(), value);
            }
        }
        return new Resolved(
                Collections.unmodifiableMap(values),
                Optional.ofNullable(unreadable),
                aimedThroughApi(definition, stored, configured));
    }

    /** Whether a destination setting stored through the API differs from what server configuration gives. */
    static boolean aimedThroughApi(Definition definition, Map<String, Object> stored, Map<String, Object> configured) {
        return definition.settings().stream()
                .filter(Catalogue::isDestination)
                .map(Setting::name)
                .anyMatch(name -> stored.get(name) != null
                        && !String.valueOf(stored.get(name)).equals(String.valueOf(configured.get(name))));
    }

    /** The decrypted secrets of a row; empty when it holds none. */
    Map<String, String> secrets(StoredIntegration row) {
        if (row.sealedSecrets() == null) {
            return Map.of();
        }
        byte[] plain;
        try {
            plain = cipher.open(row.id(), row.sealedSecrets());
        } catch (SecretBox.UnreadableException e) {
            throw new UnreadableSecretsException(row.id(), e.getMessage());
        }
        try {
            return json.readValue(plain, STRINGS);
        } catch (RuntimeException e) {
            throw new UnreadableSecretsException(row.id(), "the decrypted value is not a JSON object of strings");
        }
    }

    byte[] seal(String id, Map<String, String> secrets) {
        return secrets.isEmpty() ? null : cipher.seal(id, json.writeValueAsBytes(secrets));
    }

    /** The settings server configuration gives an integration; empty when no feature supplies any. */
    Map<String, Object> configured(String id) {
        return server(id).map(server -> server.settings(id)).orElse(Map.of());
    }

    /** Why an integration set up by server configuration alone cannot be used; empty when it can. */
    Optional<String> notConfigured(String id) {
        return server(id).flatMap(server -> server.notConfigured(id));
    }

    private Optional<ServerSettings> server(String id) {
        return servers.stream()
                .filter(server -> server.integrationIds().contains(id))
                .findFirst();
    }

    /** A configured value; null when it has none. */
    private static Object present(Object configured) {
        return configured instanceof String value && value.isBlank() ? null : configured;
    }
}
