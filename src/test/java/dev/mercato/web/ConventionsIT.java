package dev.mercato.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The HTTP conventions every endpoint of both API versions shares (DESIGN.md section 2). */
class ConventionsIT extends ApiTestSupport {

    @LocalServerPort
    int serverPort;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{24}");
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"([a-z]+)\"");
    private static final int ONE_MB = 1024 * 1024;
    private static final String PRODUCT = """
            {"name": "Conventions Widget", "description": "For the conventions test", "price": 9.99,
             "currency": "USD", "stock": 5}
            """;

    // ---- Errors: one body, from every layer ----

    @Test
    void unknownRouteAnswers404WithTheErrorBody() {
        Response response =
                api.get("/v2/no-such-thing").asAdmin().unknownRoute().send();

        JsonNode error = assertErrorBody(response, 404, "NOT_FOUND");
        assertThat(error.get("details").asString()).isEqualTo("/v2/no-such-thing");
        assertErrorBody(api.get("/no-such-v1-thing").asAdmin().unknownRoute().send(), 404, "NOT_FOUND");
    }

    @Test
    void unknownRouteWithoutCredentialAnswers404Too() {
        assertErrorBody(api.get("/v2/no-such-thing").unknownRoute().send(), 404, "NOT_FOUND");
        assertErrorBody(api.get("/dashboards").unknownRoute().send(), 404, "NOT_FOUND");
        // A route that exists still needs a credential, whatever the method.
        assertErrorBody(api.get("/v2/products").send(), 401, "UNAUTHORIZED");
        assertErrorBody(api.get("/v2/products/prod_x").send(), 401, "UNAUTHORIZED");
    }

    @Test
    void missingOrUnknownCredentialAnswers401WithTheErrorBody() {
        Response missing = api.get("/v2/products").send();
        assertErrorBody(missing, 401, "UNAUTHORIZED");
        assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");

        Response unknown = api.get("/v2/products")
                .as("mk_not_a_real_key_at_all_0123456789abcd")
                .send();
        assertErrorBody(unknown, 401, "INVALID_TOKEN");
        assertThat(unknown.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void wrongMethodAnswers405WithAnAllowHeader() {
        Response response = api.delete("/v2/products").asAdmin().unvalidated().send();

        assertErrorBody(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(response.header("Allow")).isNotBlank();
        assertThat(Set.of(response.header("Allow").split("\\s*,\\s*")))
                .contains("GET", "POST")
                .doesNotContain("DELETE");
    }

    @Test
    void wrongMethodOnAV1PathAnswers405() {
        Response response =
                api.post("/products", PRODUCT).asAdmin().unvalidated().send();

        assertErrorBody(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(response.header("Allow")).contains("GET");
    }

    @Test
    void bodyThatIsNotJsonAnswers415() {
        Response response = api.method("POST", "/v2/products")
                .asAdmin()
                .body("text/plain", "name=Widget&price=1")
                .send();

        JsonNode error = assertErrorBody(response, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(error.get("details").asString()).contains("text/plain");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\": \"Widget\", \"price\": ",
                "{\"name\": \"Widget\" \"price\": 1}",
                "not json at all",
                "{\"name\": \"A\", \"name\": \"B\", \"price\": 1, \"currency\": \"USD\", \"stock\": 1}",
                "{\"name\": \"A\", \"price\": 1, \"currency\": \"USD\", \"stock\": 1} trailing"
            })
    void malformedJsonAnswers400MalformedJson(String body) {
        Response response = api.post("/v2/products", body).asAdmin().send();

        assertErrorBody(response, 400, "MALFORMED_JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-2147483648", "1e2147483647", "-1e-999999999"})
    void aNumberNoFieldCanHoldIsAnInvalidParameterNotAnInternalDetail(String price) {
        Response response =
                api.post("/v2/products", """
                {"name": "Widget", "price": %s, "currency": "USD", "stock": 1}""".formatted(price)).asAdmin().send();

        JsonNode error = assertErrorBody(response, 400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).startsWith("price");
        assertThat(response.body()).doesNotContain("java.").doesNotContain("BigDecimal");
    }

    @Test
    void anUnexpectedFailureAnswers500WithTheErrorBodyAndNothingInternal() {
        Response response = api.get(FailingOperationForTests.PATH)
                .asAdmin()
                .header("X-Request-Id", "boom-1")
                .send();

        JsonNode error = assertErrorBody(response, 500, "INTERNAL_ERROR");
        assertThat(error.get("message").asString()).contains("X-Request-Id");
        assertThat(response.header("X-Request-Id")).isEqualTo("boom-1");
        assertThat(response.body())
                .doesNotContain(FailingOperationForTests.SECRET)
                .doesNotContain("IllegalStateException");
    }

    @Test
    void emptyBodyAnswers400MalformedJson() {
        Response response = api.post("/v2/products", "").asAdmin().send();

        assertErrorBody(response, 400, "MALFORMED_JSON");
    }

    @Test
    void unknownFieldAnswers400NamingIt() {
        Response response = api.post("/v2/products", """
                {"name": "Widget", "price": 1.5, "currency": "USD", "stock": 1, "colour": "red"}
                """).asAdmin().send();

        JsonNode error = assertErrorBody(response, 400, "UNKNOWN_FIELD");
        assertThat(error.get("details").asString()).isEqualTo("colour (string)");
        assertThat(error.get("message").asString()).contains("colour");
    }

    @Test
    void v1SpellingOfAFieldIsUnknownInV2() {
        Response response = api.post("/v2/api-keys", """
                {"name": "camel", "scopes": ["products:read"], "userId": "usr_x"}
                """).asAdmin().send();

        JsonNode error = assertErrorBody(response, 400, "UNKNOWN_FIELD");
        assertThat(error.get("details").asString()).isEqualTo("userId (string)");
    }

    @Test
    void missingFieldNamesTheFieldAndItsType() {
        Response response = api.post("/v2/products", """
                {"name": "Widget", "currency": "USD", "stock": 1}
                """).asAdmin().send();

        JsonNode error = assertErrorBody(response, 400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo("price (number)");
        assertThat(error.get("message").asString()).contains("price");
    }

    @Test
    void missingIntegerFieldNamesItsType() {
        Response response = api.post("/v2/products", """
                {"name": "Widget", "price": 2, "currency": "USD"}
                """).asAdmin().send();

        JsonNode error = assertErrorBody(response, 400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo("stock (integer)");
    }

    static Stream<Arguments> wrongJsonTypes() {
        return Stream.of(
                Arguments.of("\"price\": \"9.99\", \"stock\": 1", "price (number)"),
                Arguments.of("\"price\": true, \"stock\": 1", "price (number)"),
                Arguments.of("\"price\": 9.99, \"stock\": 1.5", "stock (integer)"),
                Arguments.of("\"price\": 9.99, \"stock\": \"7\"", "stock (integer)"),
                Arguments.of("\"price\": 9.99, \"stock\": [1]", "stock (integer)"));
    }

    @ParameterizedTest
    @MethodSource("wrongJsonTypes")
    void wrongJsonTypeAnswers400NamingFieldAndType(String fields, String details) {
        Response response = api.post("/v2/products", "{\"name\": \"Widget\", \"currency\": \"USD\", " + fields + "}")
                .asAdmin()
                .send();

        JsonNode error = assertErrorBody(response, 400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo(details);
    }

    static Stream<Arguments> scalarsForStrings() {
        String address = "\"shipping_address\": {\"street\": \"1 Main St\", \"city\": \"Anytown\", "
                + "\"zip_code\": \"12345\", \"country\": \"USA\"}";
        return Stream.of(
                Arguments.of(
                        "/v2/orders",
                        "{\"user_id\": 123, \"items\": [{\"product_id\": \"prod_x\", \"quantity\": 1}], " + address
                                + "}",
                        "user_id (string)"),
                Arguments.of(
                        "/v2/orders",
                        "{\"user_id\": \"usr_x\", \"items\": [{\"product_id\": 5, \"quantity\": 1}], " + address + "}",
                        "items[0].product_id (string)"),
                Arguments.of(
                        "/orders",
                        "{\"userId\": \"usr_x\", \"items\": [{\"productId\": 5.5, \"quantity\": 1}], "
                                + "\"shippingAddress\": {\"street\": \"1 Main St\", \"city\": \"Anytown\", "
                                + "\"zipCode\": \"12345\", \"country\": \"USA\"}}",
                        "items[0].productId (string)"),
                Arguments.of(
                        "/v2/products",
                        "{\"name\": true, \"price\": 1, \"currency\": \"USD\", \"stock\": 1}",
                        "name (string)"),
                Arguments.of("/v2/users", "{\"username\": 42}", "username (string)"));
    }

    @ParameterizedTest
    @MethodSource("scalarsForStrings")
    void numberOrBooleanWhereAStringBelongsAnswers400NamingFieldAndType(String path, String body, String details) {
        Response response = api.post(path, body).asAdmin().send();

        JsonNode error = assertErrorBody(response, 400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo(details);
        assertThat(error.get("message").asString())
                .isEqualTo(
                        "The '" + details.substring(0, details.indexOf(' ')) + "' parameter must be of type string.");
    }

    @Test
    void bodyAboveOneMegabyteWithContentLengthAnswers413() {
        byte[] body = oversizedProduct();
        Response response = api.method("POST", "/v2/products")
                .asAdmin()
                .header("Content-Type", "application/json")
                .rawBody(HttpRequest.BodyPublishers.ofByteArray(body))
                .send();

        assertErrorBody(response, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void chunkedBodyGrowingAboveOneMegabyteAnswers413() {
        byte[] body = oversizedProduct();
        Response response = api.method("POST", "/v2/products")
                .asAdmin()
                .header("Content-Type", "application/json")
                .rawBody(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .send();

        assertErrorBody(response, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void bodyJustBelowTheLimitIsRead() {
        // A body under 1 MB goes through to validation (here: a name far too long), not to the size check.
        String name = "x".repeat(ONE_MB - 200);
        Response response =
                api.post("/v2/products", """
                {"name": "%s", "price": 1, "currency": "USD", "stock": 1}""".formatted(name)).asAdmin().send();

        JsonNode error = assertErrorBody(response, 400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo("name (string)");
    }

    @Test
    void errorAskedForAsHtmlIsStillTheJsonErrorBody() {
        Response unknownRoute = api.get("/v2/no-such-thing")
                .asAdmin()
                .header("Accept", "text/html")
                .unknownRoute()
                .send();
        assertErrorBody(unknownRoute, 404, "NOT_FOUND");

        Response unauthenticated =
                api.get("/v2/products").header("Accept", "text/html").send();
        assertErrorBody(unauthenticated, 401, "UNAUTHORIZED");

        // What a browser sends: HTML preferred, anything accepted.
        Response browser = api.get("/v2/products/prod_doesNotExist")
                .asAdmin()
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .send();
        assertErrorBody(browser, 404, "NOT_FOUND");

        // Only HTML accepted: the endpoint cannot answer that, and says so in JSON.
        Response htmlOnly = api.get("/v2/products/prod_doesNotExist")
                .asAdmin()
                .header("Accept", "text/html")
                .send();
        assertErrorBody(htmlOnly, 406, "NOT_ACCEPTABLE");
    }

    @Test
    void askingForXmlFromAJsonEndpointAnswers406WithTheErrorBody() {
        Response response = api.get("/v2/products")
                .asAdmin()
                .header("Accept", "application/xml")
                .send();

        assertErrorBody(response, 406, "NOT_ACCEPTABLE");
    }

    @Test
    void requestRefusedByTheServletContainerStillGetsTheErrorBody() {
        // An encoded slash is refused by Tomcat itself, before the application sees the request.
        Response response = api.get("/v2/products/a%2Fb")
                .asAdmin()
                .unvalidated()
                .header("X-Request-Id", "refused-1")
                .send();

        assertErrorBody(response, 400, "BAD_REQUEST");
        assertThat(response.header("X-Request-Id")).isEqualTo("refused-1");
        assertThat(api.get("/v2/products/a%2Fb").asAdmin().unvalidated().send().header("X-Request-Id"))
                .startsWith("req_");
    }

    /**
     * A header whose value holds a C1 control character (byte 0x85, which HTTP lets through as obs-text) passes
     * Tomcat, and Spring Security's firewall refuses it only when the header is first read, deep in Spring MVC:
     * still 400 in the error body, not 500, and the value not echoed. Sent over a raw socket, since Java's HTTP
     * client will not send such a value.
     */
    @Test
    void aHeaderWithAControlCharacterIsRefusedWithTheErrorBody() throws Exception {
        String raw;
        try (Socket socket = new Socket("127.0.0.1", serverPort)) {
            byte[] request = ("GET /v2/products HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN_KEY
                            + "\r\nX-Note: a\u0085b\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            socket.getOutputStream().write(request);
            raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        assertThat(raw).startsWith("HTTP/1.1 400");
        assertThat(raw).contains("Content-Type: application/json");
        assertThat(raw)
                .contains("\"code\":\"BAD_REQUEST\"")
                .doesNotContain("a\u0085b")
                .doesNotContain("Exception");
    }

    // ---- Query parameters ----

    @Test
    void unknownQueryParametersAreRejectedNamingThem() {
        // The other version's spelling of a filter would otherwise be ignored and everything returned.
        JsonNode v1 = api.get("/logs?start_date=2026-01-01T00:00:00Z")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(v1.get("details").asString()).isEqualTo("start_date (string)");
        assertThat(v1.get("message").asString()).contains("startDate", "endDate", "level", "limit", "offset");
        JsonNode v2 = api.get("/v2/logs?startDate=2026-01-01T00:00:00Z")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(v2.get("details").asString()).isEqualTo("startDate (string)");
        JsonNode none =
                api.get("/v2/products/prod_unknown?expand=all").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(none.get("message").asString()).contains("takes none");

        api.get("/v2/products?limit=5&offset=0").asAdmin().send().expect(200);
        api.get("/v2/products/search?q=widget&in_stock=true&limit=5")
                .asAdmin()
                .send()
                .expect(200);
    }

    // ---- Pagination ----

    static Stream<Arguments> invalidPaging() {
        Stream<String> lists = Stream.of(
                "/users",
                "/v1/users",
                "/products",
                "/v1/products",
                "/logs",
                "/v1/logs",
                "/v2/users",
                "/v2/products",
                "/v2/products/search",
                "/v2/api-keys",
                "/v2/logs");
        Map<String, String> values = new LinkedHashMap<>();
        values.put("limit=0", "limit");
        values.put("limit=101", "limit");
        values.put("limit=-1", "limit");
        values.put("limit=abc", "limit");
        values.put("limit=1.5", "limit");
        values.put("offset=-1", "offset");
        values.put("offset=x", "offset");
        return lists.flatMap(
                path -> values.entrySet().stream().map(value -> Arguments.of(path, value.getKey(), value.getValue())));
    }

    @ParameterizedTest(name = "{0}?{1}")
    @MethodSource("invalidPaging")
    void outOfRangeOrNonIntegerPagingAnswers400(String path, String query, String parameter) {
        Response response = api.get(path + "?" + query).asAdmin().send();

        JsonNode error = assertErrorBody(response, 400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo(parameter + " (integer)");
        assertThat(error.get("message").asString()).contains(parameter);
    }

    @Test
    void pagingBoundariesAreAccepted() {
        api.get("/v2/products?limit=1").asAdmin().send().expect(200);
        Response hundred =
                api.get("/v2/products?limit=100&offset=0").asAdmin().send().expect(200);
        assertThat(hundred.header("X-Limit")).isEqualTo("100");
    }

    @Test
    void listsDefaultToTwentyFromTheStart() {
        createApiKeys(1);
        Response response = api.get("/v2/api-keys").asAdmin().send().expect(200);

        assertThat(response.header("X-Limit")).isEqualTo("20");
        assertThat(response.header("X-Offset")).isEqualTo("0");
        long total = Long.parseLong(response.header("X-Total-Count"));
        assertThat(total).isPositive();
        assertThat(response.json().isArray()).isTrue();
        assertThat(response.json().size()).isEqualTo((int) Math.min(20, total));
    }

    @Test
    void linkHeaderNamesOnlyThePagesThatExistAndTheyAreValid() {
        createApiKeys(3);

        Response first = api.get("/v2/api-keys?limit=1").asAdmin().send().expect(200);
        long total = Long.parseLong(first.header("X-Total-Count"));
        assertThat(total).isGreaterThanOrEqualTo(4);
        assertThat(first.json().size()).isEqualTo(1);
        Map<String, String> firstLinks = links(first);
        assertThat(firstLinks).containsOnlyKeys("next");

        Response second = follow(firstLinks.get("next"));
        assertThat(second.header("X-Offset")).isEqualTo("1");
        assertThat(second.header("X-Limit")).isEqualTo("1");
        assertThat(second.json().size()).isEqualTo(1);
        assertThat(second.json().get(0).get("id").asString())
                .isNotEqualTo(first.json().get(0).get("id").asString());
        Map<String, String> secondLinks = links(second);
        assertThat(secondLinks).containsOnlyKeys("next", "prev");

        Response back = follow(secondLinks.get("prev"));
        assertThat(back.header("X-Offset")).isEqualTo("0");
        assertThat(back.json().get(0).get("id").asString())
                .isEqualTo(first.json().get(0).get("id").asString());

        Response third = follow(secondLinks.get("next"));
        assertThat(third.header("X-Offset")).isEqualTo("2");

        Response last = api.get("/v2/api-keys?limit=1&offset=" + (total - 1))
                .asAdmin()
                .send()
                .expect(200);
        assertThat(last.json().size()).isEqualTo(1);
        Map<String, String> lastLinks = links(last);
        assertThat(lastLinks).containsOnlyKeys("prev");
        assertThat(follow(lastLinks.get("prev")).header("X-Offset")).isEqualTo(Long.toString(total - 2));
    }

    @Test
    void singlePageHasNoLinkHeader() {
        Response response = api.get("/v2/api-keys?limit=100").asAdmin().send().expect(200);
        if (Long.parseLong(response.header("X-Total-Count")) <= 100) {
            assertThat(response.header("Link")).isNull();
        }
    }

    @Test
    void pastTheEndIsAnEmptyPageWithTheTotal() {
        Response response =
                api.get("/v2/api-keys?offset=100000").asAdmin().send().expect(200);

        assertThat(response.json().size()).isZero();
        assertThat(Long.parseLong(response.header("X-Total-Count"))).isPositive();
        assertThat(links(response)).doesNotContainKey("next");
    }

    @Test
    void linksKeepTheOtherQueryParameters() {
        for (int i = 0; i < 2; i++) {
            aUser().withoutEmail().create();
        }

        Response response =
                api.get("/users?status=active&limit=1").asAdmin().send().expect(200);

        String next = links(response).get("next");
        assertThat(next).contains("status=active").contains("limit=1").contains("offset=1");
        Response followed = follow(next);
        assertThat(followed.json().get(0).get("status").asString()).isEqualTo("active");
    }

    // ---- Request ids ----

    @Test
    void requestIdIsGeneratedWhenAbsent() {
        Response first = api.get("/v2/products?limit=1").asAdmin().send().expect(200);
        Response second = api.get("/v2/products?limit=1").asAdmin().send().expect(200);

        assertThat(first.header("X-Request-Id")).matches("req_[A-Za-z0-9]{24}");
        assertThat(second.header("X-Request-Id"))
                .matches("req_[A-Za-z0-9]{24}")
                .isNotEqualTo(first.header("X-Request-Id"));
    }

    @Test
    void saneRequestIdIsEchoed() {
        String requestId = "client-" + UUID.randomUUID();

        Response response = api.get("/v2/products?limit=1")
                .asAdmin()
                .header("X-Request-Id", requestId)
                .send();

        assertThat(response.header("X-Request-Id")).isEqualTo(requestId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"has spaces in it", "semi;colon", "quote\"d", "<script>"})
    void insaneRequestIdIsReplaced(String insane) {
        Response response = api.get("/v2/products?limit=1")
                .asAdmin()
                .header("X-Request-Id", insane)
                .send();

        assertThat(response.header("X-Request-Id")).matches("req_[A-Za-z0-9]{24}");
    }

    @Test
    void overlongRequestIdIsReplaced() {
        Response response = api.get("/v2/products?limit=1")
                .asAdmin()
                .header("X-Request-Id", "a".repeat(300))
                .send();

        assertThat(response.header("X-Request-Id")).matches("req_[A-Za-z0-9]{24}");
    }

    @Test
    void errorsCarryTheRequestIdToo() {
        String requestId = "client-" + UUID.randomUUID();

        assertThat(api.get("/v2/no-such-thing")
                        .asAdmin()
                        .header("X-Request-Id", requestId)
                        .unknownRoute()
                        .send()
                        .expect(404)
                        .header("X-Request-Id"))
                .isEqualTo(requestId);
        assertThat(api.get("/v2/products")
                        .header("X-Request-Id", requestId)
                        .send()
                        .expect(401)
                        .header("X-Request-Id"))
                .isEqualTo(requestId);
        assertThat(api.get("/v2/products")
                        .asAdmin()
                        .header("X-Request-Id", requestId)
                        .header("Accept", "application/xml")
                        .send()
                        .expect(406)
                        .header("X-Request-Id"))
                .isEqualTo(requestId);
    }

    // ---- Ids ----

    @Test
    void idsArePrefixedAndRandom() {
        String first = api.post("/v2/products", PRODUCT)
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
        String second = api.post("/v2/products", PRODUCT)
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
        assertThat(first).startsWith("prod_").isNotEqualTo(second);
        assertThat(second).startsWith("prod_");
        assertThat(ID.matcher(first.substring(5)).matches()).as(first).isTrue();
        assertThat(ID.matcher(second.substring(5)).matches()).as(second).isTrue();
        assertThat(commonPrefixLength(first, second))
                .as("not sequential: %s, %s", first, second)
                .isLessThan(12);

        String user = aUser().withoutEmail().create();
        assertThat(user).startsWith("usr_");
        assertThat(ID.matcher(user.substring(4)).matches()).as(user).isTrue();

        Set<String> keys = new HashSet<>(createApiKeys(2).values());
        assertThat(keys).hasSize(2).allSatisfy(id -> assertThat(id).matches("key_[A-Za-z0-9]{24}"));
    }

    // ---- Versions ----

    @Test
    void v1PathsAnswerBothUnprefixedAndUnderV1() {
        JsonNode product =
                api.post("/v2/products", PRODUCT).asAdmin().send().expect(201).json();
        String id = product.get("id").asString();

        JsonNode plain = api.get("/products/" + id).asAdmin().send().expect(200).json();
        JsonNode prefixed =
                api.get("/v1/products/" + id).asAdmin().send().expect(200).json();

        assertThat(prefixed).isEqualTo(plain);
        assertThat(plain.get("id").asString()).isEqualTo(id);
        assertThat(plain.get("price").decimalValue()).isEqualByComparingTo("9.99");
        for (String list : new String[] {"/products", "/users", "/logs"}) {
            assertThat(api.get(list + "?limit=1")
                            .asAdmin()
                            .send()
                            .expect(200)
                            .json()
                            .isArray())
                    .isTrue();
            assertThat(api.get("/v1" + list + "?limit=1")
                            .asAdmin()
                            .send()
                            .expect(200)
                            .json()
                            .isArray())
                    .isTrue();
        }
        assertErrorBody(api.get("/v1/products/prod_doesNotExist").asAdmin().send(), 404, "NOT_FOUND");
    }

    @Test
    void v1IsCamelCaseAndV2IsSnakeCase() {
        String id = aUser().withoutEmail().create();

        JsonNode v2 = api.get("/v2/users/" + id).asAdmin().send().expect(200).json();
        assertThat(v2.has("created_at")).isTrue();
        assertThat(v2.has("createdAt")).isFalse();
        assertThat(v2.get("created_at").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

        JsonNode v1 = null;
        for (JsonNode user :
                api.get("/users?limit=100").asAdmin().send().expect(200).json()) {
            if (id.equals(user.get("id").asString())) {
                v1 = user;
            }
        }
        assertThat(v1).as("the new user in GET /users").isNotNull();
        assertThat(v1.has("createdAt")).isTrue();
        assertThat(v1.has("created_at")).isFalse();
        assertThat(v1.get("createdAt").asString())
                .isEqualTo(v2.get("created_at").asString());
    }

    // ---- Operations ----

    @Test
    void healthIsUpWithoutCredentials() {
        for (String path : new String[] {"/health", "/health/readiness", "/health/liveness"}) {
            Response response = api.get(path).unvalidated().send().expect(200);
            assertThat(response.json().get("status").asString()).as(path).isEqualTo("UP");
        }
    }

    @Test
    void metricsArePrometheusText() {
        api.get("/v2/products?limit=1").asAdmin().send().expect(200);

        Response response = api.get("/metrics")
                .as(anApiKey(null, "metrics:read"))
                .unvalidated()
                .send()
                .expect(200);

        assertThat(response.header("Content-Type")).startsWith("text/plain");
        assertThat(response.body()).contains("http_server_requests").contains("# TYPE");
    }

    @Test
    void metricsAreForTheOperatorsScraperOnly() {
        api.get("/metrics").unvalidated().send().expectError(401, "UNAUTHORIZED");
        Response refused = api.get("/metrics")
                .as(anApiKey(null, "products:read"))
                .unvalidated()
                .send();
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error").get("code").asString()).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(refused.header("WWW-Authenticate")).contains("insufficient_scope", "metrics:read");
    }

    @Test
    void openApiDocumentsDescribeEachVersion() {
        JsonNode v1 =
                api.get("/openapi/v1.json").unvalidated().send().expect(200).json();
        assertThat(v1.get("openapi").asString()).startsWith("3.1");
        assertThat(v1.get("paths").propertyNames())
                .contains(
                        "/users",
                        "/v1/users",
                        "/products",
                        "/products/{productId}",
                        "/v1/products/{productId}",
                        "/logs",
                        "/v1/logs")
                .noneMatch(path -> path.startsWith("/v2/"));
        assertBearerScheme(v1);

        JsonNode v2 =
                api.get("/openapi/v2.json").unvalidated().send().expect(200).json();
        assertThat(v2.get("openapi").asString()).startsWith("3.1");
        assertThat(v2.get("paths").propertyNames())
                .contains(
                        "/v2/users",
                        "/v2/users/{id}",
                        "/v2/products",
                        "/v2/products/{id}",
                        "/v2/products/search",
                        "/v2/api-keys",
                        "/v2/logs")
                .allMatch(path -> path.startsWith("/v2/"));
        assertBearerScheme(v2);
        JsonNode listProducts = v2.get("paths").get("/v2/products").get("get");
        assertThat(listProducts.get("security").get(0).has("bearerAuth")).isTrue();
        assertThat(listProducts.get("responses").has("400")).isTrue();
    }

    @Test
    void docsServeABrowsableReference() throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        HttpResponse<String> docs = browser.send(
                HttpRequest.newBuilder(URI.create(api.base() + "/docs")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(docs.body()).containsIgnoringCase("<html").containsIgnoringCase("swagger");
    }

    // ---- helpers ----

    /** The error body and nothing else: JSON, {"error": {"code", "message", "details"}}, no trace of the server. */
    private static JsonNode assertErrorBody(Response response, int status, String code) {
        JsonNode error = response.expectError(status, code);
        assertThat(response.header("Content-Type"))
                .as("content type of " + response.body())
                .startsWith("application/json");
        assertThat(response.json().propertyNames()).containsExactly("error");
        assertThat(error.propertyNames()).containsExactlyInAnyOrder("code", "message", "details");
        assertThat(error.get("code").asString()).matches("[A-Z][A-Z_]*");
        assertNoStackTrace(response);
        return error;
    }

    private static void assertNoStackTrace(Response response) {
        assertThat(response.body())
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("at dev.")
                .doesNotContain("at org.")
                .doesNotContainIgnoringCase("<html")
                .doesNotContain("Whitelabel");
    }

    private Map<String, String> createApiKeys(int count) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = "conventions " + unique();
            JsonNode key = api.post("/v2/api-keys", """
                    {"name": "%s", "scopes": ["products:read"]}""".formatted(name))
                    .asAdmin()
                    .send()
                    .expect(201)
                    .json();
            ids.put(name, key.get("id").asString());
        }
        return ids;
    }

    private static Map<String, String> links(Response response) {
        Map<String, String> links = new LinkedHashMap<>();
        for (String header : response.headers("Link")) {
            Matcher matcher = LINK.matcher(header);
            while (matcher.find()) {
                assertThat(links).as("one link per relation in " + header).doesNotContainKey(matcher.group(2));
                links.put(matcher.group(2), matcher.group(1));
            }
        }
        return links;
    }

    private Response follow(String link) {
        assertThat(link).startsWith(api.base() + "/");
        URI uri = URI.create(link);
        return api.get(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .asAdmin()
                .send()
                .expect(200);
    }

    private static void assertBearerScheme(JsonNode document) {
        JsonNode scheme = document.get("components").get("securitySchemes").get("bearerAuth");
        assertThat(scheme).as("bearerAuth security scheme").isNotNull();
        assertThat(scheme.get("type").asString()).isEqualTo("http");
        assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
    }

    private static byte[] oversizedProduct() {
        String json = "{\"name\": \"big\", \"description\": \"" + "x".repeat(ONE_MB + 64 * 1024)
                + "\", \"price\": 1, \"currency\": \"USD\", \"stock\": 1}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static int commonPrefixLength(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 12);
    }
}
