package dev.mercato.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.security.Scope;
import dev.mercato.support.ApiPaths;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** The published documents, /openapi/v1.json and /openapi/v2.json, describe every operation completely. */
class OpenApiDocumentsIT extends ApiTestSupport {

    private static final String HEADERS = "#/components/headers/";
    private static final String PARAMETERS = "#/components/parameters/";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    // ---- what is in them ----

    @Test
    void everyApiHandlerIsInItsVersionsDocumentWithItsMethods() {
        JsonNode v1 = document("v1");
        JsonNode v2 = document("v2");
        List<String> missing = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            for (String path : info.getPatternValues()) {
                if (ApiPaths.isOutsideTheApi(path)) {
                    continue;
                }
                JsonNode item =
                        (path.startsWith("/v2/") ? v2 : v1).path("paths").path(path);
                for (RequestMethod method : methods(info)) {
                    if (!item.has(method.name().toLowerCase())) {
                        missing.add(method + " " + path + " (" + handler + ")");
                    }
                }
            }
        });
        assertThat(missing).as("handler mappings missing from the documents").isEmpty();
    }

    @Test
    void aPathOfTheApiMissingFromTheDocumentsFailsTheResponseCheck() {
        assertThatThrownBy(() -> api.get("/v2/no-such-thing").asAdmin().send())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not match the OpenAPI document");
        assertThatThrownBy(
                        () -> api.get("/v2/products").asAdmin().unknownRoute().send())
                .as("a documented path is not an unknown route")
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void operationIdsAreReadableAndUniqueInEachDocument() {
        for (String version : List.of("v1", "v2")) {
            List<String> ids = new ArrayList<>();
            forEachOperation(
                    document(version),
                    (where, operation) -> ids.add(operation.path("operationId").asString()));
            assertThat(ids)
                    .as(version)
                    .allMatch(id -> id.matches("[a-z]+[A-Z][A-Za-z0-9]*"))
                    .doesNotHaveDuplicates();
        }
        assertThat(operationIds("v2"))
                .containsEntry("GET /v2/products", "listProducts")
                .containsEntry("GET /v2/products/{id}", "getProduct")
                .containsEntry("GET /v2/products/search", "searchProducts")
                .containsEntry("POST /v2/orders", "createOrder")
                .containsEntry("PATCH /v2/orders/{id}", "changeOrderStatus")
                .containsEntry("PUT /v2/orders/{id}", "setOrderStatus")
                .containsEntry("PUT /v2/users/{id}/password", "setUserPassword")
                .containsEntry("DELETE /v2/api-keys/{id}", "revokeApiKey")
                .containsEntry("POST /v2/oauth-clients/{id}/rotate-secret", "rotateOAuthClientSecret")
                .containsEntry("GET /v2/webhooks/{id}/deliveries", "listWebhookDeliveries")
                .containsEntry("GET /v2/payments/{id}/refunds", "listPaymentRefunds")
                .containsEntry("POST /v2/payments/{id}/refunds", "refundPayment");
        assertThat(operationIds("v1"))
                .containsEntry("GET /products", "listProducts")
                .containsEntry("GET /v1/products", "listProductsV1")
                .containsEntry("POST /orders", "createOrder")
                .containsEntry("GET /v1/orders/{orderId}", "getOrderV1");
    }

    // ---- parameters ----

    @Test
    void limitAndOffsetAreIntegersWithTheirDefaultsAndRanges() {
        for (String version : List.of("v1", "v2")) {
            forEachOperation(document(version), (where, operation) -> {
                JsonNode limit = parameter(operation, "limit");
                if (limit == null) {
                    return;
                }
                assertThat(limit.path("schema").path("type").asString())
                        .as(where)
                        .isEqualTo("integer");
                assertThat(limit.path("schema").path("default").isInt())
                        .as(where)
                        .isTrue();
                assertThat(limit.path("schema").path("default").asInt())
                        .as(where)
                        .isEqualTo(20);
                assertThat(limit.path("schema").path("minimum").asInt())
                        .as(where)
                        .isEqualTo(1);
                assertThat(limit.path("schema").path("maximum").asInt())
                        .as(where)
                        .isEqualTo(100);
                JsonNode offset = parameter(operation, "offset");
                assertThat(offset.path("schema").path("type").asString())
                        .as(where)
                        .isEqualTo("integer");
                assertThat(offset.path("schema").path("default").isInt())
                        .as(where)
                        .isTrue();
                assertThat(offset.path("schema").path("default").asInt())
                        .as(where)
                        .isZero();
                assertThat(offset.path("schema").path("minimum").asInt())
                        .as(where)
                        .isZero();
            });
        }
    }

    @Test
    void everyOperationTakesAnOptionalRequestIdAndEveryResponseCarriesOne() {
        for (String version : List.of("v1", "v2")) {
            JsonNode document = document(version);
            assertThat(document.path("components")
                            .path("headers")
                            .path("X-Request-Id")
                            .path("required")
                            .asBoolean())
                    .isTrue();
            assertThat(document.path("components")
                            .path("parameters")
                            .path("X-Request-Id")
                            .path("required")
                            .asBoolean())
                    .isFalse();
            forEachOperation(document, (where, operation) -> {
                assertThat(parameterRefs(operation)).as(where).contains(PARAMETERS + "X-Request-Id");
                operation
                        .path("responses")
                        .propertyNames()
                        .forEach(status -> assertThat(headerRef(operation, status, "X-Request-Id"))
                                .as(where + " " + status)
                                .isNotNull());
            });
        }
    }

    @Test
    void conditionalRequestHeadersAreOnTheOperationsThatHonourThem() {
        Map<String, JsonNode> v2 = operations(document("v2"));
        for (String resource : List.of("users", "products", "orders", "integrations", "notifications")) {
            JsonNode get = v2.get("GET /v2/" + resource + "/{id}");
            assertThat(parameterRefs(get)).as(resource).contains(PARAMETERS + "If-None-Match");
            assertThat(headerRef(get, "200", "ETag")).as(resource).isEqualTo(HEADERS + "ETag");
            assertThat(headerRef(get, "304", "ETag")).as(resource).isEqualTo(HEADERS + "ETag");
        }
        assertThat(parameterRefs(v2.get("GET /v2/webhooks/{id}"))).doesNotContain(PARAMETERS + "If-None-Match");
        assertThat(v2.get("GET /v2/webhooks/{id}").path("responses").has("304")).isFalse();

        List<String> ifMatch = List.of(
                "PUT /v2/users/{id}",
                "PATCH /v2/users/{id}",
                "DELETE /v2/users/{id}",
                "PUT /v2/products/{id}",
                "PATCH /v2/products/{id}",
                "DELETE /v2/products/{id}",
                "PATCH /v2/orders/{id}",
                "PUT /v2/orders/{id}",
                "PUT /v2/integrations/{id}");
        v2.forEach((where, operation) -> {
            boolean honoured = ifMatch.contains(where);
            assertThat(parameterRefs(operation).contains(PARAMETERS + "If-Match"))
                    .as(where)
                    .isEqualTo(honoured);
            assertThat(operation.path("responses").has("412")).as(where).isEqualTo(honoured);
        });
        assertThat(headerRef(v2.get("PATCH /v2/orders/{id}"), "200", "ETag")).isNotNull();
        assertThat(headerRef(v2.get("PUT /v2/orders/{id}"), "200", "ETag")).isNotNull();
        for (String created : List.of("POST /v2/users", "POST /v2/products", "POST /v2/orders")) {
            assertThat(headerRef(v2.get(created), "201", "ETag")).as(created).isNotNull();
        }
        assertThat(headerRef(v2.get("POST /v2/webhooks"), "201", "ETag")).isNull();
        assertThat(headerRef(operations(document("v1")).get("POST /orders"), "201", "ETag"))
                .isNull();
    }

    // ---- responses ----

    @Test
    void listsDescribeTheirPaginationHeaders() {
        for (String version : List.of("v1", "v2")) {
            forEachOperation(document(version), (where, operation) -> {
                if (parameter(operation, "limit") == null) {
                    return;
                }
                JsonNode ok = operation.path("responses").path("200");
                assertThat(ok.path("content")
                                .path("application/json")
                                .path("schema")
                                .path("type")
                                .asString())
                        .as(where)
                        .isEqualTo("array");
                for (String header : List.of("X-Total-Count", "X-Limit", "X-Offset", "Link")) {
                    assertThat(headerRef(operation, "200", header))
                            .as(where + " " + header)
                            .isEqualTo(HEADERS + header);
                }
            });
        }
        JsonNode headers = document("v2").path("components").path("headers");
        assertThat(headers.path("X-Total-Count").path("schema").path("type").asString())
                .isEqualTo("integer");
        assertThat(headers.path("X-Limit").path("schema").path("maximum").asInt())
                .isEqualTo(100);
        assertThat(headers.path("Link").path("required").asBoolean()).isFalse();
    }

    @Test
    void createdAndAcceptedResponsesGiveTheirLocation() {
        Set<String> seen = new HashSet<>();
        for (String version : List.of("v1", "v2")) {
            forEachOperation(document(version), (where, operation) -> {
                for (String status : List.of("201", "202")) {
                    if (operation.path("responses").has(status)) {
                        seen.add(status);
                        assertThat(headerRef(operation, status, "Location"))
                                .as(where)
                                .isEqualTo(HEADERS + "Location");
                    }
                }
            });
        }
        assertThat(seen).containsExactlyInAnyOrder("201", "202");
    }

    @Test
    void errorStatusesAreListedWhereTheyApply() {
        for (String version : List.of("v1", "v2")) {
            forEachOperation(document(version), (where, operation) -> {
                JsonNode responses = operation.path("responses");
                assertThat(responses.propertyNames())
                        .as(where)
                        .contains("400", "401", "403", "406", "429", "500", "default");
                if (hasPathParameter(operation)) {
                    assertThat(responses.has("404")).as(where).isTrue();
                }
                if (operation.has("requestBody")) {
                    assertThat(responses.propertyNames()).as(where).contains("413", "415");
                }
                if (where.startsWith("POST ")) {
                    assertThat(parameterRefs(operation)).as(where).contains(PARAMETERS + "Idempotency-Key");
                    assertThat(headerRef(
                                    operation,
                                    responses.propertyNames().stream()
                                            .filter(status -> status.startsWith("2"))
                                            .findFirst()
                                            .orElseThrow(),
                                    "Idempotent-Replayed"))
                            .as(where)
                            .isNotNull();
                }
                responses.propertyNames().stream()
                        .filter(status -> status.matches("[45]\\d\\d|default"))
                        .forEach(status -> assertThat(responses
                                        .path(status)
                                        .path("content")
                                        .path("application/json")
                                        .path("schema")
                                        .path("$ref")
                                        .asString())
                                .as(where + " " + status)
                                .isEqualTo("#/components/schemas/Error"));
            });
        }
    }

    // ---- schemas ----

    @Test
    void fieldsThatRefuseEmptyValuesSayHowLongTheyMustBe() {
        JsonNode schemas = document("v2").path("components").path("schemas");
        for (String request : List.of("CreateApiKeyRequest", "CreateOAuthClientRequest")) {
            JsonNode properties = schemas.path(request).path("properties");
            assertThat(properties.path("name").path("minLength").asInt())
                    .as(request)
                    .isEqualTo(1);
            assertThat(properties.path("name").path("maxLength").asInt())
                    .as(request)
                    .isEqualTo(100);
            assertThat(properties.path("scopes").path("minItems").asInt())
                    .as(request)
                    .isEqualTo(1);
            assertThat(properties.path("scopes").path("items").path("$ref").asString())
                    .as(request)
                    .isEqualTo("#/components/schemas/Scope");
        }
        assertThat(schemas.path("ProductRequestV2")
                        .path("properties")
                        .path("name")
                        .path("minLength")
                        .asInt())
                .isEqualTo(1);
        assertThat(schemas.path("CreateOrderV2")
                        .path("properties")
                        .path("items")
                        .path("minItems")
                        .asInt())
                .isEqualTo(1);
        assertThat(schemas.path("CreateWebhookV2")
                        .path("properties")
                        .path("events")
                        .path("minItems")
                        .asInt())
                .isEqualTo(1);
        Set<String> scopes = new HashSet<>();
        schemas.path("Scope").path("enum").forEach(scope -> scopes.add(scope.asString()));
        assertThat(scopes)
                .isEqualTo(Arrays.stream(Scope.values()).map(Scope::value).collect(Collectors.toSet()));
    }

    @Test
    void everyCurrencyIsAnIso4217Code() {
        for (String version : List.of("v1", "v2")) {
            JsonNode schemas = document(version).path("components").path("schemas");
            List<String> currencies = new ArrayList<>();
            schemas.propertyNames().forEach(name -> {
                JsonNode currency = schemas.path(name).path("properties").path("currency");
                if (!currency.isMissingNode()) {
                    currencies.add(name);
                    assertThat(currency.path("pattern").asString()).as(name).isEqualTo("^[A-Z]{3}$");
                }
            });
            assertThat(currencies).as(version).isNotEmpty();
        }
        JsonNode search = operations(document("v2")).get("GET /v2/products/search");
        assertThat(parameter(search, "currency").path("schema").path("pattern").asString())
                .isEqualTo("^[A-Z]{3}$");
    }

    @Test
    void noSchemaAdmitsNullSinceAbsentValuesAreLeftOut() {
        for (String version : List.of("v1", "v2")) {
            List<String> nullable = new ArrayList<>();
            admittingNull(document(version), "", nullable);
            assertThat(nullable).as(version).isEmpty();
        }
    }

    // ---- where they are ----

    @ParameterizedTest
    @ValueSource(strings = {"/openapi", "/openapi/foo", "/openapi/v3.json", "/openapi/v1.yaml", "/openapi/v0"})
    void anUnknownDocumentIsNotFound(String path) {
        Response response = api.get(path).send();

        JsonNode error = response.expectError(404, "NOT_FOUND");
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(error.get("details").asString()).isEqualTo(path);
    }

    @Test
    void theDocumentsAreServedUnderBothNames() {
        for (String version : List.of("v1", "v2")) {
            JsonNode json =
                    api.get("/openapi/" + version + ".json").send().expect(200).json();
            assertThat(api.get("/openapi/" + version).send().expect(200).json()).isEqualTo(json);
            assertThat(json.path("info").path("title").asString()).isEqualTo("Mercato API " + version);
        }
    }

    // ---- helpers ----

    private static void admittingNull(JsonNode node, String where, List<String> found) {
        if (node.isObject()) {
            JsonNode type = node.path("type");
            if (type.asString("").equals("null")
                    || (type.isArray()
                            && type.valueStream().anyMatch(t -> t.asString().equals("null")))
                    || node.path("nullable").asBoolean(false)) {
                found.add(where);
            }
            node.properties().forEach(member -> admittingNull(member.getValue(), where + "/" + member.getKey(), found));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                admittingNull(node.get(i), where + "/" + i, found);
            }
        }
    }

    private JsonNode document(String version) {
        return api.get("/openapi/" + version + ".json").send().expect(200).json();
    }

    private static Set<RequestMethod> methods(RequestMappingInfo info) {
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        return methods.isEmpty() ? Set.of(RequestMethod.GET) : methods;
    }

    /** Every operation of a document as "METHOD /path". */
    private static Map<String, JsonNode> operations(JsonNode document) {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        forEachOperation(document, operations::put);
        return operations;
    }

    private Map<String, String> operationIds(String version) {
        return operations(document(version)).entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        entry -> entry.getValue().path("operationId").asString()));
    }

    private static void forEachOperation(JsonNode document, BiConsumer<String, JsonNode> action) {
        JsonNode paths = document.path("paths");
        paths.propertyNames()
                .forEach(path -> paths.path(path)
                        .propertyNames()
                        .forEach(method -> action.accept(
                                method.toUpperCase() + " " + path,
                                paths.path(path).path(method))));
    }

    private static JsonNode parameter(JsonNode operation, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            if (name.equals(parameter.path("name").asString(""))) {
                return parameter;
            }
        }
        return null;
    }

    private static List<String> parameterRefs(JsonNode operation) {
        List<String> refs = new ArrayList<>();
        operation
                .path("parameters")
                .forEach(parameter -> refs.add(parameter.path("$ref").asString("")));
        return refs;
    }

    private static boolean hasPathParameter(JsonNode operation) {
        for (JsonNode parameter : operation.path("parameters")) {
            if ("path".equals(parameter.path("in").asString(""))) {
                return true;
            }
        }
        return false;
    }

    private static String headerRef(JsonNode operation, String status, String header) {
        JsonNode ref = operation
                .path("responses")
                .path(status)
                .path("headers")
                .path(header)
                .path("$ref");
        return ref.isMissingNode() ? null : ref.asString();
    }
}
