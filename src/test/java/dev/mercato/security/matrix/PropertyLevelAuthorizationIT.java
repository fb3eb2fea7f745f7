package dev.mercato.security.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import dev.mercato.support.WebhookReceiver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * OWASP API3, broken object property level authorization: after the answer that creates it, no secret is ever
 * shown again. Every documented read operation (the collections, and each created credential by its id) is
 * searched for the secrets' values and for properties that name a secret, a password, a hash or a private key;
 * only flags that say whether one is set ({@code *_set}) may.
 */
class PropertyLevelAuthorizationIT extends ApiTestSupport {

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|password|hash|private|token).*");

    @Test
    void noReadShowsASecretOnceCreated() {
        JsonNode key = api.post("/v2/api-keys", "{\"name\": \"matrix property\", \"scopes\": [\"orders:read\"]}")
                .asAdmin()
                .send()
                .expect(201)
                .json();
        JsonNode client = api.post(
                        "/v2/oauth-clients", "{\"name\": \"matrix property\", \"scopes\": [\"orders:read\"]}")
                .asAdmin()
                .send()
                .expect(201)
                .json();
        JsonNode webhook = api.post("/v2/webhooks", """
                {"url": "%s/property", "events": ["order.created"]}""".formatted(WebhookReceiver.SERVER.baseUrl()))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        String user = aUser().withPassword("Matrix-Property-Pass-42").create();
        List<String> secrets = List.of(
                key.get("key").asString(),
                client.get("client_secret").asString(),
                webhook.get("secret").asString(),
                "Matrix-Property-Pass-42");
        Map<String, String> created = Map.of(
                "/v2/api-keys/{id}", key.get("id").asString(),
                "/v2/oauth-clients/{id}", client.get("client_id").asString(),
                "/v2/webhooks/{id}", webhook.get("id").asString(),
                "/v2/users/{id}", user);

        int read = 0;
        for (Operations.Operation operation : Operations.of(api).secured()) {
            if (!operation.method().equals("get")) {
                continue;
            }
            String path;
            if (operation.pathParameters().isEmpty()) {
                path = operation.path();
            } else if (created.containsKey(operation.path())) {
                path = operation.path(name -> created.get(operation.path()));
            } else {
                continue;
            }
            Response response = api.get(path).asAdmin().send();
            if (response.status() != 200 || !response.header("Content-Type").contains("json")) {
                continue;
            }
            assertThat(response.body()).as(path).doesNotContain(secrets);
            assertThat(secretProperties(response.json(), "")).as(path).isEmpty();
            read++;
        }
        assertThat(read).as("reads searched").isGreaterThanOrEqualTo(15);
    }

    /** Properties named like a secret that hold more than a yes or no. */
    private static List<String> secretProperties(JsonNode node, String at) {
        List<String> found = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> found.addAll(secretProperties(item, at + "[]")));
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                String name = property.getKey();
                if (SECRET_NAME.matcher(name).matches() && !property.getValue().isBoolean() && !name.endsWith("_set")) {
                    found.add(at + "." + name);
                }
                found.addAll(secretProperties(property.getValue(), at + "." + name));
            }
        }
        return found;
    }
}
