package dev.mercato.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Race;
import dev.mercato.support.Response;
import io.github.bucket4j.ConsumptionProbe;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RateLimitsIT extends ApiTestSupport {

    private static final String POLICY = "RateLimit-Policy";
    private static final String RATE_LIMIT = "RateLimit";

    @Value("${mercato.rate-limit.requests-per-minute}")
    int defaultPerMinute;

    @Autowired
    DataSource dataSource;

    // ---- per credential ----

    @Test
    void keyWithALimitOfFiveGetsFiveRequestsThen429WithRetryAfter() {
        String key = createKey(5);

        for (int remaining = 4; remaining >= 0; remaining--) {
            // v1 and v2 calls draw on the same bucket: the limit is the credential's.
            Response allowed = api.get(remaining % 2 == 0 ? "/v2/products?limit=1" : "/products?limit=1")
                    .as(key)
                    .send()
                    .expect(200);
            assertThat(allowed.header(POLICY)).isEqualTo("\"default\";q=5;w=60");
            assertThat(allowed.header(RATE_LIMIT)).matches("\"default\";r=" + remaining + ";t=\\d+");
            assertThat(allowed.header("Retry-After")).isNull();
        }

        Response refused = api.get("/v2/products?limit=1").as(key).send();

        JsonNode error = refused.expectError(429, "RATE_LIMITED");
        assertThat(error.get("message").asString()).contains("5 requests per minute");
        assertThat(error.get("details").asString()).isEqualTo("5 requests per minute");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 12L);
        assertThat(refused.header(POLICY)).isEqualTo("\"default\";q=5;w=60");
        assertThat(refused.header(RATE_LIMIT)).matches("\"default\";r=0;t=(5\\d|60)");
        assertThat(refused.header("Content-Type")).startsWith("application/json");
        // Refused requests, writes included, are refused before they do anything.
        api.post("/v2/products", """
                {"name": "Throttled", "price": 1, "currency": "USD", "stock": 1}""").as(key).send().expectError(429, "RATE_LIMITED");
    }

    @Test
    void oneKeysExhaustedLimitLeavesOtherKeysAlone() {
        String exhausted = createKey(2);
        String other = createKey(2);
        api.get("/v2/products?limit=1").as(exhausted).send().expect(200);
        api.get("/v2/products?limit=1").as(exhausted).send().expect(200);
        api.get("/v2/products?limit=1").as(exhausted).send().expectError(429, "RATE_LIMITED");

        Response unaffected = api.get("/v2/products?limit=1").as(other).send().expect(200);

        assertThat(unaffected.header(RATE_LIMIT)).startsWith("\"default\";r=1;");
        api.get("/v2/products?limit=1").asAdmin().send().expect(200);
    }

    @Test
    void everyResponseToAnAuthenticatedCallCarriesTheLimit() {
        String key = createKey(null);
        String defaultPolicy = "\"default\";q=" + defaultPerMinute + ";w=60";

        List<Response> responses = List.of(
                api.get("/v2/products?limit=1").as(key).send().expect(200),
                api.get("/v2/products/prod_doesnotexist").as(key).send().expect(404),
                api.get("/v2/users?limit=1").as(key).send().expect(403),
                api.get("/products?limit=1").as(key).send().expect(200),
                api.post("/v2/products", """
                        {"name": "Counted", "price": 2.5, "currency": "USD", "stock": 3}""").asAdmin().send().expect(201));

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.header(POLICY)).as(response.path()).isEqualTo(defaultPolicy);
            assertThat(response.header(RATE_LIMIT)).as(response.path()).matches("\"default\";r=\\d+;t=\\d+");
        });
        // (The test server's default is so high that tokens come back faster than requests: see the limit-5 test
        // for the count going down.)
    }

    @Test
    void unauthenticatedAndOpenEndpointsCarryNoCredentialLimit() {
        Response anonymous = api.get("/v2/products").send();
        anonymous.expectError(401, "UNAUTHORIZED");
        assertThat(anonymous.header(RATE_LIMIT)).isNull();
        assertThat(api.get("/health").unvalidated().send().expect(200).header(RATE_LIMIT))
                .isNull();
    }

    @Test
    void theOpenApiDocumentsDescribeTheHeaders() {
        JsonNode document = JsonMapper.builder()
                .build()
                .readTree(api.get("/openapi/v2.json")
                        .unvalidated()
                        .send()
                        .expect(200)
                        .body());
        JsonNode operation =
                document.path("paths").path("/v2/products").path("get").path("responses");

        assertThat(operation.path("200").path("headers").has(POLICY)).isTrue();
        assertThat(operation.path("200").path("headers").has(RATE_LIMIT)).isTrue();
        JsonNode tooMany = operation.path("429").path("headers");
        assertThat(tooMany.has(RATE_LIMIT)).isTrue();
        assertThat(tooMany.path("Retry-After").path("$ref").asString()).isEqualTo("#/components/headers/Retry-After");
        assertThat(document.path("components")
                        .path("headers")
                        .path("Retry-After")
                        .path("schema")
                        .path("type")
                        .asString())
                .isEqualTo("integer");
    }

    // ---- the token endpoint ----

    @Test
    void tokenEndpointAttemptsAreCountedPerAddressAndPerClient() {
        Response attempt = api.method("POST", "/oauth/token")
                .body("application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=cli_itclient")
                .unvalidated()
                .send();

        assertThat(attempt.header(POLICY)).isEqualTo("\"ip\";q=1000000;w=60, \"client\";q=1000000;w=60");
        assertThat(attempt.header(RATE_LIMIT)).matches("\"ip\";r=\\d+;t=\\d+, \"client\";r=999999;t=1");
    }

    // ---- the PostgreSQL store: two servers, one bucket ----

    @Test
    void postgresqlStoresOfTwoServersShareOneBucket() {
        RateLimitStore server1 = new PostgresRateLimitStore(dataSource);
        RateLimitStore server2 = new PostgresRateLimitStore(dataSource);
        String subject = "credential:key_shared_" + UUID.randomUUID();
        Quota fivePerMinute = new Quota("default", 5);

        assertThat(server1.tryConsume(subject, fivePerMinute).getRemainingTokens())
                .isEqualTo(4);
        assertThat(server2.tryConsume(subject, fivePerMinute).getRemainingTokens())
                .isEqualTo(3);
        assertThat(server1.tryConsume(subject, fivePerMinute).getRemainingTokens())
                .isEqualTo(2);
        assertThat(server2.tryConsume(subject, fivePerMinute).getRemainingTokens())
                .isEqualTo(1);
        assertThat(server2.tryConsume(subject, fivePerMinute).getRemainingTokens())
                .isZero();

        ConsumptionProbe refused = server1.tryConsume(subject, fivePerMinute);
        assertThat(refused.isConsumed()).isFalse();
        assertThat(new Consumption(fivePerMinute, refused).secondsUntilAllowed())
                .isBetween(1L, 12L);
        assertThat(server2.tryConsume(subject, fivePerMinute).isConsumed()).isFalse();
        // A token given back (a failed token request) is there for either server.
        server1.refund(subject, fivePerMinute);
        assertThat(server2.tryConsume(subject, fivePerMinute).isConsumed()).isTrue();
        assertThat(server1.tryConsume(subject, fivePerMinute).isConsumed()).isFalse();
        // The bucket is one row, with the time it will be full again.
        Long expiresAt = JdbcClient.create(dataSource)
                .sql("select expires_at from rate_limit_buckets where id = :id")
                .param("id", fivePerMinute.key(subject))
                .query(Long.class)
                .single();
        assertThat(expiresAt).isGreaterThan(System.currentTimeMillis() + 50_000);
    }

    @Test
    void postgresqlStoresRacingForOneBucketNeverGrantMoreThanTheQuota() {
        List<RateLimitStore> servers =
                List.of(new PostgresRateLimitStore(dataSource), new PostgresRateLimitStore(dataSource));
        String subject = "credential:key_raced_" + UUID.randomUUID();
        Quota eightPerMinute = new Quota("default", 8);

        List<Boolean> consumed = Race.run(
                30, i -> servers.get(i % 2).tryConsume(subject, eightPerMinute).isConsumed());

        assertThat(consumed).filteredOn(Boolean::booleanValue).hasSize(8);
    }

    @Test
    void purgingLeavesBucketsThatAreNotFullYet() {
        PostgresRateLimitStore store = new PostgresRateLimitStore(dataSource);
        String subject = "token-ip:" + UUID.randomUUID();
        Quota twoPerMinute = new Quota("ip", 2);
        store.tryConsume(subject, twoPerMinute);

        store.purgeExpired();

        assertThat(store.tryConsume(subject, twoPerMinute).getRemainingTokens()).isZero();
    }

    // ---- fixtures ----

    private String createKey(Integer perMinute) {
        String limit = perMinute == null ? "" : ", \"rate_limit_per_minute\": " + perMinute;
        JsonNode created = api.post("/v2/api-keys", """
                {"name": "rate limited %s", "scopes": ["products:read"]%s}""".formatted(
                                UUID.randomUUID().toString().substring(0, 8), limit))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        if (perMinute == null) {
            assertThat(created.has("rate_limit_per_minute")).isFalse();
        } else {
            assertThat(created.get("rate_limit_per_minute").asInt()).isEqualTo(perMinute);
        }
        return created.get("key").asString();
    }
}
