package dev.mercato.webhooks;

import dev.mercato.integrations.ServerSettings;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/** The webhooks integration as {@code mercato.webhooks.*} sets it up: whether private targets are allowed. */
@Component
class WebhookSettings implements ServerSettings {

    private final WebhooksProperties properties;

    WebhookSettings(WebhooksProperties properties) {
        this.properties = properties;
    }

    @Override
    public Set<String> integrationIds() {
        return Set.of("webhooks");
    }

    @Override
    public Map<String, Object> settings(String integrationId) {
        return Map.of("allow_private_targets", properties.allowPrivateTargets());
    }
}
