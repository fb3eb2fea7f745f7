package dev.mercato.payments;

import dev.mercato.integrations.ServerSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/** The simulated and stripe integrations as {@code mercato.payments.*} sets them up: which one is in use. */
@Component
class ProcessorSettings implements ServerSettings {

    private final PaymentsProperties properties;

    ProcessorSettings(PaymentsProperties properties) {
        this.properties = properties;
    }

    @Override
    public Set<String> integrationIds() {
        return Set.of(PaymentsProperties.SIMULATED, PaymentsProperties.STRIPE);
    }

    @Override
    public Map<String, Object> settings(String integrationId) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("in_use", inUse(integrationId));
        if (PaymentsProperties.STRIPE.equals(integrationId)) {
            settings.put("api_base", properties.stripe().apiBase());
            settings.put("api_key_set", properties.stripe().keyConfigured());
        }
        return settings;
    }

    @Override
    public Optional<String> notConfigured(String integrationId) {
        if (PaymentsProperties.STRIPE.equals(integrationId)
                && !properties.stripe().keyConfigured()) {
            return Optional.of("No API key is configured (mercato.payments.stripe.api-key).");
        }
        return inUse(integrationId)
                ? Optional.empty()
                : Optional.of("mercato.payments.processor is " + properties.processor() + ".");
    }

    private boolean inUse(String integrationId) {
        return integrationId.equals(properties.processor());
    }
}
