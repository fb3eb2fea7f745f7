package dev.mercato.dashboard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.DashboardSession;
import dev.mercato.support.TestProviders;
import dev.mercato.support.WebhookReceiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deliveries page as a browser uses it: the webhook deliveries and notifications the API made, what each sent,
 * a failed one retried from its page, a test event sent to a subscription; and who may see and do which. Webhooks go
 * to a local receiver (the shared test server allows private targets, retries after 100 ms up to 4 attempts),
 * notifications to the test SMTP server and HTTP provider stubs ({@link TestProviders}).
 */
class DashboardDeliveriesIT extends ApiTestSupport {

    private static final String PASSWORD = "Copper-Kettle-58-Orchard";
    private static final Pattern DELIVERY_LINK = Pattern.compile("/dashboard/deliveries/webhooks/(whd_[A-Za-z0-9]+)");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final WireMockServer receiver = WebhookReceiver.SERVER;

    private final List<String> subscriptions = new ArrayList<>();

    @AfterEach
    void unsubscribe() {
        subscriptions.forEach(id -> api.delete("/v2/webhooks/" + id).asAdmin().send());
    }

    // ---- what the tables show ----

    @Test
    void theAdminSeesTheWebhookDeliveriesAndNotificationsTheApiMade() throws Exception {
        String path = receiverPath(200);
        String webhook = subscribe(path, "order.created");
        String order = placeOrder(aUser().create(), aProduct().withStock(5).create(), 1)
                .expect(201)
                .json()
                .get("id")
                .asString();
        JsonNode delivery = awaitDelivery(webhook, "succeeded");
        String email = "deliveries-" + UUID.randomUUID() + "@example.com";
        String emailed = notify(aUser().withEmail(email).create(), "email", "Your parcel left");
        String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
        TestProviders.HTTP.stubFor(post(urlEqualTo(TestProviders.smsPath()))
                .willReturn(aResponse().withStatus(201).withBody("{\"sid\": \"SM1\"}")));
        String texted = notify(aUser().withPhone(phone).create(), "sms", "Code 4321");
        awaitNotification(emailed, "sent");
        awaitNotification(texted, "sent");
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);

        HttpResponse<String> page = admin.get("/dashboard/deliveries");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("id=\"webhook-deliveries\"", "id=\"notifications\"")
                .contains("/dashboard/deliveries/webhooks/" + delivery.get("id").asString())
                .contains(receiver.baseUrl() + path)
                .contains("/dashboard/deliveries/notifications/" + emailed, email)
                .contains("/dashboard/deliveries/notifications/" + texted, phone)
                .doesNotContain("style=");
        assertThat(admin.get("/dashboard/deliveries?webhookStatus=succeeded&notificationStatus=sent")
                        .body())
                .contains(delivery.get("id").asString(), emailed);
        assertThat(admin.get("/dashboard/deliveries?webhookStatus=failed&notificationStatus=failed")
                        .body())
                .doesNotContain(delivery.get("id").asString())
                .doesNotContain(emailed);

