package dev.mercato.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The access log: one entry per API request, readable through GET /logs (v1) and GET /v2/logs. */
class AccessLogsIT extends ApiTestSupport {

    @Autowired
    AccessLogWriter writer;

    @Autowired
    AccessLogService service;

    @Autowired
    AccessLogRepository repository;

    private String username;
    private String userId;
    /** A key that belongs to the user, with the scope to read products and logs. */
    private String userKey;

    private String userKeyId;

    @BeforeEach
    void createUserAndKey() {
        username = "logs-" + UUID.randomUUID().toString().substring(0, 12);
        userId = aUser().named(username).withoutEmail().create();
        JsonNode key = api.post("/v2/api-keys", """
                {"name": "logs test", "scopes": ["products:read", "logs:read"], "user_id": "%s"}""".formatted(userId))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        userKey = key.get("key").asString();
        userKeyId = key.get("id").asString();
    }

    @Test
    void eachRequestBecomesOneEntryWithItsDetails() {
        String requestId = requestId();
        api.get("/v2/products?limit=1")
                .as(userKey)
                .header("X-Request-Id", requestId)
                .send()
                .expect(200);

        JsonNode entry = findV2(requestId);

        assertThat(entry.get("level").asString()).isEqualTo("info");
        assertThat(entry.get("method").asString()).isEqualTo("GET");
        assertThat(entry.get("path").asString()).isEqualTo("/v2/products");
        assertThat(entry.get("status").asInt()).isEqualTo(200);
        assertThat(entry.get("duration_ms").asLong()).isNotNegative();
        assertThat(entry.get("request_id").asString()).isEqualTo(requestId);
        assertThat(entry.get("user_id").asString()).isEqualTo(userId);
        assertThat(entry.get("credential_id").asString()).isEqualTo(userKeyId);
        assertThat(entry.get("ip_address").asString()).isNotBlank();
        assertThat(entry.get("id").asString()).startsWith("log_");
        assertThat(entry.get("message").asString())
                .contains("'" + username + "'")
                .contains("/v2/products");
        assertThat(Instant.parse(entry.get("timestamp").asString()))
                .isBetween(
                        Instant.now().minus(1, ChronoUnit.MINUTES),
                        Instant.now().plusSeconds(1));
        assertThat(countV2(requestId)).as("entries for one request").isEqualTo(1);
    }

    @Test
    void clientErrorsAreLoggedAsWarn() {
        String notFound = requestId();
        api.get("/v2/no-such-endpoint")
                .as(userKey)
                .header("X-Request-Id", notFound)
                .unknownRoute()
                .send()
                .expect(404);
        String badParameter = requestId();
        api.get("/v2/products?limit=0")
                .as(userKey)
                .header("X-Request-Id", badParameter)
                .send()
                .expect(400);

        JsonNode entry = findV2(notFound);
        assertThat(entry.get("level").asString()).isEqualTo("warn");
        assertThat(entry.get("status").asInt()).isEqualTo(404);
        assertThat(entry.get("path").asString()).isEqualTo("/v2/no-such-endpoint");
        assertThat(entry.get("user_id").asString()).isEqualTo(userId);
        assertThat(findV2(badParameter).get("level").asString()).isEqualTo("warn");
    }

    @Test
    void requestsRefusedBeforeAuthenticationAreLoggedToo() {
        String anonymous = requestId();
        api.get("/v2/products").header("X-Request-Id", anonymous).send().expect(401);
        String badKey = requestId();
        api.get("/v2/products")
                .as("mk_not_a_real_key_at_all_0123456789abcd")
                .header("X-Request-Id", badKey)
                .send()
                .expect(401);

        JsonNode entry = findV2(anonymous);
        assertThat(entry.get("level").asString()).isEqualTo("warn");
        assertThat(entry.get("status").asInt()).isEqualTo(401);
        assertThat(entry.has("user_id")).isFalse();
        assertThat(entry.get("message").asString()).isNotBlank();
        assertThat(findV2(badKey).get("status").asInt()).isEqualTo(401);
    }

