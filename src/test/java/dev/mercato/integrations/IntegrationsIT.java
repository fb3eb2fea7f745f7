package dev.mercato.integrations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.crypto.SecretBox;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.ClearValues;
import dev.mercato.support.JsonLists;
import dev.mercato.support.TestProviders;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The integrations API over HTTP. The email, SMS and push settings written here point at the same test providers
 * as the server's configuration, and every row is removed after each test, so other tests' deliveries are unaffected.
 */
class IntegrationsIT extends ApiTestSupport {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IntegrationSettings settings;

    @AfterEach
    void restoreConfiguration() {
        jdbc.sql("delete from integrations").update();
        Catalogue.ALL.forEach(definition -> settings.forget(definition.id()));
    }

    @Test
    void listShowsAllSixWithTheirStatusAndNoSecret() {
        JsonNode list = api.get("/v2/integrations").asAdmin().send().expect(200).json();

        assertThat(JsonLists.ids(list)).containsExactly("simulated", "stripe", "smtp", "sms", "push", "webhooks");
        assertThat(status(list, "simulated")).isEqualTo("active");
        assertThat(JsonLists.find(list, "simulated").get("category").asString()).isEqualTo("payments");
        assertThat(status(list, "stripe")).isEqualTo("not_configured");
        assertThat(JsonLists.find(list, "stripe")
                        .get("settings")
                        .get("api_key_set")
                        .asBoolean())
                .isFalse();
        assertThat(status(list, "smtp")).isEqualTo("active");
        assertThat(status(list, "sms")).isEqualTo("active");
        assertThat(status(list, "push")).isEqualTo("active");
        assertThat(status(list, "webhooks")).isEqualTo("active");
        // The shared test server allows private webhook targets (its receivers listen on 127.0.0.1).
        assertThat(JsonLists.find(list, "webhooks")
                        .get("settings")
                        .get("allow_private_targets")
                        .asBoolean())
                .isTrue();

        JsonNode sms = JsonLists.find(list, "sms");
        assertThat(sms.get("settings").get("account_sid").asString()).isEqualTo(TestProviders.SMS_ACCOUNT);
        assertThat(sms.get("settings").get("auth_token_set").asBoolean()).isTrue();
        assertThat(sms.has("last_test")).as("never tested: left out").isFalse();
        assertThat(sms.has("updated_at"))
                .as("never changed through the API: left out")
                .isFalse();
        assertThat(JsonLists.find(list, "smtp").get("settings").get("port").asInt())
                .isEqualTo(TestProviders.SMTP.getSmtp().getPort());
        assertThat(list.toString()).doesNotContain(TestProviders.SMS_TOKEN).doesNotContain(TestProviders.PUSH_TOKEN);
    }

    @Test
    void readsAndWritesAreConditional() {
        String pushUrl = TestProviders.HTTP.baseUrl() + "/push";
        String etag =
                api.get("/v2/integrations/push").asAdmin().send().expect(200).header("ETag");

        api.get("/v2/integrations/push")
                .asAdmin()
                .header("If-None-Match", etag)
                .send()
                .expect(304);
        String changed = api.put("/v2/integrations/push", "{\"url\": \"" + pushUrl + "\"}")
                .asAdmin()
                .header("If-Match", etag)
                .send()
                .expect(200)
                .header("ETag");

        assertThat(changed).isNotEqualTo(etag);
        api.put("/v2/integrations/push", "{\"url\": \"" + pushUrl + "?stale=1\"}")
                .asAdmin()
                .header("If-Match", etag)
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        JsonNode current =
                api.get("/v2/integrations/push").asAdmin().send().expect(200).json();
        assertThat(current.get("settings").get("url").asString())
                .as("the stale write changed nothing")
                .isEqualTo(pushUrl);
        api.get("/v2/integrations/push")
                .asAdmin()
                .header("If-None-Match", changed)
                .send()
                .expect(304);
    }

