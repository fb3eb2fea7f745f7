package dev.mercato.webhooks;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Publishes the event types a subscription may name, from {@link EventType}, as the enum (and description) of the
 * {@code events} of a subscription request: the documents can then never list a type the server refuses.
 */
@Component
class EventTypesDocumentation implements GlobalOpenApiCustomizer {

    private static final String REQUEST = "CreateWebhookV2";

    @Override
    public void customise(OpenAPI openApi) {
        Schema<?> request =
                openApi.getComponents() == null || openApi.getComponents().getSchemas() == null
                        ? null
                        : openApi.getComponents().getSchemas().get(REQUEST);
        Schema<?> events = request == null || request.getProperties() == null
                ? null
                : request.getProperties().get("events");
        if (events == null || events.getItems() == null) {
            return;
        }
        List<String> names = new ArrayList<>(EventType.wireNames());
        events.setDescription("Event types: " + String.join(", ", names) + ", or " + EventType.ALL + " for all.");
        names.add(EventType.ALL);
        @SuppressWarnings("unchecked")
        Schema<Object> items = (Schema<Object>) events.getItems();
        items.setEnum(new ArrayList<>(names));
    }
}
