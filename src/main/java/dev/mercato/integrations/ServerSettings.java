package dev.mercato.integrations;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What server configuration gives an integration, supplied by the feature that owns that configuration
 * (notifications for smtp, sms and push; payments for simulated and stripe; webhooks), so this feature reads none of
 * their properties.
 */
public interface ServerSettings {

    /** The integration ids this configuration covers. */
    Set<String> integrationIds();

    /**
     * The integration's settings as the server is configured, by the names and with the types the API shows; a
     * setting without a value may be left out, null or blank. For smtp, sms and push, settings stored through the API
     * take precedence.
     */
    Map<String, Object> settings(String integrationId);

    /** Why an integration set up by server configuration alone cannot be used; empty when it can. */
    default Optional<String> notConfigured(String integrationId) {
        return Optional.empty();
    }
}