    @Test
    void unknownIntegrationIs404() {
        api.get("/v2/integrations/fax").asAdmin().send().expectError(404, "NOT_FOUND");
        api.put("/v2/integrations/fax", "{}").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void invalidSettingsAre400AndNothingIsStored() {
        assertThat(api.put("/v2/integrations/smtp", "{\"host\": \"127.0.0.1\", \"hostname\": \"x\"}")
                        .asAdmin()
                        .send()
                        .expectError(400, "UNKNOWN_FIELD")
                        .get("details")
                        .asString())
                .isEqualTo("hostname (string)");
        assertThat(api.put("/v2/integrations/smtp", "{\"port\": 70000}")
                        .asAdmin()
                        .send()
                        .expectError(400, "INVALID_PARAMETER")
                        .get("details")
                        .asString())
                .isEqualTo("port (integer)");
        api.put("/v2/integrations/smtp", "{\"port\": \"25\"}").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(api.put("/v2/integrations/smtp", "{\"from\": \"not an email\"}")
                        .asAdmin()
                        .send()
                        .expectError(400, "INVALID_PARAMETER")
                        .get("details")
                        .asString())
                .isEqualTo("from (string)");
        assertThat(api.put("/v2/integrations/push", "{\"url\": \"/relative/path\"}")
                        .asAdmin()
                        .send()
                        .expectError(400, "INVALID_PARAMETER")
                        .get("details")
                        .asString())
                .isEqualTo("url (string)");
        api.put("/v2/integrations/push", "{\"url\": \"ftp://push.example.com\"}")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(api.put("/v2/integrations/sms", "{\"from\": \"5550001111\"}")
                        .asAdmin()
                        .send()
                        .expectError(400, "INVALID_PARAMETER")
                        .get("details")
                        .asString())
                .isEqualTo("from (string)");
        api.put("/v2/integrations/sms", "{\"auth_token_set\": true}")
                .asAdmin()
                .send()
                .expectError(400, "UNKNOWN_FIELD");
        api.put("/v2/integrations/sms", "[]").asAdmin().send().expectError(400, "MALFORMED_JSON");

        assertThat(jdbc.sql("select count(*) from integrations")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void smsTokenIsWriteOnlyAndEncryptedAtRest() {
        JsonNode sms = api.put(
                        "/v2/integrations/sms", smsSettings("\"auth_token\": \"" + TestProviders.SMS_TOKEN + "\""))
                .asAdmin()
                .send()
                .expect(200)
                .json();

        assertThat(sms.get("status").asString()).isEqualTo("active");
        assertThat(sms.get("settings").get("auth_token_set").asBoolean()).isTrue();
        assertThat(sms.get("settings").has("auth_token")).isFalse();
        assertThat(sms.get("updated_at").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(sms.toString()).doesNotContain(TestProviders.SMS_TOKEN);
        byte[] stored = storedSecrets("sms");
        assertThat(stored).isNotNull();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(TestProviders.SMS_TOKEN);
        assertThat(jdbc.sql("select settings::text from integrations where id = 'sms'")
                        .query(String.class)
                        .single())
                .doesNotContain(TestProviders.SMS_TOKEN)
                .contains(TestProviders.SMS_ACCOUNT);

        // Left out: the stored token stays (re-encrypted under a fresh nonce). Null: it is removed.
        api.put("/v2/integrations/sms", smsSettings(null)).asAdmin().send().expect(200);
        assertThat(storedSecrets("sms")).isNotNull().isNotEqualTo(stored);
        api.put("/v2/integrations/sms", smsSettings("\"auth_token\": null"))
                .asAdmin()
                .send()
                .expect(200);
        assertThat(storedSecrets("sms")).isNull();
    }

    @Test
    void aStoredSecretIsNotSentToANewDestinationUnlessGivenWithIt() {
        api.put("/v2/integrations/sms", smsSettings("\"auth_token\": \"" + TestProviders.SMS_TOKEN + "\""))
                .asAdmin()
                .send()
                .expect(200);
        byte[] stored = storedSecrets("sms");
        String elsewhere = """
                {"base_url": "http://127.0.0.2:9", "account_sid": "%s", "from": "%s"}""".formatted(TestProviders.SMS_ACCOUNT, TestProviders.SMS_FROM);

        JsonNode error = api.put("/v2/integrations/sms", elsewhere)
                .as(anApiKey(null, "integrations:write", "integrations:read"))
                .send()
                .expectError(400, "INVALID_PARAMETER");

        assertThat(error.get("message").asString())
                .contains("'auth_token' must be sent again when the 'base_url' changes");
        assertThat(error.get("details").asString()).isEqualTo("auth_token (string)");
        assertThat(storedSecrets("sms")).isEqualTo(stored);
        assertThat(api.get("/v2/integrations/sms")
                        .asAdmin()
                        .send()
                        .json()
                        .get("settings")
                        .get("base_url")
                        .asString())
                .isEqualTo(TestProviders.HTTP.baseUrl());

        // Given with it (or removed), the change is made; the same destination keeps the stored secret.
        api.put("/v2/integrations/sms", smsSettings(null)).asAdmin().send().expect(200);
        api.put("/v2/integrations/sms", elsewhere.replace("}", ", \"auth_token\": \"new-token\"}"))
                .asAdmin()
                .send()
                .expect(200);
        api.put("/v2/integrations/sms", smsSettings("\"auth_token\": null"))
                .asAdmin()
                .send()
                .expect(200);
    }

    @Test
    void smtpTestSendsOneEmailWithTheStoredSender() throws Exception {
        String to = "integration-" + UUID.randomUUID() + "@example.com";
        api.put("/v2/integrations/smtp", """
                {"host": "127.0.0.1", "port": %d, "from": "Integration Test <integration-test@example.com>"}""".formatted(
                                TestProviders.SMTP.getSmtp().getPort()))
                .asAdmin()
                .send()
                .expect(200);

        JsonNode result = api.post("/v2/integrations/smtp/test", "{\"to\": \"" + to + "\"}")
                .asAdmin()
                .send()
                .expect(200)
                .json();

        assertThat(result.get("ok").asBoolean()).isTrue();
        assertThat(result.has("error")).as("passed: no error, left out").isFalse();
        List<MimeMessage> received = Arrays.stream(TestProviders.SMTP.getReceivedMessages())
                .filter(message -> recipients(message).contains(to))
                .toList();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getFrom()[0].toString()).contains("integration-test@example.com");
        JsonNode smtp =
                api.get("/v2/integrations/smtp").asAdmin().send().expect(200).json();
        assertThat(smtp.get("status").asString()).isEqualTo("active");
        assertThat(smtp.get("last_test").get("ok").asBoolean()).isTrue();
    }

    @Test
    void smsTestSendsThroughTheProvider() {
        String to = "+1555" + (1_000_000 + new SecureRandom().nextInt(8_999_999));
        TestProviders.HTTP.stubFor(post(urlEqualTo(TestProviders.smsPath()))
                .withRequestBody(containing("To=%2B" + to.substring(1)))
                .willReturn(aResponse().withStatus(201).withBody("{\"sid\": \"SM1\"}")));
        api.put("/v2/integrations/sms", smsSettings("\"auth_token\": \"" + TestProviders.SMS_TOKEN + "\""))
                .asAdmin()
                .send()
                .expect(200);

        JsonNode result = api.post("/v2/integrations/sms/test", "{\"to\": \"" + to + "\"}")
                .asAdmin()
                .send()
                .expect(200)
                .json();

        assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
        TestProviders.HTTP.verify(
                1,
                postRequestedFor(urlEqualTo(TestProviders.smsPath()))
                        .withRequestBody(containing("To=%2B" + to.substring(1))));
    }

    @Test
    void pushTestSendsThroughTheGateway() {
        String user = "usr_it_" + UUID.randomUUID();
        TestProviders.HTTP.stubFor(post(urlEqualTo("/push"))
                .withRequestBody(matchingJsonPath("$.user_id", equalTo(user)))
                .willReturn(aResponse().withStatus(202)));

        JsonNode result = api.post("/v2/integrations/push/test", "{\"user_id\": \"" + user + "\"}")
                .asAdmin()
                .send()
                .expect(200)
                .json();

        assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
        TestProviders.HTTP.verify(
                1,
                postRequestedFor(urlEqualTo("/push"))
                        .withHeader("Authorization", equalTo("Bearer " + TestProviders.PUSH_TOKEN))
                        .withRequestBody(matchingJsonPath("$.user_id", equalTo(user))));
    }

    @Test
    void aFailedTestIsRecordedAndPutsTheIntegrationInError() {
        String user = "usr_it_" + UUID.randomUUID();
        TestProviders.HTTP.stubFor(post(urlEqualTo("/push"))
                .withRequestBody(matchingJsonPath("$.user_id", equalTo(user)))
                .willReturn(aResponse().withStatus(500).withBody("gateway down")));

        JsonNode result = api.post("/v2/integrations/push/test", "{\"user_id\": \"" + user + "\"}")
                .asAdmin()
                .send()
                .expect(200)
                .json();

        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("error").asString())
                .as("the status, never the provider's own words")
                .isEqualTo("The push gateway answered HTTP 500.");
        JsonNode push =
                api.get("/v2/integrations/push").asAdmin().send().expect(200).json();
        assertThat(push.get("status").asString()).isEqualTo("error");
        assertThat(push.get("last_test").get("ok").asBoolean()).isFalse();
        assertThat(push.get("last_test").get("error").asString()).contains("500");
        assertThat(push.get("status_reason").asString()).contains("last test failed");
    }

    @Test
    void secretsUnderAnotherKeyShowAsErrorNotAsAServerFailure() {
        byte[] foreign = new SecretBox(new byte[SecretBox.KEY_BYTES], List.of())
                .seal("push", "{\"token\": \"x\"}".getBytes(StandardCharsets.UTF_8));
        assertPushInErrorWithStoredSecrets(foreign);
        JsonNode test = api.post("/v2/integrations/push/test", "{\"user_id\": \"usr_x\"}")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(test.get("ok").asBoolean()).isFalse();
        assertThat(test.get("error").asString()).contains("cannot be decrypted");
        api.put("/v2/integrations/push", "{\"url\": \"" + TestProviders.HTTP.baseUrl() + "/push\"}")
                .asAdmin()
                .send()
                .expectError(409, "SECRETS_UNREADABLE");
    }

    @Test
    void secretsAreNowhereInClearAndOpenForTheirOwnIntegrationOnly() {
        String token = "sms-token-" + UUID.randomUUID();
        api.put("/v2/integrations/sms", smsSettings("\"auth_token\": \"" + token + "\""))
                .asAdmin()
                .send()
                .expect(200);
        assertThat(ClearValues.whereStored(jdbc, token)).isEmpty();

        // The SMS integration's sealed secrets copied to the push integration's row do not open there.
        assertPushInErrorWithStoredSecrets(storedSecrets("sms"));
        assertThat(status(
                        api.get("/v2/integrations").asAdmin().send().expect(200).json(), "sms"))
                .isEqualTo("active");
    }

    @Test
    void paymentsAndWebhooksAreConfiguredByTheServerOnly() {
        for (String id : List.of("stripe", "simulated", "webhooks")) {
            api.put("/v2/integrations/" + id, "{}").asAdmin().send().expectError(409, "NOT_CONFIGURABLE");
        }
        api.post("/v2/integrations/webhooks/test", "{}").asAdmin().send().expectError(409, "NOT_TESTABLE");
        JsonNode simulated = api.post("/v2/integrations/simulated/test", "{}")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(simulated.get("ok").asBoolean()).isTrue();
        JsonNode stripe = api.post("/v2/integrations/stripe/test", "{}")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(stripe.get("ok").asBoolean()).isFalse();
        assertThat(stripe.get("error").asString()).contains("mercato.payments.stripe.api-key");
        assertThat(api.get("/v2/integrations/stripe")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("not_configured");
    }

    @Test
    void testTargetsAreValidated() {
        api.post("/v2/integrations/smtp/test", "{\"to\": \"nobody\"}")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        api.post("/v2/integrations/smtp/test", "{}").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.post("/v2/integrations/sms/test", "{\"to\": \"555\"}")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        api.post("/v2/integrations/push/test", "{\"to\": \"x\"}")
                .asAdmin()
                .send()
                .expectError(400, "UNKNOWN_FIELD");
        assertThat(jdbc.sql("select count(*) from integrations")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void writingNeedsTheIntegrationsWriteScope() {
        String reader = key("integrations:read");
        api.get("/v2/integrations").as(reader).send().expect(200);
        api.get("/v2/integrations/smtp").as(reader).send().expect(200);
        api.put("/v2/integrations/push", "{}").as(reader).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.post("/v2/integrations/simulated/test", "{}").as(reader).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.get("/v2/integrations").as(key("orders:read")).send().expectError(403, "INSUFFICIENT_SCOPE");
        assertThat(jdbc.sql("select count(*) from integrations")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private String key(String scope) {
        return api.post("/v2/api-keys", "{\"name\": \"integrations-it\", \"scopes\": [\"" + scope + "\"]}")
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();
    }

    private static String smsSettings(String secret) {
        return """
                {"base_url": "%s", "account_sid": "%s", "from": "%s"%s}""".formatted(
                        TestProviders.HTTP.baseUrl(),
                        TestProviders.SMS_ACCOUNT,
                        TestProviders.SMS_FROM,
                        secret == null ? "" : ", " + secret);
    }

    /** The push integration stored with {@code secrets} that do not open: in error, saying so, never a 500. */
    private void assertPushInErrorWithStoredSecrets(byte[] secrets) {
        jdbc.sql("insert into integrations (id, settings, secrets, updated_at) values ('push', '{}', :secrets, now())")
                .param("secrets", secrets)
                .update();
        settings.forget("push");

        JsonNode push =
                api.get("/v2/integrations/push").asAdmin().send().expect(200).json();
        assertThat(push.get("status").asString()).isEqualTo("error");
        assertThat(push.get("status_reason").asString()).contains("cannot be decrypted");
    }

    private byte[] storedSecrets(String id) {
        return jdbc.sql("select secrets from integrations where id = :id")
                .param("id", id)
                .query((rs, row) -> rs.getBytes(1))
                .list()
                .get(0);
    }

    private static String status(JsonNode list, String id) {
        return JsonLists.find(list, id).get("status").asString();
    }

    private static String recipients(MimeMessage message) {
        try {
            return Arrays.toString(message.getRecipients(Message.RecipientType.TO));
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