    @Test
    void keyWithoutAUserIsNamedByTheKeyName() {
        // Quotes, commas and backslashes reach the log as they were, whatever the writer's wire format.
        String keyName =
                "service \"x\", 'y' \\ z " + UUID.randomUUID().toString().substring(0, 8);
        String serviceKey = api.post("/v2/api-keys", """
                {"name": %s, "scopes": ["products:read"]}""".formatted(
                                JsonMapper.builder().build().writeValueAsString(keyName)))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();
        String requestId = requestId();
        api.get("/products?limit=1")
                .as(serviceKey)
                .header("X-Request-Id", requestId)
                .send()
                .expect(200);

        JsonNode entry = findV2(requestId);

        assertThat(entry.has("user_id")).isFalse();
        assertThat(entry.get("message").asString()).contains(keyName).contains("/products");
        assertThat(entry.get("path").asString()).isEqualTo("/products");
    }

    @Test
    void controlCharactersInACallersNameReachTheMessageWrittenOut() {
        String keyName = "evil\r\nINFO admin signed in\u001b[2J "
                + UUID.randomUUID().toString().substring(0, 8);
        String serviceKey = api.post("/v2/api-keys", """
                {"name": %s, "scopes": ["products:read"]}""".formatted(
                                JsonMapper.builder().build().writeValueAsString(keyName)))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();
        String requestId = requestId();
        api.get("/v2/products?limit=1")
                .as(serviceKey)
                .header("X-Request-Id", requestId)
                .send()
                .expect(200);

        String message = findV2(requestId).get("message").asString();

        assertThat(message)
                .contains("evil\\u000d\\u000aINFO admin signed in\\u001b[2J")
                .doesNotContainPattern("\\p{Cntrl}");
    }

    @Test
    void operationalEndpointsAreNotLogged() {
        String requestId = requestId();
        api.get("/health")
                .header("X-Request-Id", requestId)
                .unvalidated()
                .send()
                .expect(200);
        String marker = requestId();
        api.get("/v2/products?limit=1")
                .as(userKey)
                .header("X-Request-Id", marker)
                .send()
                .expect(200);

        findV2(marker);

        assertThat(countV2(requestId)).isZero();
    }

