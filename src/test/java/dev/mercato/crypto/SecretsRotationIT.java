package dev.mercato.crypto;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.mercato.support.Api;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.ServerProcesses;
import dev.mercato.support.TestProviders;
import dev.mercato.support.WebhookReceiver;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import tools.jackson.databind.JsonNode;

/**
 * A key's rotation as docs/security.md tells the operator to do it, on server processes of the built jar and a
 * database of their own: what a server sealed under the old key does not open once that key is gone (the server
 * refuses to start, saying which settings to give); with the new key and the old one as previous, it opens and is
 * sealed again under the new one at start; after that the old key is not needed. Each time, tokens are signed with
 * the same signing key, deliveries with the same webhook secret, and the push gateway gets the same token.
 */
class SecretsRotationIT extends ApiTestSupport {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    private ServerProcesses servers;
    private final String database =
            "secrets_rotation_" + UUID.randomUUID().toString().replace("-", "");

    @AfterEach
    void stopServersAndDropTheirDatabase() throws InterruptedException {
        if (servers != null) {
            servers.stopAll();
        }
        jdbc.sql("drop database if exists " + database + " with (force)").update();
    }

    @Test
    void aRotatedKeyOpensWhatItSealedWhileItIsAPreviousKeyAndIsNotNeededOnceAllIsSealedAgain() throws Exception {
        jdbc.sql("create database " + database).update();
        DataSource rotationDatabase = otherDatabase(database);
        JdbcClient stored = JdbcClient.create(rotationDatabase);
        servers = new ServerProcesses(rotationDatabase);
        String oldKey = newKey();
        String newKey = newKey();

        // A server on the old key: a signing key, a webhook secret and an integration secret, sealed under it.
        Api first = start("rotation-old", Map.of("MERCATO_ENCRYPTION_KEY", oldKey));
        String signingKey = kid(ClientTokens.issue(first, "before the rotation"));
        String path = TestWebhooks.receiverPath();
        JsonNode webhook = TestWebhooks.subscribe(first, path);
        String pushToken = "push-token-" + UUID.randomUUID();
        first.put("/v2/integrations/push", "{\"token\": \"" + pushToken + "\"}")
                .asAdmin()
                .send()
                .expect(200);
        servers.stopAll();
        assertThat(keyIds(stored)).containsExactly(keyId(oldKey));

        // The old key dropped too soon: nothing it sealed opens, and the server says what to configure.
        assertThat(servers.failsToStart("rotation-too-soon", Map.of("MERCATO_ENCRYPTION_KEY", newKey)))
                .contains("cannot be opened")
                .contains("mercato.encryption-previous-keys");
        assertThat(keyIds(stored)).containsExactly(keyId(oldKey));

        // The new key, the old one as previous: everything opens, and is sealed again under the new key.
        Api rotated = start(
                "rotation-new", Map.of("MERCATO_ENCRYPTION_KEY", newKey, "MERCATO_ENCRYPTION_PREVIOUS_KEYS", oldKey));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(keyIds(stored)).containsExactly(keyId(newKey)));
        assertStillUsable(rotated, signingKey, webhook, path, pushToken);
        servers.stopAll();

        // The old key removed: nothing needs it any more.
        Api done = start("rotation-done", Map.of("MERCATO_ENCRYPTION_KEY", newKey));
        assertStillUsable(done, signingKey, webhook, path, pushToken);
        assertThat(keyIds(stored)).containsExactly(keyId(newKey));
    }

    private void assertStillUsable(Api server, String signingKey, JsonNode webhook, String path, String pushToken)
            throws Exception {
        String token = ClientTokens.issue(server, "after the rotation " + UUID.randomUUID());
        assertThat(kid(token)).as("signed by the same key, opened").isEqualTo(signingKey);
        server.get("/v2/products?limit=1").as(token).send().expect(200);

        String id = webhook.get("id").asString();
        assertThat(WebhookReceiver.signedWith(
                        TestWebhooks.deliverTest(server, id, path),
                        webhook.get("secret").asString()))
                .isTrue();

        String user = "usr_rotation_" + UUID.randomUUID();
        TestProviders.HTTP.stubFor(post(urlEqualTo("/push"))
                .withRequestBody(matchingJsonPath("$.user_id", equalTo(user)))
                .willReturn(aResponse().withStatus(202)));
        JsonNode test = server.post("/v2/integrations/push/test", "{\"user_id\": \"" + user + "\"}")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(test.get("ok").asBoolean()).as(test.toString()).isTrue();
        TestProviders.HTTP.verify(
                1,
                postRequestedFor(urlEqualTo("/push"))
                        .withHeader("Authorization", equalTo("Bearer " + pushToken))
                        .withRequestBody(matchingJsonPath("$.user_id", equalTo(user))));
    }

    private Api start(String name, Map<String, String> keys) throws Exception {
        Map<String, String> settings = new HashMap<>(keys);
        settings.put("MERCATO_ADMIN_API_KEY", ApiTestSupport.ADMIN_KEY);
        settings.put("MERCATO_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
        return Api.forPort(
                servers.start(name, TestProviders.serverEnvironment(settings)).port());
    }

    /** The ids of the keys every sealed value in the database names (its bytes 1 to 4). */
    private static Set<String> keyIds(JdbcClient stored) {
        Stream<byte[]> signingKeys =
                stored.sql("select private_key from oauth_signing_keys").query(byte[].class).list().stream();
        Stream<byte[]> webhookSecrets =
                stored.sql("select secret from webhook_subscriptions").query(String.class).list().stream()
                        .map(secret -> Base64.getDecoder().decode(secret.substring("sealed:".length())));
        Stream<byte[]> integrationSecrets =
                stored
                        .sql("select secrets from integrations where secrets is not null")
                        .query(byte[].class)
                        .list()
                        .stream();
        return Stream.of(signingKeys, webhookSecrets, integrationSecrets)
                .flatMap(values -> values)
                .map(value -> HexFormat.of().formatHex(Arrays.copyOfRange(value, 1, 5)))
                .collect(Collectors.toSet());
    }

    /** As SecretBox names a key: the first 4 bytes of its SHA-256. */
    private static String keyId(String base64) throws Exception {
        byte[] digest =
                MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64));
        return HexFormat.of().formatHex(Arrays.copyOf(digest, 4));
    }

    private static String newKey() {
        byte[] key = new byte[SecretBox.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    /** Another database on the test server's PostgreSQL. */
    private DataSource otherDatabase(String name) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            String url = connection.getMetaData().getURL().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
            return new SimpleDriverDataSource(
                    new org.postgresql.Driver(), url, connection.getMetaData().getUserName(), "");
        }
    }
}
