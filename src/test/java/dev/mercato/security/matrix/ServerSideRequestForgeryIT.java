package dev.mercato.security.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.Api;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import dev.mercato.support.ServerProcesses;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * OWASP API7, server-side request forgery: every outbound destination a caller can set (a request property named
 * {@code url}, {@code *_url} or {@code host} in any documented operation, webhooks and every integration alike)
 * refuses loopback, private, link-local, unspecified and IPv4-in-IPv6 targets in their usual disguises, with 400,
 * on a server with the default policy (the shared test server allows private targets for its own tests).
 */
class ServerSideRequestForgeryIT extends ApiTestSupport {

    private static final List<String> INTERNAL_HOSTS = List.of(
            "127.0.0.1",
            "localhost",
            "[::1]",
            "169.254.169.254",
            "10.0.0.1",
            "192.168.1.1",
            "172.16.0.1",
            "0.0.0.0",
            "2130706433",
            "[::ffff:127.0.0.1]",
            "[fd00::1]");

    @Autowired
    DataSource dataSource;

    private ServerProcesses servers;

    @AfterEach
    void stop() throws InterruptedException {
        if (servers != null) {
            servers.stopAll();
        }
    }

    @Test
    void everyOutboundDestinationRefusesTheServersOwnNetwork() throws Exception {
        servers = new ServerProcesses(dataSource);
        Api guarded = Api.forPort(servers.start("matrix-ssrf", Map.of()).port());
        List<String> integrations = new ArrayList<>();
        api.get("/v2/integrations")
                .asAdmin()
                .send()
                .json()
                .forEach(item -> integrations.add(item.get("id").asString()));

        Set<String> refused = new LinkedHashSet<>();
        for (Operations.Operation operation : Operations.of(api).withBody()) {
            for (String field : destinationFields(operation, operation.bodySchema())) {
                List<String> paths = operation.pathParameters().isEmpty()
                        ? List.of(operation.path())
                        : integrations.stream()
                                .map(id -> operation.path(name -> id))
                                .toList();
                for (String path : paths) {
                    if (refusesEveryInternalTarget(guarded, operation, path, field)) {
                        refused.add(operation.method() + " " + path + " " + field);
                    }
                }
            }
        }

        assertThat(refused)
                .as("destinations found and refused")
                .contains(
                        "post /v2/webhooks url",
                        "put /v2/integrations/push url",
                        "put /v2/integrations/sms base_url",
                        "put /v2/integrations/smtp host");
    }

    /**
     * True when every internal target is refused as such; false when the property does not belong to this
     * resource (unknown field, not configurable). Anything else fails the test.
     */
    private boolean refusesEveryInternalTarget(Api guarded, Operations.Operation operation, String path, String field) {
        for (String host : INTERNAL_HOSTS) {
            String value = field.equals("host") ? host.replace("[", "").replace("]", "") : "http://" + host + ":8080/x";
            String body = field.equals("url") && path.endsWith("/webhooks")
                    ? "{\"url\": \"" + value + "\", \"events\": [\"order.created\"]}"
                    : "{\"" + field + "\": \"" + value + "\"}";
            Response answer =
                    operation.call(guarded, path, body).asAdmin().unvalidated().send();
            JsonNode error = answer.json().get("error");
            String code = error == null ? "" : error.get("code").asString();
            if (code.equals("UNKNOWN_FIELD") || code.equals("NOT_CONFIGURABLE")) {
                return false;
            }
            assertThat(answer.status())
                    .as(path + " " + field + " = " + value + ": " + answer.body())
                    .isEqualTo(400);
            assertThat(error.get("message").asString())
                    .as(path + " " + field + " = " + value)
                    .containsAnyOf("own network", "does not resolve");
        }
        return true;
    }

    /** The properties of a request body (or of any of its alternatives) that name where the server connects. */
    private static Set<String> destinationFields(Operations.Operation operation, JsonNode reference) {
        Set<String> fields = new LinkedHashSet<>();
        if (reference == null) {
            return fields;
        }
        JsonNode schema = operation.resolve(reference);
        if (schema.has("properties")) {
            schema.get("properties").propertyNames().forEach(name -> {
                if (name.equals("url") || name.endsWith("_url") || name.equals("host")) {
                    fields.add(name);
                }
            });
        }
        for (String alternatives : List.of("oneOf", "anyOf")) {
            if (schema.has(alternatives)) {
                schema.get(alternatives).forEach(variant -> fields.addAll(destinationFields(operation, variant)));
            }
        }
        return fields;
    }
}