    @Test
    void v1ShapeIsTheReferenceShapeInCamelCase() {
        Instant before = Instant.now().minusSeconds(2);
        api.get("/products?limit=1").as(userKey).send().expect(200);
        flush();

        JsonNode entry = findInPages(
                "/logs?startDate=" + before.truncatedTo(ChronoUnit.SECONDS),
                e -> e.has("userId") && userId.equals(e.get("userId").asString()));

        assertThat(entry.propertyNames())
                .containsExactlyInAnyOrder("timestamp", "level", "message", "userId", "ipAddress");
        assertThat(entry.get("timestamp").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(entry.get("level").asString()).isEqualTo("info");
        assertThat(entry.get("message").asString())
                .contains("'" + username + "'")
                .contains("/products");
        assertThat(entry.get("ipAddress").asString()).isNotBlank();
        // The same answer under /v1.
        JsonNode prefixed = findInPages(
                "/v1/logs?startDate=" + before.truncatedTo(ChronoUnit.SECONDS),
                e -> e.has("userId") && userId.equals(e.get("userId").asString()));
        assertThat(prefixed).isEqualTo(entry);
    }

    @Test
    void v2ShapeIsSnakeCase() {
        String requestId = requestId();
        api.get("/v2/products?limit=1")
                .as(userKey)
                .header("X-Request-Id", requestId)
                .send()
                .expect(200);

        JsonNode entry = findV2(requestId);

        assertThat(entry.propertyNames())
                .contains(
                        "id",
                        "timestamp",
                        "level",
                        "message",
                        "method",
                        "path",
                        "status",
                        "duration_ms",
                        "request_id",
                        "credential_id",
                        "user_id",
                        "ip_address")
                .allMatch(name -> name.equals(name.toLowerCase()));
    }

    @Test
    void dateFiltersBoundTheEntries() {
        String requestId = requestId();
        api.get("/v2/products?limit=1")
                .as(userKey)
                .header("X-Request-Id", requestId)
                .send()
                .expect(200);
        Instant at = Instant.parse(findV2(requestId).get("timestamp").asString());
        Instant from = at.minusSeconds(1);
        Instant to = at.plusSeconds(2);

        assertThat(v2Ids("start_date=" + from + "&end_date=" + to)).contains(requestId);
        assertThat(v2Ids("start_date=" + from)).contains(requestId);
        assertThat(v2Ids("start_date=" + to)).doesNotContain(requestId);
        assertThat(v2Ids("start_date=" + from.minusSeconds(60) + "&end_date=" + from))
                .doesNotContain(requestId);
        // The v1 spelling of the same filters.
        assertThat(v1UserIds("startDate=" + from + "&endDate=" + to)).contains(userId);
        assertThat(v1UserIds("startDate=" + to)).doesNotContain(userId);
        assertThat(v1UserIds("startDate=" + from.minusSeconds(60) + "&endDate=" + from))
                .doesNotContain(userId);
    }

    @Test
    void aPlainDateCoversTheWholeDay() {
        String requestId = requestId();
        api.get("/v2/products?limit=1")
                .as(userKey)
                .header("X-Request-Id", requestId)
                .send()
                .expect(200);
        String today = findV2(requestId).get("timestamp").asString().substring(0, 10);

        assertThat(v2Ids("start_date=" + today + "&end_date=" + today)).contains(requestId);
    }

    @Test
    void levelFilterKeepsOnlyThatLevel() {
        String ok = requestId();
        api.get("/v2/products?limit=1")
                .as(userKey)
                .header("X-Request-Id", ok)
                .send()
                .expect(200);
        String missing = requestId();
        api.get("/v2/nowhere")
                .as(userKey)
                .header("X-Request-Id", missing)
                .unknownRoute()
                .send()
                .expect(404);
        String since = Instant.parse(findV2(missing).get("timestamp").asString())
                .minusSeconds(5)
                .toString();

        List<JsonNode> warnings = allPages("/v2/logs?level=warn&start_date=" + since);
        assertThat(warnings)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("level").asString()).isEqualTo("warn"));
        assertThat(warnings)
                .extracting(e -> e.get("request_id").asString())
                .contains(missing)
                .doesNotContain(ok);

        List<JsonNode> infos = allPages("/v2/logs?level=info&start_date=" + since);
        assertThat(infos).allSatisfy(e -> assertThat(e.get("level").asString()).isEqualTo("info"));
        assertThat(infos)
                .extracting(e -> e.get("request_id").asString())
                .contains(ok)
                .doesNotContain(missing);