        HttpResponse<String> sent =
                admin.get("/dashboard/deliveries/webhooks/" + delivery.get("id").asString());
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(sent.body())
                .contains("order.created", delivery.get("event_id").asString(), receiver.baseUrl() + path)
                .contains("&quot;order_id&quot; : &quot;" + order + "&quot;")
                .contains("succeeded")
                .doesNotContain("Retry now");
        HttpResponse<String> mail = admin.get("/dashboard/deliveries/notifications/" + emailed);
        assertThat(mail.statusCode()).isEqualTo(200);
        assertThat(mail.body())
                .contains("email", email, "Your parcel left", "sent")
                .doesNotContain("Retry now");
        assertThat(admin.get("/dashboard/deliveries/notifications/" + texted).body())
                .contains("sms", phone, "Code 4321");
    }

    @Test
    void eachTableIsPagedNewestFirst() {
        String webhook = subscribe(receiverPath(200), "report.failed");
        List<String> deliveries = new ArrayList<>();
        for (int i = 0; i < DeliveriesController.PAGE_SIZE + 1; i++) {
            deliveries.add(sendTest(webhook));
        }
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);

        String first = admin.get("/dashboard/deliveries").body();
        String older = admin.get("/dashboard/deliveries?webhookOffset=20").body();

        assertThat(first)
                .contains(deliveries.get(DeliveriesController.PAGE_SIZE))
                .doesNotContain(deliveries.get(0));
        assertThat(first).contains("href=\"/dashboard/deliveries?webhookOffset=20\"");
        assertThat(older)
                .contains(deliveries.get(0))
                .contains("href=\"/dashboard/deliveries\"")
                .contains("21-");
    }

    // ---- retried, tested ----

    @Test
    void aFailedWebhookDeliveryRetriedFromItsPageSucceedsOnceTheTargetRecovers() {
        String path = receiverPath(500);
        String webhook = subscribe(path, "order.created");
        String delivery = failedDelivery(webhook);
        String page = "/dashboard/deliveries/webhooks/" + delivery;
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);
        assertThat(admin.get(page).body()).contains("failed", "The receiver answered 500", "Retry now");
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));

        HttpResponse<String> retried = admin.submit(page, page + "/retry");

        assertThat(retried.statusCode()).isEqualTo(302);
        assertThat(retried.headers().firstValue("Location").orElseThrow()).endsWith(page);
        assertThat(admin.get(page).body()).contains("An attempt is due now");
        JsonNode succeeded = awaitDelivery(webhook, "succeeded");
        assertThat(succeeded.get("attempts").asInt()).isEqualTo(5);
        assertThat(admin.get(page).body()).contains("succeeded").doesNotContain("Retry now");
        receiver.verify(5, postRequestedFor(urlEqualTo(path)));
    }

    @Test
    void aFailedNotificationRetriedFromItsPageIsSentOnceTheProviderRecovers() {
        String user = aUser().create();
        String gateway = "/push";
        TestProviders.HTTP.resetAll();
        TestProviders.HTTP.stubFor(
                post(urlEqualTo(gateway)).willReturn(aResponse().withStatus(503)));
        String id = notify(user, "push", "Flash sale");
        awaitNotification(id, "failed");
        String page = "/dashboard/deliveries/notifications/" + id;
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);
        assertThat(admin.get(page).body()).contains("failed", "503", "Retry now");
        TestProviders.HTTP.stubFor(
                post(urlEqualTo(gateway)).willReturn(aResponse().withStatus(200)));

        HttpResponse<String> retried = admin.submit(page, page + "/retry");

        assertThat(retried.statusCode()).isEqualTo(302);
        assertThat(awaitNotification(id, "sent").get("attempts").asInt()).isEqualTo(5);
        assertThat(admin.get(page).body()).contains("sent").doesNotContain("Retry now");
        TestProviders.HTTP.verify(5, postRequestedFor(urlEqualTo(gateway)));
        TestProviders.HTTP.resetAll();
    }

    @Test
    void aTestEventSentFromThePageArrivesAndItsDeliveryIsShown() throws Exception {
        String path = receiverPath(204);
        String webhook = subscribe(path, "report.failed");
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);
        assertThat(admin.get("/dashboard/deliveries").body()).contains("value=\"" + webhook + "\"");

        HttpResponse<String> sent =
                admin.submit("/dashboard/deliveries", "/dashboard/deliveries/webhooks/test", "subscription", webhook);

        assertThat(sent.statusCode()).isEqualTo(302);
        Matcher link =
                DELIVERY_LINK.matcher(sent.headers().firstValue("Location").orElseThrow());
        assertThat(link.find()).isTrue();
        String delivery = link.group(1);
        await().atMost(WAIT)
                .until(() ->
                        !receiver.findAll(postRequestedFor(urlEqualTo(path))).isEmpty());
        LoggedRequest request =
                receiver.findAll(postRequestedFor(urlEqualTo(path))).get(0);
        assertThat(request.getHeader("Mercato-Delivery-Id")).isEqualTo(delivery);
        assertThat(JSON.readTree(request.getBodyAsString()).get("type").asString())
                .isEqualTo("webhook.test");
        awaitDelivery(webhook, "succeeded");
        assertThat(admin.get("/dashboard/deliveries/webhooks/" + delivery).body())
                .contains("webhook.test", "succeeded", "&quot;webhook_id&quot; : &quot;" + webhook + "&quot;");
    }

    // ---- who sees what ----

    @Test
    void aDeveloperSeesWhatTheirScopesAllowAndNothingElse() {
        String webhook = subscribe(receiverPath(500), "order.created");
        String delivery = failedDelivery(webhook);
        String notification = notify(aUser().create(), "email", "Hello");
        String webhookPage = "/dashboard/deliveries/webhooks/" + delivery;
        String notificationPage = "/dashboard/deliveries/notifications/" + notification;

        DashboardSession none = developer("products:read");
        assertThat(none.get("/dashboard/deliveries").statusCode()).isEqualTo(403);
        assertThat(none.get(webhookPage).statusCode()).isEqualTo(403);
        assertThat(none.get(notificationPage).statusCode()).isEqualTo(403);
        assertRefused(none, webhookPage + "/retry");
        assertRefused(none, notificationPage + "/retry");
        assertRefused(none, "/dashboard/deliveries/webhooks/test", "subscription", webhook);

        DashboardSession reader = developer("integrations:read");
        HttpResponse<String> readable = reader.get("/dashboard/deliveries");
        assertThat(readable.statusCode()).isEqualTo(200);
        assertThat(readable.body())
                .contains("id=\"webhook-deliveries\"")
                .doesNotContain("id=\"notifications\"")
                .doesNotContain("/dashboard/deliveries/webhooks/test");
        HttpResponse<String> readOnly = reader.get(webhookPage);
        assertThat(readOnly.statusCode()).isEqualTo(200);
        assertThat(readOnly.body()).contains("failed").doesNotContain("Retry now");
        assertThat(reader.get(notificationPage).statusCode()).isEqualTo(403);
        assertRefused(reader, webhookPage + "/retry");
        assertRefused(reader, "/dashboard/deliveries/webhooks/test", "subscription", webhook);

        DashboardSession notifier = developer("notifications:write");
        HttpResponse<String> notifications = notifier.get("/dashboard/deliveries");
        assertThat(notifications.statusCode()).isEqualTo(200);
        assertThat(notifications.body()).contains("id=\"notifications\"").doesNotContain("id=\"webhook-deliveries\"");
        assertThat(notifier.get(notificationPage).statusCode()).isEqualTo(200);
        assertThat(notifier.get(webhookPage).statusCode()).isEqualTo(403);
        assertRefused(notifier, webhookPage + "/retry");

        DashboardSession writer = developer("integrations:read", "integrations:write");
        assertThat(writer.get(webhookPage).body()).contains("Retry now");
        assertThat(writer.submit(webhookPage, webhookPage + "/retry").statusCode())
                .isEqualTo(302);
        await().atMost(WAIT)
                .until(() -> api.get("/v2/webhooks/" + webhook + "/deliveries/" + delivery)
                                .asAdmin()
                                .send()
                                .expect(200)
                                .json()
                                .get("attempts")
                                .asInt()
                        > 4);
    }

    @Test
    void postsWithoutTheCsrfTokenAreRefusedAndChangeNothing() {
        String webhook = subscribe(receiverPath(500), "order.created");
        String delivery = failedDelivery(webhook);
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);

        assertThat(admin.post("/dashboard/deliveries/webhooks/" + delivery + "/retry")
                        .statusCode())
                .isEqualTo(403);
        assertThat(admin.post("/dashboard/deliveries/webhooks/test", "subscription", webhook)
                        .statusCode())
                .isEqualTo(403);

        JsonNode list = api.get("/v2/webhooks/" + webhook + "/deliveries")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("status").asString()).isEqualTo("failed");
    }

    @Test
    void badIdsAndBadFiltersAnswerPagesNeverA500() {
        String webhook = subscribe(receiverPath(200), "report.failed");
        String delivery = sendTest(webhook);
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);

        assertThat(admin.get("/dashboard/deliveries/webhooks/whd_doesnotexist").statusCode())
                .isEqualTo(404);
        assertThat(admin.get("/dashboard/deliveries/notifications/ntf_doesnotexist")
                        .statusCode())
                .isEqualTo(404);
        assertThat(admin.get("/dashboard/deliveries/notifications/" + delivery).statusCode())
                .isEqualTo(404);
        assertThat(admin.submit("/dashboard", "/dashboard/deliveries/webhooks/whd_doesnotexist/retry")
                        .statusCode())
                .isEqualTo(404);
        assertThat(admin.submit("/dashboard", "/dashboard/deliveries/notifications/ntf_doesnotexist/retry")
                        .statusCode())
                .isEqualTo(404);
        assertThat(admin.submit("/dashboard", "/dashboard/deliveries/webhooks/test", "subscription", "whk_doesnotexist")
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<String> none = admin.submit("/dashboard", "/dashboard/deliveries/webhooks/test");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).contains("Pick the subscription");
        for (String query : List.of(
                "webhookStatus=lost", "notificationStatus=lost", "webhookOffset=abc", "notificationOffset=-1")) {
            assertThat(admin.get("/dashboard/deliveries?" + query).statusCode())
                    .as(query)
                    .isEqualTo(400);
        }
        assertThat(admin.get("/dashboard/deliveries?webhookStatus=&notificationOffset=")
                        .statusCode())
                .isEqualTo(200);
        awaitDelivery(webhook, "succeeded");
        HttpResponse<String> again =
                admin.submit("/dashboard", "/dashboard/deliveries/webhooks/" + delivery + "/retry");
        assertThat(again.statusCode())
                .as("a delivery that arrived: said on its page")
                .isEqualTo(302);
        assertThat(admin.get("/dashboard/deliveries/webhooks/" + delivery).body())
                .contains("nothing to retry");
    }

    // ---- fixtures ----

    private DashboardSession developer(String... scopes) {
        String username = "dev-" + UUID.randomUUID().toString().substring(0, 8);
        aDeveloper(username, PASSWORD, scopes);
        return dashboard().signedIn(username, PASSWORD);
    }

    /** A post with the session's CSRF token: refused (403) for want of a scope, and nothing done. */
    private static void assertRefused(DashboardSession session, String action, String... fields) {
        HttpResponse<String> refused = session.submit("/dashboard", action, fields);
        assertThat(refused.statusCode()).as(action).isEqualTo(403);
        assertThat(refused.body()).contains("scope");
    }

    /** A path on the receiver that answers {@code status}. */
    private static String receiverPath(int status) {
        String path = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(status)));
        return path;
    }

    private String subscribe(String path, String event) {
        String id = api.post("/v2/webhooks", """
                {"url": "%s", "events": ["%s"]}""".formatted(receiver.baseUrl() + path, event))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
        subscriptions.add(id);
        return id;
    }

    /** An order placed for a subscription whose receiver always fails: its delivery's id, once it has failed. */
    private String failedDelivery(String webhook) {
        placeOrder(aUser().create(), aProduct().withStock(5).create(), 1).expect(201);
        return awaitDelivery(webhook, "failed").get("id").asString();
    }

    private String sendTest(String webhook) {
        return api.post("/v2/webhooks/" + webhook + "/test", "")
                .asAdmin()
                .send()
                .expect(202)
                .json()
                .get("id")
                .asString();
    }

    /** The subscription's newest delivery, once it has reached {@code status}. */
    private JsonNode awaitDelivery(String webhook, String status) {
        return awaitStatus("/v2/webhooks/" + webhook + "/deliveries?limit=1", status);
    }

    private JsonNode awaitNotification(String id, String status) {
        return awaitStatus("/v2/notifications/" + id, status);
    }

    /** What the API answers at {@code path} (the first of a list), once its status is {@code status}. */
    private JsonNode awaitStatus(String path, String status) {
        return await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            JsonNode json =
                                    api.get(path).asAdmin().send().expect(200).json();
                            return json.isArray() ? json.get(0) : json;
                        },
                        found -> found != null && found.get("status").asString().equals(status));
    }

    private String notify(String user, String type, String message) {
        return api.post("/v2/notifications", """
                {"user_id": "%s", "type": "%s", "message": "%s"}""".formatted(user, type, message))
                .asAdmin()
                .send()
                .expect(202)
                .json()
                .get("id")
                .asString();
    }
}
