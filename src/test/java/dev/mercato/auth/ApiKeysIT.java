package dev.mercato.auth;

import static dev.mercato.support.JsonLists.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mercato.shared.Ids;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class ApiKeysIT extends ApiTestSupport {

    @Autowired
    JdbcClient jdbc;

    // ---- issuing and listing ----

    @Test
    void adminCreatesAKeyThatIsShownOnlyOnce() {
        String name = uniqueName("catalog reader");
        Response created =
                api.post("/v2/api-keys", """
                {"name": "%s", "scopes": ["products:read", "users:read"]}""".formatted(name)).asAdmin().send().expect(201);

        JsonNode key = created.json();
        String id = key.get("id").asString();
        String plain = key.get("key").asString();
        assertThat(id).startsWith("key_");
        assertThat(created.header("Location")).endsWith("/v2/api-keys/" + id);
        assertThat(plain).startsWith("mk_").hasSize(41);
        assertThat(key.get("key_prefix").asString()).isEqualTo(plain.substring(0, 10));
        assertThat(key.get("name").asString()).isEqualTo(name);
        assertThat(strings(key.get("scopes"))).containsExactlyInAnyOrder("products:read", "users:read");
        assertThat(key.get("created_at").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(key.has("user_id")).isFalse();
        assertThat(key.has("expires_at")).isFalse();
        assertThat(key.has("revoked_at")).isFalse();

        JsonNode fetched =
                api.get("/v2/api-keys/" + id).asAdmin().send().expect(200).json();
        assertThat(fetched.has("key")).isFalse();
        assertThat(fetched.get("key_prefix").asString()).isEqualTo(plain.substring(0, 10));
        assertThat(fetched.get("name").asString()).isEqualTo(name);

        Response list = api.get("/v2/api-keys?limit=100").asAdmin().send().expect(200);
        assertThat(list.header("X-Limit")).isEqualTo("100");
        assertThat(list.json()).allSatisfy(listed -> {
            assertThat(listed.has("key")).isFalse();
            assertThat(listed.get("key_prefix").asString()).isNotBlank();
        });
        assertThat(find(list.json(), id)).isNotNull();
        assertThat(list.body()).doesNotContain(plain);
    }

    @Test
    void onlyAHashOfTheKeyIsStored() throws Exception {
        JsonNode created = create("""
                {"name": "%s", "scopes": ["products:read"]}""".formatted(uniqueName("stored")));
        String plain = created.get("key").asString();

        Map<String, Object> row = jdbc.sql("select * from api_keys where id = ?")
                .param(created.get("id").asString())
                .query()
                .singleRow();

        assertThat(row.values())
                .as("no column holds the key's secret part")
                .noneMatch(value -> value != null && value.toString().contains(plain.substring(10)));
        assertThat((byte[]) row.get("key_hash"))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(plain.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void getUnknownKeyReturns404() {
        api.get("/v2/api-keys/key_doesnotexist").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    // ---- using a key ----

    @Test
    void keyGrantsItsScopesAndNothingElse() {
        String key = createKey("products:read");

        api.get("/v2/products?limit=1").as(key).send().expect(200);
        api.get("/products?limit=1").as(key).send().expect(200);

        Response denied = api.get("/v2/users?limit=1").as(key).send();
        JsonNode error = denied.expectError(403, "INSUFFICIENT_SCOPE");
        assertThat(error.get("details").asString()).isEqualTo("users:read");
        assertThat(denied.header("WWW-Authenticate"))
                .startsWith("Bearer")
                .contains("insufficient_scope")
                .contains("users:read");

        api.post("/v2/products", """
                {"name": "Not allowed", "price": 1, "currency": "USD", "stock": 1}""").as(key).send().expectError(403, "INSUFFICIENT_SCOPE");
    }

    @Test
    void adminScopeIncludesEveryOtherScope() {
        String admin = createKey("admin");
        api.get("/v2/users?limit=1").as(admin).send().expect(200);
        api.get("/v2/products?limit=1").as(admin).send().expect(200);
        api.get("/v2/api-keys?limit=1").as(admin).send().expect(200);
    }

    @Test
    void nonAdminKeyCannotManageKeys() {
        String key = createKey("users:read", "users:write", "products:write");

        api.post("/v2/api-keys", """
                {"name": "escalation", "scopes": ["admin"]}""").as(key).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.get("/v2/api-keys").as(key).send().expectError(403, "INSUFFICIENT_SCOPE");
    }

    @Test
    void missingAuthorizationAnswers401WithBearerChallenge() {
        Response response = api.get("/v2/products").send();
        response.expectError(401, "UNAUTHORIZED");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");

        api.get("/users").send().expectError(401, "UNAUTHORIZED");
        api.post("/v2/api-keys", """
                {"name": "anonymous", "scopes": ["admin"]}""").send().expectError(401, "UNAUTHORIZED");
    }

    @Test
    void unknownKeyAnswers401() {
        expectRejected(api.get("/v2/products").as(wellFormedUnknownKey()).send());
        expectRejected(api.get("/v2/products")
                .as("not_a_real_key_0123456789_abcdefghijklmnop")
                .send());
        expectRejected(api.get("/v2/products").as("short").send());
    }

    @Test
    void keyWithBrokenChecksumAnswers401() {
        String key = createKey("products:read");
        api.get("/v2/products?limit=1").as(key).send().expect(200);

        char last = key.charAt(key.length() - 1);
        String tampered = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
        expectRejected(api.get("/v2/products").as(tampered).send());

        char first = key.charAt(3);
        String typo = "mk_" + (first == 'a' ? 'b' : 'a') + key.substring(4);
        expectRejected(api.get("/v2/products").as(typo).send());
    }

    @Test
    void nonBearerSchemeAnswers401() {
        String key = createKey("products:read");
        expectRejected(api.get("/v2/products")
                .header("Authorization", "Basic dXNlcjpwYXNz")
                .send());
        expectRejected(api.get("/v2/products").header("Authorization", key).send());
        expectRejected(
                api.get("/v2/products").header("Authorization", "Bearer ").send());
    }

    // ---- revocation and expiry ----

    @Test
    void revokedKeyStopsWorkingImmediately() {
        JsonNode created = create("""
                {"name": "%s", "scopes": ["products:read"]}""".formatted(uniqueName("revocable")));
        String id = created.get("id").asString();
        String key = created.get("key").asString();
        api.get("/v2/products?limit=1").as(key).send().expect(200);
        // With its row changed behind the service's back, the key still works as before: a key in use is checked
        // against a cache, not the database; revoking through the API clears that entry at once.
        jdbc.sql("update api_keys set scopes = '{users:read}' where id = ?")
                .param(id)
                .update();
        api.get("/v2/products?limit=1").as(key).send().expect(200);

        Response revoked = api.delete("/v2/api-keys/" + id).asAdmin().send().expect(204);

        assertThat(revoked.body()).isEmpty();
        expectRejected(api.get("/v2/products?limit=1").as(key).send());
        JsonNode shown =
                api.get("/v2/api-keys/" + id).asAdmin().send().expect(200).json();
        assertThat(shown.get("revoked_at").asString()).isNotBlank();
        assertThat(shown.has("key")).isFalse();
    }

    @Test
    void revokingAnUnknownKeyReturns404() {
        api.delete("/v2/api-keys/key_doesnotexist").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void keyStopsWorkingWhenItExpires() {
        Instant expiresAt =
                Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        JsonNode created = create("""
                {"name": "%s", "scopes": ["products:read"], "expires_at": "%s"}""".formatted(uniqueName("short-lived"), expiresAt));
        assertThat(Instant.parse(created.get("expires_at").asString())).isEqualTo(expiresAt);
        String key = created.get("key").asString();

        api.get("/v2/products?limit=1").as(key).send().expect(200);

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> api.get("/v2/products?limit=1").as(key).send().status() == 401);
        expectRejected(api.get("/v2/products?limit=1").as(key).send());
        assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
    }

    // ---- ownership ----

    @Test
    void keyOwnedByAUserShowsItsOwnerAndWorks() {
        String userId = aUser().withoutEmail().create();

        JsonNode created = create("""
                {"name": "%s", "scopes": ["users:read"], "user_id": "%s"}""".formatted(uniqueName("owned"), userId));

        assertThat(created.get("user_id").asString()).isEqualTo(userId);
        api.get("/v2/users/" + userId).as(created.get("key").asString()).send().expect(200);
        JsonNode listed = api.get("/v2/api-keys/" + created.get("id").asString())
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(listed.get("user_id").asString()).isEqualTo(userId);
    }

    // ---- rate limits ----

    @Test
    void keyCanHaveARateLimitOfItsOwn() {
        JsonNode created = create("""
                {"name": "%s", "scopes": ["products:read"], "rate_limit_per_minute": 600}""".formatted(uniqueName("throttled")));
        String id = created.get("id").asString();

        assertThat(created.get("rate_limit_per_minute").asInt()).isEqualTo(600);
        assertThat(api.get("/v2/api-keys/" + id)
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .get("rate_limit_per_minute")
                        .asInt())
                .isEqualTo(600);
        JsonNode listed = find(
                api.get("/v2/api-keys?limit=100").asAdmin().send().expect(200).json(), id);
        assertThat(listed.get("rate_limit_per_minute").asInt()).isEqualTo(600);
        api.get("/v2/products?limit=1").as(created.get("key").asString()).send().expect(200);
    }

    @Test
    void keyWithoutARateLimitHasTheServerDefault() {
        JsonNode created = create("""
                {"name": "%s", "scopes": ["products:read"]}""".formatted(uniqueName("default limit")));
        assertThat(created.has("rate_limit_per_minute")).isFalse();
    }

    @Test
    void rateLimitOutOfRangeIsRejected() {
        for (String value : List.of("0", "-5", "1000001", "1.5", "\"60\"")) {
            JsonNode error = api.post("/v2/api-keys", """
                    {"name": "bad limit", "scopes": ["products:read"], "rate_limit_per_minute": %s}""".formatted(value))
                    .asAdmin()
                    .send()
                    .expectError(400, "INVALID_PARAMETER");
            assertThat(error.get("details").asString()).as(value).isEqualTo("rate_limit_per_minute (integer)");
        }
        create("""
                {"name": "%s", "scopes": ["products:read"], "rate_limit_per_minute": 1000000}""".formatted(uniqueName("largest limit")));
    }

    // ---- validation ----

    @Test
    void unknownScopeIsRejected() {
        JsonNode error = api.post("/v2/api-keys", """
                {"name": "bad scope", "scopes": ["products:read", "products:delete"]}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("message").asString()).contains("products:delete");
        assertThat(error.get("details").asString()).isEqualTo("scopes (array)");
    }

    @Test
    void emptyScopesAreRejected() {
        JsonNode error = api.post("/v2/api-keys", """
                {"name": "no scopes", "scopes": []}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo("scopes (array)");
    }

    @Test
    void missingNameIsRejected() {
        JsonNode error = api.post("/v2/api-keys", """
                {"scopes": ["products:read"]}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo("name (string)");
        api.post("/v2/api-keys", """
                {"name": "  ", "scopes": ["products:read"]}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
    }

    @Test
    void expiryInThePastIsRejected() {
        JsonNode error = api.post("/v2/api-keys", """
                {"name": "expired", "scopes": ["products:read"], "expires_at": "%s"}""".formatted(
                                Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS)))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo("expires_at (string)");
        assertThat(error.get("message").asString()).isEqualTo("The 'expires_at' parameter must be in the future.");
    }

    @Test
    void malformedExpiryIsRejected() {
        JsonNode error = api.post("/v2/api-keys", """
                {"name": "bad date", "scopes": ["products:read"], "expires_at": "tomorrow"}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo("expires_at (string)");
    }

    @Test
    void unknownOwnerIsRejectedWith404() {
        JsonNode error = api.post("/v2/api-keys", """
                {"name": "orphan", "scopes": ["products:read"], "user_id": "usr_doesnotexist"}""").asAdmin().send().expectError(404, "NOT_FOUND");
        assertThat(error.get("details").asString()).isEqualTo("usr_doesnotexist");
    }

    @Test
    void unknownFieldIsRejected() {
        JsonNode error = api.post("/v2/api-keys", """
                {"name": "extra", "scopes": ["products:read"], "key": "mk_mine"}""").asAdmin().send().expectError(400, "UNKNOWN_FIELD");
        assertThat(error.get("details").asString()).isEqualTo("key (string)");
    }

    // ---- fixtures ----

    private String createKey(String... scopes) {
        String list = String.join("\", \"", scopes);
        return create("""
                {"name": "%s", "scopes": ["%s"]}""".formatted(uniqueName("it key"), list)).get("key").asString();
    }

    private JsonNode create(String body) {
        return api.post("/v2/api-keys", body).asAdmin().send().expect(201).json();
    }

    /** Any bad credential: 401 with a Bearer challenge that says the token is invalid. */
    private static void expectRejected(Response response) {
        response.expectError(401, "INVALID_TOKEN");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
    }

    /** A key of the documented form, mk_ + 32 base62 + CRC32 checksum, that the server never issued. */
    private static String wellFormedUnknownKey() {
        String random = UUID.randomUUID().toString().replace("-", "");
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        return "mk_" + random + Ids.base62(crc.getValue(), 6);
    }

    private static String uniqueName(String stem) {
        return stem + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asString)
                .toList();
    }
}
