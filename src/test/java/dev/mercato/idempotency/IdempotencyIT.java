package dev.mercato.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.shared.DomainException;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Orders;
import dev.mercato.support.Race;
import dev.mercato.support.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

class IdempotencyIT extends ApiTestSupport {

    private static final String KEY = "Idempotency-Key";
    private static final String REPLAYED = "Idempotent-Replayed";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IdempotencyStore store;

    @Autowired
    IdempotentCreation creation;

    @Autowired
    TransactionTemplate transactions;

    // ---- replay ----

    @Test
    void v2OrderRetryReplaysTheFirstResponseAndPlacesTheOrderOnce() {
        Shop shop = newShop();
        String key = newKey();
        String body = v2OrderBody(shop, 2);

        Response first =
                api.post("/v2/orders", body).asAdmin().header(KEY, key).send().expect(201);
        Response retry =
                api.post("/v2/orders", body).asAdmin().header(KEY, key).send().expect(201);

        assertThat(first.header(REPLAYED)).isNull();
        assertThat(retry.header(REPLAYED)).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location")).isNotNull();
        assertThat(retry.header("ETag")).isEqualTo(first.header("ETag")).isNotNull();
        assertThat(retry.header("Content-Type")).startsWith("application/json");
        assertThat(ordersOf(shop.userId())).isEqualTo(1);
        assertThat(stockOf(shop.productId())).isEqualTo(8);

        // As many retries as the client likes: still the one order.
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/v2/orders", body)
                            .asAdmin()
                            .header(KEY, key)
                            .send()
                            .expect(201)
                            .body())
                    .isEqualTo(first.body());
        }
        assertThat(ordersOf(shop.userId())).isEqualTo(1);
        assertThat(stockOf(shop.productId())).isEqualTo(8);

        // Without a key, the same body is a new order.
        api.post("/v2/orders", body).asAdmin().send().expect(201);
        assertThat(ordersOf(shop.userId())).isEqualTo(2);
        assertThat(stockOf(shop.productId())).isEqualTo(6);
    }

    @Test
    void v2UserRetryReplaysTheCreatedUserInsteadOfAClash() {
        String username = uniqueName("idem");
        String key = newKey();
        String body = """
                {"username": "%s", "email": "%s@example.com"}""".formatted(username, username);

        Response first =
                api.post("/v2/users", body).asAdmin().header(KEY, key).send().expect(201);
        Response retry =
                api.post("/v2/users", body).asAdmin().header(KEY, key).send().expect(201);

        assertThat(retry.header(REPLAYED)).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(jdbc.sql("select count(*) from users where username = :name")
                        .param("name", username)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        // The same request under a new key is a new request, and clashes.
        api.post("/v2/users", body).asAdmin().header(KEY, newKey()).send().expectError(409, "USERNAME_TAKEN");
    }

    @Test
    void v1OrderRetryReplaysTheFirstResponse() {
        Shop shop = newShop();
        String key = newKey();
        String body = """
                {"userId": "%s", "items": [{"productId": "%s", "quantity": 3}],
                 "shippingAddress": {"street": "1 Main St", "city": "Anytown", "zipCode": "12345", "country": "USA"}}
                """.formatted(shop.userId(), shop.productId());

        Response first =
                api.post("/orders", body).asAdmin().header(KEY, key).send().expect(201);
        Response retry =
                api.post("/orders", body).asAdmin().header(KEY, key).send().expect(201);

        assertThat(first.header(REPLAYED)).isNull();
        assertThat(retry.header(REPLAYED)).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.json().get("totalAmount").decimalValue()).isEqualByComparingTo("30.00");
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(ordersOf(shop.userId())).isEqualTo(1);
        assertThat(stockOf(shop.productId())).isEqualTo(7);

        // The path is part of the request: the same key and body at /v1/orders is a different request.
        api.post("/v1/orders", body).asAdmin().header(KEY, key).send().expectError(422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(ordersOf(shop.userId())).isEqualTo(1);
    }

    @Test
    void aNotFoundOutcomeIsReplayed() {
        String key = newKey();
        String payment = """
                {"order_id": "ord_doesnotexist", "payment_method_id": "pm_card_visa", "amount": 1, "currency": "USD"}""";

        Response first =
                api.post("/v2/payments", payment).asAdmin().header(KEY, key).send();
        first.expectError(404, "NOT_FOUND");
        Response retry =
                api.post("/v2/payments", payment).asAdmin().header(KEY, key).send();

        retry.expectError(404, "NOT_FOUND");
        assertThat(first.header(REPLAYED)).isNull();
        assertThat(retry.header(REPLAYED)).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(storedStatus(key)).isEqualTo(404);
    }

    @Test
    void anOrderNamingAnUnknownUserOrProductIsInvalidAndNotStored() {
        Shop shop = newShop();
        String key = newKey();
        String unknownProduct = v2OrderBody(new Shop(shop.userId(), "prod_doesnotexist"), 1);

        api.post("/v2/orders", unknownProduct).asAdmin().header(KEY, key).send().expectError(400, "PRODUCT_NOT_FOUND");
        Response again = api.post("/v2/orders", unknownProduct)
                .asAdmin()
                .header(KEY, key)
                .send();
        again.expectError(400, "PRODUCT_NOT_FOUND");
        assertThat(again.header(REPLAYED)).isNull();
        assertThat(storedStatus(key)).isNull();
        String unknownUser = v2OrderBody(new Shop("usr_doesnotexist", shop.productId()), 1);
        api.post("/v2/orders", unknownUser).asAdmin().header(KEY, key).send().expectError(400, "USER_NOT_FOUND");
        assertThat(storedStatus(key)).isNull();

        // The key is still free for the corrected request.
        Response corrected = api.post("/v2/orders", v2OrderBody(shop, 1))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(201);
        assertThat(corrected.header(REPLAYED)).isNull();
        assertThat(ordersOf(shop.userId())).isEqualTo(1);
    }

    @Test
    void aServerSideFailureIsNotStoredSoTheKeyCanBeRetried() {
        Shop shop = newShop();
        String orderId = api.post("/v2/orders", v2OrderBody(shop, 1))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
        String key = newKey();
        String body = """
                {"order_id": "%s", "payment_method_id": "pm_card_timeout", "amount": 10.00, "currency": "USD"}""".formatted(orderId);

        api.post("/v2/payments", body)
                .asAdmin()
                .header(KEY, key)
                .send()
                .expectError(502, "PAYMENT_PROCESSOR_UNAVAILABLE");
        assertThat(storedStatus(key)).isNull();

        // Retried under the same key, the request runs again (and finds the first attempt still unsettled).
        Response retry =
                api.post("/v2/payments", body).asAdmin().header(KEY, key).send();
        retry.expectError(409, "PAYMENT_IN_PROGRESS");
        assertThat(retry.header(REPLAYED)).isNull();
        // "Still in flight" is temporary (it says Retry-After), so it is not kept under the key either.
        assertThat(retry.header("Retry-After")).isEqualTo("30");
        assertThat(storedStatus(key)).isNull();
        Response again =
                api.post("/v2/payments", body).asAdmin().header(KEY, key).send();
        again.expectError(409, "PAYMENT_IN_PROGRESS");
        assertThat(again.header(REPLAYED)).isNull();
    }

    // ---- refusals ----

    @Test
    void theSameKeyWithADifferentBodyIsRefused() {
        Shop shop = newShop();
        String key = newKey();
        String first = api.post("/v2/orders", v2OrderBody(shop, 1))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(201)
                .body();

        JsonNode error = api.post("/v2/orders", v2OrderBody(shop, 2))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expectError(422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(error.get("details").asString()).isEqualTo(KEY);
        // Another endpoint under the same key is a different request too.
        String username = uniqueName("reuse");
        api.post("/v2/users", """
                {"username": "%s"}""".formatted(username))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expectError(422, "IDEMPOTENCY_KEY_REUSED");

        assertThat(ordersOf(shop.userId())).isEqualTo(1);
        assertThat(stockOf(shop.productId())).isEqualTo(9);
        assertThat(jdbc.sql("select count(*) from users where username = :name")
                        .param("name", username)
                        .query(Integer.class)
                        .single())
                .isZero();
        // The refusal did not disturb the stored response.
        Response retry = api.post("/v2/orders", v2OrderBody(shop, 1))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(201);
        assertThat(retry.body()).isEqualTo(first);
        assertThat(retry.header(REPLAYED)).isEqualTo("true");
    }

    @Test
    void theSameJsonWrittenAnotherWayIsTheSameRequest() {
        Shop shop = newShop();
        String key = newKey();
        Response first = api.post("/v2/orders", v2OrderBody(shop, 1))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(201);

        // Other key order, other whitespace, a character escaped: the same JSON, so the first response is replayed.
        String reformatted = """
                {
                  "shipping_address" : { "country" : "USA", "zip_code" : "12345", "city" : "Anytown",
                                         "street" : "1 Main\\u0020St" },
                  "items" : [ { "quantity" : 1, "product_id" : "%s" } ],
                  "user_id" : "%s"
                }""".formatted(shop.productId(), shop.userId());
        Response retry = api.post("/v2/orders", reformatted)
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(201);

        assertThat(retry.header(REPLAYED)).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(first.body());
        // A different value, however it is written, is a different request.
        api.post("/v2/orders", reformatted.replace("\"quantity\" : 1", "\"quantity\":2"))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expectError(422, "IDEMPOTENCY_KEY_REUSED");
        api.post("/v2/orders", reformatted.replace("1 Main", "2 Main"))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expectError(422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(ordersOf(shop.userId())).isEqualTo(1);
        assertThat(stockOf(shop.productId())).isEqualTo(9);
    }

    @Test
    void keysLongerThan255CharactersAreRefused() {
        Shop shop = newShop();
        String body = v2OrderBody(shop, 1);

        JsonNode error = api.post("/v2/orders", body)
                .asAdmin()
                .header(KEY, "k".repeat(256))
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo(KEY);
        assertThat(ordersOf(shop.userId())).isZero();
        assertThat(stockOf(shop.productId())).isEqualTo(10);

        String longest =
                "k".repeat(240) + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        assertThat(longest).hasSize(255);
        api.post("/v2/orders", body).asAdmin().header(KEY, longest).send().expect(201);
        Response retry = api.post("/v2/orders", body)
                .asAdmin()
                .header(KEY, longest)
                .send()
                .expect(201);
        assertThat(retry.header(REPLAYED)).isEqualTo("true");
        assertThat(ordersOf(shop.userId())).isEqualTo(1);
    }

    @Test
    void aRequestThatFailsValidationIsNotStored() {
        Shop shop = newShop();
        String key = newKey();
        String invalid = """
                {"user_id": "%s", "items": [{"product_id": "%s", "quantity": 1}]}""".formatted(shop.userId(), shop.productId());

        JsonNode error = api.post("/v2/orders", invalid)
                .asAdmin()
                .header(KEY, key)
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo("shipping_address (object)");
        assertThat(storedStatus(key)).isNull();
        Response again =
                api.post("/v2/orders", invalid).asAdmin().header(KEY, key).send();
        again.expectError(400, "INVALID_PARAMETER");
        assertThat(again.header(REPLAYED)).isNull();
        api.post("/v2/orders", "{\"user_id\": ")
                .asAdmin()
                .header(KEY, key)
                .send()
                .expectError(400, "MALFORMED_JSON");

        Response corrected = api.post("/v2/orders", v2OrderBody(shop, 1))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(201);
        assertThat(corrected.header(REPLAYED)).isNull();
        assertThat(ordersOf(shop.userId())).isEqualTo(1);
        Response retry = api.post("/v2/orders", v2OrderBody(shop, 1))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(201);
        assertThat(retry.header(REPLAYED)).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(corrected.body());
    }

    @Test
    void aRequestTheCredentialMayNotMakeIsNotStored() {
        Shop shop = newShop();
        String key = newKey();
        String readOnly = createKey("orders:read");

        api.post("/v2/orders", v2OrderBody(shop, 1))
                .as(readOnly)
                .header(KEY, key)
                .send()
                .expectError(403, "INSUFFICIENT_SCOPE");
        assertThat(storedStatus(key)).isNull();
        assertThat(ordersOf(shop.userId())).isZero();
    }

    @Test
    void aCreatedSecretIsNeverKeptNorCreatedTwice() {
        String key = newKey();
        String body = """
                {"name": "%s", "scopes": ["orders:read"]}""".formatted(uniqueName("idempotent key"));

        Response created =
                api.post("/v2/api-keys", body).asAdmin().header(KEY, key).send().expect(201);

        String secret = created.json().get("key").asString();
        // API keys are stored only as a hash: the response that shows the key once is not written anywhere.
        assertThat(jdbc.sql(
                                "select count(*) from idempotency_keys "
                                        + "where position(convert_to(:secret, 'UTF8') in coalesce(response_body, ''::bytea)) > 0")
                        .param("secret", secret)
                        .query(Integer.class)
                        .single())
                .isZero();
        // Nor by caches on the way.
        assertThat(created.header("Cache-Control")).contains("no-store");

        // A retry creates no second key: it is told where the first one is.
        JsonNode retry =
                api.post("/v2/api-keys", body).asAdmin().header(KEY, key).send().expectError(409, "SECRET_SHOWN_ONCE");
        assertThat(retry.get("details").asString()).isEqualTo(created.header("Location"));
        assertThat(retry.toString()).doesNotContain(secret);
        assertThat(jdbc.sql("select count(*) from api_keys where name = :name")
                        .param("name", created.json().get("name").asString())
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/oauth-clients", "/v2/webhooks"})
    void otherCredentialsAreCreatedOnceToo(String path) {
        String key = newKey();
        String body = path.equals("/v2/webhooks") ? """
                {"url": "http://127.0.0.1:9/hooks", "events": ["order.created"]}""" : """
                {"name": "%s", "scopes": ["orders:read"]}""".formatted(uniqueName("idempotent client"));

        Response created =
                api.post(path, body).asAdmin().header(KEY, key).send().expect(201);
        JsonNode retry = api.post(path, body).asAdmin().header(KEY, key).send().expectError(409, "SECRET_SHOWN_ONCE");

        assertThat(retry.get("details").asString()).isEqualTo(created.header("Location"));
    }

    // ---- claims of servers that died ----

    /**
     * A key claimed by a server that died mid-request (it stopped beating its row in server_instances) is free at
     * once; one claimed by a live server still answers 409 until that request finishes or its lease runs out.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aClaimOfADeadServerIsFreeAtOnce(boolean serverDead) {
        String body = """
                {"name": "%s", "price": 5.00, "currency": "USD", "stock": 1}""".formatted(uniqueName("claimed"));
        String first = newKey();
        api.post("/v2/products", body).asAdmin().header(KEY, first).send().expect(201);
        var done = jdbc.sql("select credential_id, request_hash from idempotency_keys where key = :key")
                .param("key", first)
                .query((rs, row) -> new String[] {rs.getString(1), rs.getString(2)})
                .single();
        String server = "srv_it_" + UUID.randomUUID();
        jdbc.sql("insert into server_instances (id, started_at, heartbeat_at) values (:id, now(), :beat)")
                .param("id", server)
                .param("beat", java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(serverDead ? 60 : 0)))
                .update();
        String claimed = newKey();
        jdbc.sql("""
                insert into idempotency_keys (credential_id, key, request_hash, state, created_at, locked_until,
                    claim_id, claimed_by)
                values (:owner, :key, :hash, 'in_progress', now(), now() + interval '2 minutes', 'claim_it', :server)
                """)
                .param("owner", done[0])
                .param("key", claimed)
                .param("hash", done[1])
                .param("server", server)
                .update();

        Response retry =
                api.post("/v2/products", body).asAdmin().header(KEY, claimed).send();

        if (serverDead) {
            retry.expect(201);
        } else {
            retry.expectError(409, "IDEMPOTENCY_KEY_IN_USE");
        }
    }

    // ---- scope of a key ----

    @Test
    void keysAreScopedToTheCredential() {
        Shop shop = newShop();
        String other = createKey("orders:read", "orders:write");
        String key = newKey();
        String body = v2OrderBody(shop, 1);

        Response asAdmin =
                api.post("/v2/orders", body).asAdmin().header(KEY, key).send().expect(201);
        Response asOther =
                api.post("/v2/orders", body).as(other).header(KEY, key).send().expect(201);

        assertThat(asOther.header(REPLAYED)).isNull();
        assertThat(asOther.json().get("id").asString())
                .isNotEqualTo(asAdmin.json().get("id").asString());
        assertThat(ordersOf(shop.userId())).isEqualTo(2);
        assertThat(stockOf(shop.productId())).isEqualTo(8);

        // Each credential's retry replays its own first response.
        assertThat(api.post("/v2/orders", body)
                        .asAdmin()
                        .header(KEY, key)
                        .send()
                        .expect(201)
                        .body())
                .isEqualTo(asAdmin.body());
        assertThat(api.post("/v2/orders", body)
                        .as(other)
                        .header(KEY, key)
                        .send()
                        .expect(201)
                        .body())
                .isEqualTo(asOther.body());
        // And a different body under the key is refused for each, independently.
        api.post("/v2/orders", v2OrderBody(shop, 2))
                .as(other)
                .header(KEY, key)
                .send()
                .expectError(422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(ordersOf(shop.userId())).isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from idempotency_keys where key = :key")
                        .param("key", key)
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void onlyPostsAreIdempotent() {
        Shop shop = newShop();
        String key = newKey();
        String orderId = api.post("/v2/orders", v2OrderBody(shop, 1))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();

        Response read = api.get("/v2/orders/" + orderId)
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(200);
        assertThat(read.header(REPLAYED)).isNull();
        assertThat(read.json().get("id").asString()).isEqualTo(orderId);
        Response patched = api.patch("/v2/orders/" + orderId, "{\"status\": \"cancelled\"}")
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(200);
        assertThat(patched.header(REPLAYED)).isNull();
        assertThat(patched.json().get("status").asString()).isEqualTo("cancelled");
    }

    // ---- in-progress and abandoned claims ----

    @Test
    void aKeyWhoseFirstRequestIsStillRunningAnswers409() {
        Shop shop = newShop();
        String key = newKey();
        String body = v2OrderBody(shop, 1);
        claimAsIfRunning(key, fingerprint("/v2/orders", body), "now() + interval '1 minute'");

        Response inUse = api.post("/v2/orders", body).asAdmin().header(KEY, key).send();
        JsonNode error = inUse.expectError(409, "IDEMPOTENCY_KEY_IN_USE");
        assertThat(error.get("details").asString()).isEqualTo(KEY);
        // Claimed a moment ago by a request that will most likely finish within milliseconds.
        assertThat(inUse.header("Retry-After")).isEqualTo("1");
        api.post("/v2/orders", v2OrderBody(shop, 2))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expectError(422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(ordersOf(shop.userId())).isZero();
        assertThat(stockOf(shop.productId())).isEqualTo(10);
        // The claim is left to its owner.
        assertThat(jdbc.sql("select state from idempotency_keys where key = :key")
                        .param("key", key)
                        .query(String.class)
                        .single())
                .isEqualTo("in_progress");

        // A request running for a minute is slow, or its server died (the lease will tell): retry less eagerly.
        ageKey(key, "1 minute");
        Response stale = api.post("/v2/orders", body).asAdmin().header(KEY, key).send();
        stale.expectError(409, "IDEMPOTENCY_KEY_IN_USE");
        assertThat(stale.header("Retry-After")).isEqualTo("5");
    }

    @Test
    void aClaimAbandonedByACrashIsTakenOverByARetryOfTheSameRequest() {
        Shop shop = newShop();
        String key = newKey();
        String body = v2OrderBody(shop, 1);
        claimAsIfRunning(key, fingerprint("/v2/orders", body), "now() - interval '1 second'");

        // A different request may not take the key over.
        api.post("/v2/orders", v2OrderBody(shop, 2))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expectError(422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(ordersOf(shop.userId())).isZero();

        Response retried =
                api.post("/v2/orders", body).asAdmin().header(KEY, key).send().expect(201);
        assertThat(retried.header(REPLAYED)).isNull();
        assertThat(ordersOf(shop.userId())).isEqualTo(1);
        assertThat(storedStatus(key)).isEqualTo(201);
        Response replay =
                api.post("/v2/orders", body).asAdmin().header(KEY, key).send().expect(201);
        assertThat(replay.header(REPLAYED)).isEqualTo("true");
        assertThat(replay.body()).isEqualTo(retried.body());
        assertThat(ordersOf(shop.userId())).isEqualTo(1);
    }

    @Test
    void parallelRetriesOfOneOrderPlaceItOnce() {
        Shop shop = newShop();
        String key = newKey();
        String body = v2OrderBody(shop, 1);
        int count = 12;

        List<Response> responses =
                Race.requests(count, i -> api.post("/v2/orders", body).asAdmin().header(KEY, key));

        List<Response> created =
                responses.stream().filter(r -> r.status() == 201).toList();
        assertThat(created.stream().filter(r -> r.header(REPLAYED) == null)).hasSize(1);
        for (Response response : responses) {
            if (response.status() == 201) {
                assertThat(response.body()).isEqualTo(created.get(0).body());
            } else {
                response.expectError(409, "IDEMPOTENCY_KEY_IN_USE");
                assertThat(response.header("Retry-After")).isEqualTo("1");
            }
        }
        assertThat(ordersOf(shop.userId())).isEqualTo(1);
        assertThat(stockOf(shop.productId())).isEqualTo(9);
    }

    // ---- a crash between the work's commit and the storing of its response ----

    @Test
    void anOrderCommittedBeforeACrashIsAnsweredInsteadOfPlacedAgain() {
        Shop shop = newShop();
        String v1Body = """
                {"userId": "%s", "items": [{"productId": "%s", "quantity": 1}],
                 "shippingAddress": {"street": "1 Main St", "city": "Anytown", "zipCode": "12345", "country": "USA"}}
                """.formatted(shop.userId(), shop.productId());

        assertARetryAfterACrashAnswersWhatWasCreated("/v2/orders", v2OrderBody(shop, 1));
        assertARetryAfterACrashAnswersWhatWasCreated("/orders", v1Body);

        assertThat(ordersOf(shop.userId())).isEqualTo(2);
        assertThat(stockOf(shop.productId())).isEqualTo(8);
    }

    @Test
    void aUserCreatedBeforeACrashIsAnsweredInsteadOfClashing() {
        String username = uniqueName("crash");
        String body = """
                {"username": "%s"}""".formatted(username);

        assertARetryAfterACrashAnswersWhatWasCreated("/v2/users", body);

        assertThat(jdbc.sql("select count(*) from users where username = :name")
                        .param("name", username)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    /**
     * The request succeeds; then its key is put back as a server that died right after the work's commit would
     * have left it (claimed, no response, the lease run out). The retry must answer with what was created.
     */
    private void assertARetryAfterACrashAnswersWhatWasCreated(String path, String body) {
        String key = newKey();
        Response first = api.post(path, body).asAdmin().header(KEY, key).send().expect(201);
        String id = first.json().get("id").asString();
        assertThat(jdbc.sql("select resource_id from idempotency_keys where key = :key")
                        .param("key", key)
                        .query(String.class)
                        .single())
                .as("noted in the creating transaction")
                .isEqualTo(id);
        assertThat(jdbc.sql("""
                update idempotency_keys set state = 'in_progress', response_status = null, response_headers = null,
                    response_body = null, locked_until = now() - interval '1 second'
                where key = :key""").param("key", key).update()).isEqualTo(1);

        Response retry = api.post(path, body).asAdmin().header(KEY, key).send().expect(201);

        assertThat(retry.header(REPLAYED)).isEqualTo("true");
        assertThat(retry.json().get("id").asString()).isEqualTo(id);
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        // The answer is stored now, for any later retry.
        assertThat(storedStatus(key)).isEqualTo(201);
        assertThat(api.post(path, body)
                        .asAdmin()
                        .header(KEY, key)
                        .send()
                        .expect(201)
                        .body())
                .isEqualTo(retry.body());
    }

    @Test
    void anAttemptThatOutlivedItsLeaseRollsBackInsteadOfCreatingASecondTime() {
        String owner = "test/" + newKey();
        String key = newKey();
        IdempotencyStore.Claim slow = store.claim(owner, key, "hash").orElseThrow();
        jdbc.sql("update idempotency_keys set locked_until = now() - interval '1 second' where key = :key")
                .param("key", key)
                .update();
        IdempotencyStore.Claim retry = store.claim(owner, key, "hash").orElseThrow();
        String sideEffect = newKey();

        // The slow attempt finishes its work only now: it can no longer note it, so its transaction rolls back.
        IdempotentCreation.bind(slow);
        try {
            assertThatThrownBy(() -> transactions.executeWithoutResult(status -> creation.once(
                            () -> jdbc.sql(
                                            "insert into idempotency_keys (credential_id, key, request_hash, state, locked_until) "
                                                    + "values (:owner, :key, 'side effect', 'completed', now())")
                                    .param("owner", owner)
                                    .param("key", sideEffect)
                                    .update(),
                            created -> "res_slow",
                            id -> 0)))
                    .isInstanceOf(DomainException.class)
                    .hasMessageContaining("took over");
        } finally {
            IdempotentCreation.unbind();
        }
        assertThat(jdbc.sql("select count(*) from idempotency_keys where key = :key")
                        .param("key", sideEffect)
                        .query(Integer.class)
                        .single())
                .isZero();
        // Nor can it store a response over the retry's.
        store.complete(slow, 201, Map.of(), "slow".getBytes(StandardCharsets.UTF_8));
        assertThat(storedStatus(key)).isNull();
        store.complete(retry, 201, Map.of(), "retry".getBytes(StandardCharsets.UTF_8));
        assertThat(storedStatus(key)).isEqualTo(201);
    }

    // ---- retention ----

    @Test
    void aKeyOlderThan24HoursIsForgotten() {
        Shop shop = newShop();
        String key = newKey();
        String body = v2OrderBody(shop, 1);
        String first = api.post("/v2/orders", body)
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
        ageKey(key, "23 hours");
        assertThat(api.post("/v2/orders", body)
                        .asAdmin()
                        .header(KEY, key)
                        .send()
                        .expect(201)
                        .header(REPLAYED))
                .isEqualTo("true");

        ageKey(key, "25 hours");
        Response again =
                api.post("/v2/orders", body).asAdmin().header(KEY, key).send().expect(201);

        assertThat(again.header(REPLAYED)).isNull();
        assertThat(again.json().get("id").asString()).isNotEqualTo(first);
        assertThat(ordersOf(shop.userId())).isEqualTo(2);
        assertThat(stockOf(shop.productId())).isEqualTo(8);
        // The key now holds the new request, fresh for another 24 hours.
        Response replay =
                api.post("/v2/orders", body).asAdmin().header(KEY, key).send().expect(201);
        assertThat(replay.header(REPLAYED)).isEqualTo("true");
        assertThat(replay.body()).isEqualTo(again.body());

        // An expired key may even be used for a different request.
        ageKey(key, "25 hours");
        api.post("/v2/orders", v2OrderBody(shop, 2))
                .asAdmin()
                .header(KEY, key)
                .send()
                .expect(201);
        assertThat(stockOf(shop.productId())).isEqualTo(6);
    }

    @Test
    void purgeDeletesKeysOlderThan24Hours() {
        Shop shop = newShop();
        String old = newKey();
        String fresh = newKey();
        String oldBody = v2OrderBody(shop, 1);
        String freshBody = v2OrderBody(shop, 2);
        api.post("/v2/orders", oldBody).asAdmin().header(KEY, old).send().expect(201);
        api.post("/v2/orders", freshBody).asAdmin().header(KEY, fresh).send().expect(201);
        ageKey(old, "25 hours");
        ageKey(fresh, "23 hours");

        assertThat(store.purge()).isGreaterThanOrEqualTo(1);

        assertThat(storedStatus(old)).isNull();
        assertThat(jdbc.sql("select count(*) from idempotency_keys where key = :key")
                        .param("key", old)
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(storedStatus(fresh)).isEqualTo(201);
        assertThat(api.post("/v2/orders", freshBody)
                        .asAdmin()
                        .header(KEY, fresh)
                        .send()
                        .expect(201)
                        .header(REPLAYED))
                .isEqualTo("true");
        assertThat(jdbc.sql("select count(*) from idempotency_keys where created_at < now() - interval '24 hours'")
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    // ---- fixtures ----

    private record Shop(String userId, String productId) {}

    /** A fresh user and a fresh product priced 10.00 USD with 10 in stock. */
    private Shop newShop() {
        return new Shop(
                aUser().create(),
                aProduct().priced("10.00", "USD").withStock(10).create());
    }

    private static String v2OrderBody(Shop shop, int quantity) {
        return Orders.v2Body(shop.userId(), shop.productId(), quantity);
    }

    private int ordersOf(String userId) {
        return jdbc.sql("select count(*) from orders where user_id = :id")
                .param("id", userId)
                .query(Integer.class)
                .single();
    }

    /** The stored response status under this key (any credential), or null when none is stored. */
    private Integer storedStatus(String key) {
        return jdbc.sql("select response_status from idempotency_keys where key = :key and state = 'completed'")
                .param("key", key)
                .query(Integer.class)
                .optional()
                .orElse(null);
    }

    private void ageKey(String key, String age) {
        assertThat(jdbc.sql("update idempotency_keys set created_at = now() - cast(:age as interval) where key = :key")
                        .param("age", age)
                        .param("key", key)
                        .update())
                .isEqualTo(1);
    }

    /** A claim on the key by the bootstrap admin key, as a server that is (or was) running the request leaves it. */
    private void claimAsIfRunning(String key, String requestHash, String lockedUntil) {
        String admin = jdbc.sql("select id from api_keys where bootstrap")
                .query(String.class)
                .single();
        jdbc.sql("insert into idempotency_keys (credential_id, key, request_hash, state, created_at, locked_until) "
                        + "values (:credential, :key, :hash, 'in_progress', now(), " + lockedUntil + ")")
                .param("credential", admin)
                .param("key", key)
                .param("hash", requestHash)
                .update();
    }

    private static String fingerprint(String path, String body) {
        return RequestFingerprint.of("POST", path, null, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private String createKey(String... scopes) {
        return api.post("/v2/api-keys", """
                {"name": "%s", "scopes": ["%s"]}""".formatted(uniqueName("idempotency it"), String.join("\", \"", scopes)))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    private static String uniqueName(String stem) {
        return stem + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