        List<JsonNode> v1Warnings = allPages("/logs?level=warn&startDate=" + since);
        assertThat(v1Warnings)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("level").asString()).isEqualTo("warn"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2023-13-45", "2023-10-27T25:00:00Z", "1698418510"})
    void invalidDateAnswers400(String value) {
        JsonNode v2 = api.get("/v2/logs?start_date=" + value).asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(v2.get("details").asString()).isEqualTo("start_date (datetime)");

        JsonNode v1 = api.get("/logs?endDate=" + value).asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(v1.get("details").asString()).isEqualTo("endDate (datetime)");
    }

    @Test
    void startAfterEndAnswers400() {
        JsonNode v2 = api.get("/v2/logs?start_date=2023-10-28T00:00:00Z&end_date=2023-10-27T00:00:00Z")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(v2.get("message").asString()).contains("start_date").contains("end_date");

        JsonNode v1 = api.get("/logs?startDate=2023-10-28T00:00:00Z&endDate=2023-10-27T00:00:00Z")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(v1.get("message").asString()).contains("startDate").contains("endDate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"debug", "INFO", "warning"})
    void invalidLevelAnswers400(String level) {
        JsonNode error = api.get("/v2/logs?level=" + level).asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo("level (string)");
        api.get("/logs?level=" + level).asAdmin().send().expectError(400, "INVALID_PARAMETER");
    }

    @Test
    void readingLogsNeedsTheLogsReadScope() {
        String productsOnly = api.post("/v2/api-keys", """
                {"name": "no logs", "scopes": ["products:read"], "user_id": "%s"}""".formatted(userId))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();

        JsonNode v2 = api.get("/v2/logs").as(productsOnly).send().expectError(403, "INSUFFICIENT_SCOPE");
        assertThat(v2.get("details").asString()).isEqualTo("logs:read");
        api.get("/logs").as(productsOnly).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.get("/v1/logs").as(productsOnly).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.get("/v2/logs").send().expectError(401, "UNAUTHORIZED");

        api.get("/v2/logs?limit=1").as(userKey).send().expect(200);
        api.get("/logs?limit=1").as(userKey).send().expect(200);
    }

    @Test
    void purgeDeletesEntriesOlderThanTheRetentionAndKeepsRecentOnes() {
        String marker = UUID.randomUUID().toString();
        Instant old = Instant.now().minus(45, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant recent = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        repository.insert(List.of(
                new AccessLogEntry(
                        "log_old" + marker,
                        old,
                        "info",
                        "old entry",
                        "GET",
                        "/products",
                        200,
                        1,
                        "old-" + marker,
                        null,
                        null,
                        "10.0.0.1"),
                new AccessLogEntry(
                        "log_recent" + marker,
                        recent,
                        "info",
                        "recent entry",
                        "GET",
                        "/products",
                        200,
                        1,
                        "recent-" + marker,
                        null,
                        null,
                        "10.0.0.1")));
        assertThat(v2Ids(window(old))).contains("old-" + marker);
        assertThat(v2Ids(window(recent))).contains("recent-" + marker);

        int purged = service.purge();

        assertThat(purged).isPositive();
        assertThat(v2Ids(window(old))).doesNotContain("old-" + marker);
        assertThat(v2Ids(window(recent))).contains("recent-" + marker);
    }

    // ---- helpers ----

    private static String requestId() {
        return "logs-it-" + UUID.randomUUID();
    }

    private void flush() {
        writer.flush();
    }

    /** The v2 entry of a request, once the background writer has written it. */
    private JsonNode findV2(String requestId) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            flush();
            List<JsonNode> matches = matchingV2(requestId);
            assertThat(matches).as("log entries with request_id " + requestId).isNotEmpty();
            found.set(matches.get(0));
        });
        return found.get();
    }

    private int countV2(String requestId) {
        flush();
        return matchingV2(requestId).size();
    }

    private List<JsonNode> matchingV2(String requestId) {
        String since = Instant.now()
                .minus(2, ChronoUnit.MINUTES)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        return allPages("/v2/logs?start_date=" + since).stream()
                .filter(entry -> requestId.equals(entry.get("request_id").asString()))
                .toList();
    }

    private List<String> v2Ids(String query) {
        flush();
        return allPages("/v2/logs?" + query).stream()
                .map(entry -> entry.get("request_id").asString())
                .toList();
    }

    private List<String> v1UserIds(String query) {
        flush();
        return allPages("/logs?" + query).stream()
                .filter(entry -> entry.has("userId"))
                .map(entry -> entry.get("userId").asString())
                .toList();
    }

    private JsonNode findInPages(String path, Predicate<JsonNode> wanted) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            flush();
            List<JsonNode> matches = allPages(path).stream().filter(wanted).toList();
            assertThat(matches).as("entries of " + path).isNotEmpty();
            found.set(matches.get(0));
        });
        return found.get();
    }

    /** Every entry a filtered listing holds, following the pages (100 a page). */
    private List<JsonNode> allPages(String path) {
        List<JsonNode> entries = new ArrayList<>();
        String separator = path.contains("?") ? "&" : "?";
        for (int offset = 0; offset < 100_000; offset += 100) {
            Response page = api.get(path + separator + "limit=100&offset=" + offset)
                    .asAdmin()
                    .send()
                    .expect(200);
            page.json().forEach(entries::add);
            if (page.json().size() < 100) {
                break;
            }
        }
        return entries;
    }

    private static String window(Instant around) {
        return "start_date=" + around.minusSeconds(1) + "&end_date=" + around.plusSeconds(1);
    }
}
