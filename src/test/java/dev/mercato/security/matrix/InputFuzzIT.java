package dev.mercato.security.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OWASP API8 (and the parsers behind every other item): every documented operation answers bad input with a 4xx
 * in the error body, never a 5xx. Each body operation gets the committed corpus ({@code fuzz/bodies.txt}: broken
 * JSON, wrong types, extremes, injection strings) and bodies generated from its own schema, every property given a
 * value of a wrong kind, by a seeded generator (same inputs every run; a failure names the input); each query
 * parameter of every read gets hostile values.
 */
class InputFuzzIT extends ApiTestSupport {

    private static final long SEED = 20261205L;
    private static final int GENERATED_PER_OPERATION = 8;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> QUERY_VALUES = List.of(
            "-1",
            "0",
            "abc",
            "99999999999999999999",
            "1e309",
            "",
            "' OR 1=1 --",
            "<script>",
            "%00",
            "[]",
            "{}",
            "\u0000",
            "2026-13-45T99:99:99Z",
            "a".repeat(5000));

    private final Random random = new Random(SEED);

    @Test
    void everyBodyAndQueryParserAnswersBadInputWith4xx() throws IOException {
        List<String> corpus = Files.readAllLines(Path.of("src/test/resources/fuzz/bodies.txt"), StandardCharsets.UTF_8);
        Operations operations = Operations.of(api);
        int sent = 0;
        for (Operations.Operation operation : operations.withBody()) {
            String path = operation.path(name -> "xyz_1");
            List<String> bodies = new ArrayList<>(corpus);
            for (int i = 0; i < GENERATED_PER_OPERATION; i++) {
                bodies.add(generated(operation));
            }
            for (String body : bodies) {
                check(
                        operation + " with " + body,
                        operation.call(api, path, body).asAdmin().unvalidated().send());
                sent++;
            }
            check(
                    operation + " as text/plain",
                    operation
                            .call(api, path, null)
                            .asAdmin()
                            .body("text/plain", "hello")
                            .unvalidated()
                            .send());
        }
        for (Operations.Operation operation : operations.secured()) {
            if (!operation.method().equals("get")) {
                continue;
            }
            for (String parameter : operation.queryParameters()) {
                for (String value : QUERY_VALUES) {
                    String query = "?" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
                    check(
                            operation + query,
                            api.get(operation.path(name -> "xyz_1") + query)
                                    .asAdmin()
                                    .unvalidated()
                                    .send());
                    sent++;
                }
            }
        }
        assertThat(sent).as("inputs sent").isGreaterThan(1000);
    }

    private static void check(String what, Response response) {
        assertThat(response.status()).as(what + " answered " + response.body()).isLessThan(500);
        if (response.status() >= 400) {
            JsonNode error = response.json().get("error");
            assertThat(error).as(what + ": the error body").isNotNull();
            assertThat(error.get("code").asString()).as(what).isNotBlank();
        }
    }

    /** A body with every property of the operation's schema given a value of a wrong kind, or an extreme one. */
    private String generated(Operations.Operation operation) {
        ObjectNode body = JSON.createObjectNode();
        JsonNode schema = operation.resolve(operation.bodySchema());
        JsonNode properties = schema.has("properties") ? schema.get("properties") : JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            switch (random.nextInt(9)) {
                case 0 -> body.putNull(property.getKey());
                case 1 -> body.put(property.getKey(), random.nextBoolean());
                case 2 -> body.put(property.getKey(), random.nextLong());
                case 3 -> body.put(property.getKey(), -random.nextDouble() * 1e12);
                case 4 -> body.put(property.getKey(), "x".repeat(random.nextInt(20_000)));
                case 5 -> body.putArray(property.getKey()).add(random.nextInt()).addNull();
                case 6 -> body.putObject(property.getKey()).put("nested", "\u0000");
                case 7 -> body.put(property.getKey(), "\uD83D\uDE00' OR '1'='1");
                default -> body.put(property.getKey(), "");
            }
        }
        if (random.nextInt(4) == 0) {
            body.put("unknown_" + random.nextInt(100), 1);
        }
        return body.toString();
    }
}
