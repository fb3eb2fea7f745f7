package dev.mercato.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mercato.support.Api;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The server held to the two API references: every call they document (src/test/resources/references/calls.json,
 * transcribed from them) is made as they show it, and each status, response field and header they give must be
 * what the server answers. A renamed or dropped field, a changed status or a missing pagination header fails here
 * even when the OpenAPI documents changed with it.
 */
class ReferenceCallsIT extends ApiTestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode REFERENCE = read("/references/calls.json");
    private static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";
    private static final List<String> PAGINATION = List.of("X-Total-Count", "X-Limit", "X-Offset");
    private static final List<String> PAGING = List.of("limit", "offset");

    static Stream<Arguments> calls() {
        List<Arguments> calls = new ArrayList<>();
        REFERENCE
                .path("calls")
                .forEach(call -> calls.add(Arguments.of(
                        call.path("reference").asString() + " "
                                + call.path("method").asString() + " "
                                + call.path("path").asString(),
                        call)));
        return calls.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void everyDocumentedCallAnswersAsTheReferenceShows(String name, JsonNode call) {
        Map<String, String> examples = realResourcesForTheExamples();

        // Error cases first: the success of a payment or an order changes what the same call then answers.
        List<Map.Entry<String, JsonNode>> cases =
                new ArrayList<>(call.path("responses").properties());
        cases.sort(Comparator.comparing(entry -> entry.getKey().startsWith("2")));
        for (Map.Entry<String, JsonNode> documented : cases) {
            String status = documented.getKey();
            JsonNode spec = documented.getValue();
            Map<String, String> substitutions = substitutions(examples, spec.path("keep_examples"));
            if (spec.has("item")) {
                // A list may need a moment to show what was just made (the access log is written in batches).
                await().atMost(Duration.ofSeconds(15))
                        .untilAsserted(() -> assertSuccess(
                                status,
                                spec,
                                request(call, spec, substitutions).asAdmin().send()));
            } else if (status.startsWith("2")) {
                assertSuccess(
                        status,
                        spec,
                        request(call, spec, substitutions).asAdmin().send());
            } else {
                assertError(
                        Integer.parseInt(status),
                        spec.path("error"),
                        request(call, spec, substitutions).asAdmin().send());
            }
        }
        if (!call.path("path").asString().startsWith("/oauth/")) {
            assertAuthenticationIsRequired(call, examples);
        }
        if (call.path("list").asBoolean(false)) {
            assertPaginated(call, examples);
        }
    }

    /** One real resource for each example id of the references (calls.json, "examples"). */
    private Map<String, String> realResourcesForTheExamples() {
        String user = aUser().withName("Alice", "Smith").create();
        // As the v1 product example: a description, 49.99 USD; the order example's second line costs nothing, so
        // that the payment example's 99.98 is the order's total.
        String description = "A high-quality widget for all your needs.";
        String widget = aProduct()
                .priced("49.99", "USD")
                .describedAs(description)
                .withStock(150)
                .create();
        String free = aProduct()
                .priced("0.00", "USD")
                .describedAs(description)
                .withStock(150)
                .create();
        String order = placeOrder(user, widget, 2, free, 1)
                .expect(201)
                .json()
                .get("id")
                .asString();
        JsonNode client =
                api.post("/v2/oauth-clients", """
                {"name": "reference reader", "scopes": ["products:read"]}""").asAdmin().send().expect(201).json();
        // A request by a key that acts for the user, so that the access log has an entry naming a user.
        api.get("/products?limit=1").as(anApiKey(user, "products:read")).send().expect(200);

        Map<String, String> real = new LinkedHashMap<>();
        real.put("usr_123abc", user);
        real.put("user_123", user);
        real.put("prod_xyz789", widget);
        real.put("prod_abc123", free);
        real.put("ord_qwe987", order);
        real.put("pm_ Stripe_12345", "pm_card_visa");
        real.put("YOUR_CLIENT_ID", client.get("client_id").asString());
        real.put("YOUR_CLIENT_SECRET", client.get("client_secret").asString());
        assertThat(real.keySet())
                .as("every example id of calls.json has a real resource")
                .containsExactlyInAnyOrderElementsOf(REFERENCE.path("examples").propertyNames());
        return real;
    }

    /** The substitutions for one case: all of them, none ({@code true}), or all but the examples it names. */
    private static Map<String, String> substitutions(Map<String, String> examples, JsonNode keep) {
        if (keep.asBoolean(false)) {
            return Map.of();
        }
        Map<String, String> kept = new LinkedHashMap<>(examples);
        keep.forEach(example -> kept.remove(example.asString()));
        return kept;
    }

    private Api.Call request(JsonNode call, JsonNode spec, Map<String, String> substitutions) {
        String path = call.path("path").asString();
        for (Map.Entry<String, JsonNode> parameter : call.path("path_params").properties()) {
            path = path.replace(
                    "{" + parameter.getKey() + "}",
                    substitute(parameter.getValue().asString(), substitutions));
        }
        path += queryString(call, substitutions);
        String method = call.path("method").asString();
        String body = body(call, spec);
        if (body == null) {
            return api.method(method, path);
        }
        return api.method(method, path).json(substitute(body, substitutions));
    }

    private static String queryString(JsonNode call, Map<String, String> substitutions) {
        return queryString(call, substitutions, "");
    }

    /** The call's query parameters, and {@code paging} instead of its own limit and offset when given. */
    private static String queryString(JsonNode call, Map<String, String> substitutions, String paging) {
        JsonNode query = call.has("query") ? call.get("query") : call.path("query_from_docs");
        String joined = Stream.concat(
                        query.properties().stream()
                                .filter(parameter -> paging.isEmpty() || !PAGING.contains(parameter.getKey()))
                                .map(parameter -> parameter.getKey() + "="
                                        + URLEncoder.encode(
                                                substitute(parameter.getValue().asString(), substitutions),
                                                StandardCharsets.UTF_8)),
                        Stream.of(paging).filter(parameters -> !parameters.isEmpty()))
                .collect(Collectors.joining("&"));
        return joined.isEmpty() ? "" : "?" + joined;
    }

    /** The body as the reference prints it, with a case's changes: a field left out, or its comments removed. */
    private static String body(JsonNode call, JsonNode spec) {
        if (call.has("body_text")) {
            String text = call.get("body_text").asString();
            return spec.path("without_comments").asBoolean(false) ? text.replaceAll("\\s*//[^\\n]*", "") : text;
        }
        JsonNode body = call.has("body") ? call.get("body") : call.get("body_from_docs");
        if (body == null) {
            return null;
        }
        ObjectNode copy = (ObjectNode) body.deepCopy();
        if (spec.has("without")) {
            copy.remove(spec.get("without").asString());
        }
        return JSON.writeValueAsString(copy);
    }

    private static String substitute(String text, Map<String, String> substitutions) {
        String result = text;
        for (Map.Entry<String, String> substitution : substitutions.entrySet()) {
            result = result.replace(substitution.getKey(), substitution.getValue());
        }
        return result;
    }

    private static void assertSuccess(String status, JsonNode spec, Response response) {
        if (status.equals("2xx")) {
            assertThat(response.status()).as(response.body()).isBetween(200, 299);
        } else {
            response.expect(Integer.parseInt(status));
        }
        if (response.status() != 204) {
            assertThat(response.header("Content-Type")).startsWith("application/json");
        }
        if (spec.has("object")) {
            assertFields(spec.get("object"), response.json(), "");
            spec.path("values")
                    .forEach(field -> assertThat(response.json().get(field.asString()))
                            .as(field.asString())
                            .isEqualTo(spec.get("object").get(field.asString())));
        }
        if (spec.has("item")) {
            assertListItems(spec.get("item"), response.json());
        }
    }

    /**
     * Each item has the example's fields it has with the example's types, and some item has them all: optional ones
     * (a log entry's userId) are left out where they have no value.
     */
    private static void assertListItems(JsonNode example, JsonNode items) {
        assertThat(items.isArray()).as(items.toString()).isTrue();
        assertThat(hasAllFields(items, example))
                .as("an item with every field of " + example + " in " + items)
                .isTrue();
        items.forEach(item -> assertFields(presentIn(example, item), item, ""));
    }

    private static boolean hasAllFields(JsonNode items, JsonNode example) {
        return items.valueStream()
                .anyMatch(item -> example.propertyNames().stream().allMatch(item::has));
    }

    private static JsonNode presentIn(JsonNode example, JsonNode item) {
        ObjectNode present = JSON.createObjectNode();
        example.properties().stream()
                .filter(field -> item.has(field.getKey()))
                .forEach(field -> present.set(field.getKey(), field.getValue()));
        return present;
    }

    /** Every field of the example is in the answer with the same JSON type (a timestamp as ISO 8601 UTC). */
    private static void assertFields(JsonNode example, JsonNode actual, String where) {
        example.properties().forEach(field -> {
            String name = where + field.getKey();
            JsonNode expected = field.getValue();
            JsonNode value = actual.get(field.getKey());
            assertThat(value).as(name + " in " + actual).isNotNull();
            assertThat(value.getNodeType()).as(name).isEqualTo(expected.getNodeType());
            if (expected.isIntegralNumber()) {
                assertThat(value.isIntegralNumber()).as(name + " is an integer").isTrue();
            }
            if (expected.isString() && expected.asString().matches(ISO_UTC)) {
                assertThat(value.asString()).as(name).matches(ISO_UTC);
            }
            if (expected.isObject()) {
                assertFields(expected, value, name + ".");
            }
        });
    }

    /** The error body of the v1 reference, with the code, message and details the case gives, if it gives them. */
    private static void assertError(int status, JsonNode expected, Response response) {
        JsonNode error = response.expectError(
                status, response.json().path("error").path("code").asString());
        expected.properties()
                .forEach(field -> assertThat(error.get(field.getKey()).asString())
                        .as(field.getKey())
                        .isEqualTo(field.getValue().asString()));
    }

    /** 401 without a credential, 403 with one that lacks the scope (one that may only read logs). */
    private void assertAuthenticationIsRequired(JsonNode call, Map<String, String> examples) {
        JsonNode success = call.path("responses").properties().stream()
                .filter(entry -> entry.getKey().startsWith("2"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow();
        Response anonymous = request(call, success, examples).send();
        anonymous.expectError(401, "UNAUTHORIZED");
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        if (!call.path("path").asString().endsWith("/logs")) {
            request(call, success, examples)
                    .as(anApiKey(null, "logs:read"))
                    .send()
                    .expectError(403, "INSUFFICIENT_SCOPE");
        }
    }

    /** limit and offset as the v1 reference's pagination section says, with its three headers. */
    private void assertPaginated(JsonNode call, Map<String, String> examples) {
        String path = call.path("path").asString();
        // Each default on its own: without limit it is 20, without offset 0.
        Response defaultLimit = api.get(path + queryString(call, examples, "offset=0"))
                .asAdmin()
                .send()
                .expect(200);
        assertThat(PAGINATION)
                .allSatisfy(header ->
                        assertThat(defaultLimit.header(header)).as(header).matches("\\d+"));
        assertThat(defaultLimit.header("X-Limit")).isEqualTo("20");
        Response defaultOffset = api.get(path + queryString(call, examples, "limit=20"))
                .asAdmin()
                .send()
                .expect(200);
        assertThat(defaultOffset.header("X-Offset")).isEqualTo("0");
        Response page = api.get(path + queryString(call, examples, "limit=1&offset=1"))
                .asAdmin()
                .send()
                .expect(200);
        assertThat(page.header("X-Limit")).isEqualTo("1");
        assertThat(page.header("X-Offset")).isEqualTo("1");
        assertThat(page.json().size()).isLessThanOrEqualTo(1);
        api.get(path + queryString(call, examples, "limit=101"))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
    }

    private static JsonNode read(String resource) {
        try (InputStream in = ReferenceCallsIT.class.getResourceAsStream(resource)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
