package dev.mercato.notifications;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.mercato.support.TestProviders.HTTP;
import static dev.mercato.support.TestProviders.SMTP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import dev.mercato.support.TestProviders;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Notifications over HTTP, delivered for real: email to an SMTP server, SMS and push to HTTP provider stubs. */
class NotificationsIT extends ApiTestSupport {

    @Autowired
    JdbcClient jdbc;

    private String pushPath;

    @BeforeEach
    void providers() {
        HTTP.resetAll();
        pushPath = "/push";
    }

    // ---- delivered ----

    @Test
    void anEmailIsSentOnceToTheUserWithItsSubjectAndMessage() throws Exception {
        String email = unique() + "@example.com";
        String user = aUser().withEmail(email).create();

        Response accepted = api.post("/v2/notifications", """
                {"user_id": "%s", "type": "email", "subject": "Hello there", "message": "Your order has shipped!",
                 "priority": "high"}""".formatted(user))
                .asAdmin()
                .send()
                .expect(202);

        JsonNode body = accepted.json();
        String id = body.get("id").asString();
        assertThat(id).startsWith("ntf_");
        assertThat(accepted.header("Location")).isEqualTo("/v2/notifications/" + id);
        assertThat(body.get("status").asString()).isEqualTo("queued");
        assertThat(body.get("recipient").asString()).isEqualTo(email);
        JsonNode sent = awaitStatus(id, "sent");
        assertThat(sent.get("attempts").asInt()).isEqualTo(1);
        assertThat(sent.get("sent_at").isNull()).isFalse();
        List<MimeMessage> received = messagesTo(email);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getSubject()).isEqualTo("Hello there");
        assertThat(((String) received.get(0).getContent()).strip()).isEqualTo("Your order has shipped!");
        assertThat(received.get(0).getHeader("X-Mercato-Notification-Id")).containsExactly(id);
        String etag =
                api.get("/v2/notifications/" + id).asAdmin().send().expect(200).header("ETag");
        api.get("/v2/notifications/" + id)
                .asAdmin()
                .header("If-None-Match", etag)
                .send()
                .expect(304);
    }

    @Test
    void v1SendsAnSmsThroughTheProvider() {
        String user = aUser().withPhone("+15557654321").create();
        HTTP.stubFor(post(urlEqualTo(TestProviders.smsPath()))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"sid\": \"SM123\"}")));

        Response accepted = api.post("/notifications/send", """
                {"userId": "%s", "type": "sms", "subject": "ignored for SMS", "message": "Code 1234"}""".formatted(user))
                .asAdmin()
                .send()
                .expect(202);

        String id = accepted.json().get("id").asString();
        assertThat(accepted.json().get("userId").asString()).isEqualTo(user);
        awaitStatus(id, "sent");
        HTTP.verify(
                1,
                postRequestedFor(urlEqualTo(TestProviders.smsPath()))
                        .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials(
                                TestProviders.SMS_ACCOUNT, TestProviders.SMS_TOKEN))
                        .withRequestBody(containing("To=%2B15557654321"))
                        .withRequestBody(containing("From=%2B15550001111"))
                        .withRequestBody(containing("Body=Code+1234")));
    }

    @Test
    void aPushGoesToTheGatewayWithItsIdAsIdempotencyKey() {
        String user = aUser().create();
        HTTP.stubFor(post(urlEqualTo(pushPath)).willReturn(aResponse().withStatus(200)));

        String id = sendPush(user, "Flash sale!", "normal");

        awaitStatus(id, "sent");
        HTTP.verify(
                1,
                postRequestedFor(urlEqualTo(pushPath))
                        .withHeader("Authorization", equalTo("Bearer " + TestProviders.PUSH_TOKEN))
                        .withHeader("Idempotency-Key", equalTo(id))
                        .withRequestBody(matchingJsonPath("$.user_id", equalTo(user)))
                        .withRequestBody(matchingJsonPath("$.message", equalTo("Flash sale!"))));
    }

    // ---- retried, then failed ----

    @Test
    void aProviderFailingTwiceThenSucceedingDeliversOnceInThreeAttempts() {
        String user = aUser().create();
        HTTP.stubFor(post(urlEqualTo(pushPath))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("failed once"));
        HTTP.stubFor(post(urlEqualTo(pushPath))
                .inScenario("flaky")
                .whenScenarioStateIs("failed once")
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("failed twice"));
        HTTP.stubFor(post(urlEqualTo(pushPath))
                .inScenario("flaky")
                .whenScenarioStateIs("failed twice")
                .willReturn(aResponse().withStatus(202)));

        String id = sendPush(user, "Third time lucky", "normal");

        JsonNode sent = awaitStatus(id, "sent");
        assertThat(sent.get("attempts").asInt()).isEqualTo(3);
        assertThat(sent.has("last_error")).as("the error is gone once sent").isFalse();
        HTTP.verify(3, postRequestedFor(urlEqualTo(pushPath)));
    }

    @Test
    void aProviderAlwaysFailingEndsFailedWithItsError() {
        String user = aUser().create();
        HTTP.stubFor(post(urlEqualTo(pushPath))
                .willReturn(aResponse().withStatus(502).withBody("gateway down")));

        String id = sendPush(user, "Never arrives", "normal");

        JsonNode failed = awaitStatus(id, "failed");
        assertThat(failed.get("attempts").asInt())
                .as("mercato.notifications.max-attempts")
                .isEqualTo(4);
        assertThat(failed.get("last_error").asString())
                .as("the status, never the provider's own words")
                .isEqualTo("The push gateway answered HTTP 502.");
        HTTP.verify(4, postRequestedFor(urlEqualTo(pushPath)));
    }

    @Test
    void aProviderRefusingTheMessageFailsItWithoutRetrying() {
        String user = aUser().create();
        HTTP.stubFor(post(urlEqualTo(pushPath))
                .willReturn(aResponse().withStatus(400).withBody("unknown device")));

        String id = sendPush(user, "Refused", "normal");

        JsonNode failed = awaitStatus(id, "failed");
        assertThat(failed.get("attempts").asInt()).isEqualTo(1);
        assertThat(failed.get("last_error").asString()).isEqualTo("The push gateway answered HTTP 400.");
    }

    @Test
    void aTimeoutIsRetried() {
        String user = aUser().create();
        HTTP.stubFor(post(urlEqualTo(pushPath))
                .inScenario("slow")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withFixedDelay(3_000))
                .willSetStateTo("fast"));
        HTTP.stubFor(post(urlEqualTo(pushPath))
                .inScenario("slow")
                .whenScenarioStateIs("fast")
                .willReturn(aResponse().withStatus(200)));

        String id = sendPush(user, "Slow gateway", "normal");

        JsonNode sent = awaitStatus(id, "sent");
        assertThat(sent.get("attempts").asInt()).isEqualTo(2);
    }

    // ---- retried by hand ----

    @Test
    void aFailedNotificationRetriedOnceTheProviderRecoveredIsSentOnce() {
        String user = aUser().create();
        HTTP.stubFor(post(urlEqualTo(pushPath)).willReturn(aResponse().withStatus(502)));
        String id = sendPush(user, "Back in stock", "high");
        awaitStatus(id, "failed");
        HTTP.stubFor(post(urlEqualTo(pushPath)).willReturn(aResponse().withStatus(200)));

        Response retried = api.post("/v2/notifications/" + id + "/retry", "")
                .asAdmin()
                .send()
                .expect(202);

        assertThat(retried.header("Location")).isEqualTo("/v2/notifications/" + id);
        assertThat(retried.json().get("status").asString()).isEqualTo("queued");
        JsonNode sent = awaitStatus(id, "sent");
        assertThat(sent.get("attempts").asInt())
                .as("4 failed, then the retry's")
                .isEqualTo(5);
        assertThat(sent.has("last_error")).isFalse();
        HTTP.verify(5, postRequestedFor(urlEqualTo(pushPath)));
        api.post("/v2/notifications/" + id + "/retry", "").asAdmin().send().expectError(409, "NOTIFICATION_SENT");
    }

    @Test
    void retryingNeedsTheScopeAndAnExistingNotification() {
        String key = anApiKey(null, "products:read");
        String user = aUser().create();
        HTTP.stubFor(post(urlEqualTo(pushPath)).willReturn(aResponse().withStatus(400)));
        String id = sendPush(user, "Refused", "normal");
        awaitStatus(id, "failed");

        api.post("/v2/notifications/" + id + "/retry", "").as(key).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.post("/v2/notifications/ntf_doesnotexist/retry", "")
                .asAdmin()
                .send()
                .expectError(404, "NOT_FOUND");
        assertThat(api.get("/v2/notifications/" + id)
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("failed");
    }

    // ---- refused at once, nothing written ----

    @Test
    void invalidNotificationsAreRefusedAndNothingIsQueued() {
        String noPhone = aUser().create();
        String noEmail = aUser().withoutEmail().withPhone("+15551112222").create();
        long before = count();

        JsonNode unknownUser =
                api.post("/v2/notifications", """
                {"user_id": "usr_doesnotexist", "type": "email", "message": "hi"}""").asAdmin().send().expectError(400, "USER_NOT_FOUND");
        assertThat(unknownUser.get("details").asString()).isEqualTo("user_id (string)");
        api.post("/notifications/send", """
                {"userId": "usr_doesnotexist", "type": "email", "message": "hi"}""").asAdmin().send().expectError(400, "USER_NOT_FOUND");
        api.post("/v2/notifications", """
                {"user_id": "%s", "type": "sms", "message": "hi"}""".formatted(noPhone)).asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.post("/v2/notifications", """
                {"user_id": "%s", "type": "email", "message": "hi"}""".formatted(noEmail)).asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.post("/v2/notifications", """
                {"user_id": "%s", "type": "push", "message": "   "}""".formatted(noPhone)).asAdmin().send().expect(400);
        api.post("/v2/notifications", """
                {"user_id": "%s", "type": "push", "message": "%s"}""".formatted(noPhone, "x".repeat(10_001)))
                .asAdmin()
                .send()
                .expect(400);
        api.post("/v2/notifications", """
                {"user_id": "%s", "type": "sms", "message": "%s"}""".formatted(noEmail, "x".repeat(1_601)))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        api.post("/v2/notifications", """
                {"user_id": "%s", "type": "email", "subject": "%s", "message": "hi"}""".formatted(noPhone, "s".repeat(201)))
                .asAdmin()
                .send()
                .expect(400);
        api.post("/v2/notifications", """
                {"user_id": "%s", "type": "fax", "message": "hi"}""".formatted(noPhone)).asAdmin().send().expect(400);
        api.post("/v2/notifications", """
                {"user_id": "%s", "type": "push", "message": "hi", "priority": "urgent"}""".formatted(noPhone)).asAdmin().send().expect(400);
        api.post("/v2/notifications", """
                {"user_id": "%s", "type": "push"}""".formatted(noPhone)).asAdmin().send().expect(400);
        api.post("/notifications/send", """
                {"userId": "%s", "type": "push", "message": "v1 has no push"}""".formatted(noPhone)).asAdmin().send().expect(400);

        assertThat(count()).isEqualTo(before);
    }

    @Test
    void textPostgreSQLCannotHoldIsRefusedNotStored() {
        String user = aUser().create();
        long before = count();

        assertThat(api.post("/v2/notifications", """
                {"user_id": "%s", "type": "push", "message": "nul \\u0000 here"}""".formatted(user))
                        .asAdmin()
                        .send()
                        .expectError(400, "INVALID_PARAMETER")
                        .get("message")
                        .asString())
                .contains("U+0000");
        api.get("/v2/notifications?user_id=usr_%00").asAdmin().send().expectError(400, "INVALID_PARAMETER");

        assertThat(count()).isEqualTo(before);
    }

    @Test
    void readingNeedsTheScopeAndUnknownIdsAre404() {
        api.get("/v2/notifications/ntf_doesnotexist").asAdmin().send().expectError(404, "NOT_FOUND");
        String key = api.post("/v2/api-keys", """
                {"name": "reader", "scopes": ["products:read"]}""")
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();
        api.get("/v2/notifications").as(key).send().expect(403);
        api.post("/v2/notifications", "{}").as(key).send().expect(403);
    }

    @Test
    void listsFilterByUserAndStatus() {
        String user = aUser().create();
        HTTP.stubFor(post(urlEqualTo(pushPath)).willReturn(aResponse().withStatus(200)));
        String first = sendPush(user, "one", "low");
        String second = sendPush(user, "two", "low");
        awaitStatus(first, "sent");
        awaitStatus(second, "sent");

        Response page = api.get("/v2/notifications?user_id=" + user + "&status=sent&limit=1")
                .asAdmin()
                .send()
                .expect(200);

        assertThat(page.header("X-Total-Count")).isEqualTo("2");
        assertThat(page.json().get(0).get("id").asString()).isEqualTo(second);
        assertThat(api.get("/v2/notifications?user_id=" + user + "&status=failed")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .size())
                .isZero();
        api.get("/v2/notifications?status=lost").asAdmin().send().expect(400);
    }

    // ---- fixtures ----

    private String sendPush(String user, String message, String priority) {
        return api.post("/v2/notifications", """
                {"user_id": "%s", "type": "push", "message": "%s", "priority": "%s"}""".formatted(user, message, priority))
                .asAdmin()
                .send()
                .expect(202)
                .json()
                .get("id")
                .asString();
    }

    private JsonNode awaitStatus(String id, String status) {
        return await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> api.get("/v2/notifications/" + id)
                                .asAdmin()
                                .send()
                                .expect(200)
                                .json(),
                        json -> json.get("status").asString().equals(status));
    }

    static List<MimeMessage> messagesTo(String address) {
        return Arrays.stream(SMTP.getReceivedMessages())
                .filter(message -> {
                    try {
                        return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                                .anyMatch(to -> to.toString().equals(address));
                    } catch (jakarta.mail.MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    private long count() {
        return jdbc.sql("select count(*) from notifications").query(Long.class).single();
    }

    static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
