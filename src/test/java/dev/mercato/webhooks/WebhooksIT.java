package dev.mercato.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.mercato.support.JsonLists.fieldNames;
import static dev.mercato.support.JsonLists.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.mercato.orders.NewOrder;
import dev.mercato.orders.Order;
import dev.mercato.orders.OrderService;
import dev.mercato.security.Caller;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import dev.mercato.support.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks end to end: subscriptions over HTTP, and events delivered to a local receiver (WireMock), signed,
 * retried and recorded. The shared test server allows private targets (the receiver is on 127.0.0.1) and retries
 * after 100 ms up to 4 attempts; the guard itself is covered by {@link WebhookTargetGuardTest}.
 */
class WebhooksIT extends ApiTestSupport {

    private static final String ISO_SECONDS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(30);

    static final WireMockServer receiver = WebhookReceiver.SERVER;

    @Autowired
    OrderService orders;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    private final List<String> subscriptions = new ArrayList<>();

    /** Other tests' events must not go on being delivered to this class's receiver. */
    @AfterEach
    void unsubscribe() {
        subscriptions.forEach(id -> api.delete("/v2/webhooks/" + id).asAdmin().send());
    }

    // ---- subscriptions ----

    @Test
    void subscribingAnswers201WithTheSecretOnceAndReadsNeverShowIt() {
        String url = receiverUrl();
        Response created =
                api.post("/v2/webhooks", """
                {"url": "%s", "events": ["order.created", "payment.failed"]}""".formatted(url)).asAdmin().send().expect(201);

        JsonNode webhook = created.json();
        String id = webhook.get("id").asString();
        subscriptions.add(id);
        assertThat(id).matches("whk_[A-Za-z0-9]{24}");
        assertThat(created.header("Location")).endsWith("/v2/webhooks/" + id);
        assertThat(created.header("Cache-Control")).contains("no-store");
        assertThat(fieldNames(webhook)).containsExactlyInAnyOrder("id", "url", "events", "secret", "created_at");
        assertThat(webhook.get("url").asString()).isEqualTo(url);
        assertThat(webhook.get("events").toString()).isEqualTo("[\"order.created\",\"payment.failed\"]");
        assertThat(webhook.get("secret").asString()).matches("whsec_[A-Za-z0-9]{32}");
        assertThat(webhook.get("created_at").asString()).matches(ISO_SECONDS);

        JsonNode read =
                api.get("/v2/webhooks/" + id).asAdmin().send().expect(200).json();
        assertThat(fieldNames(read)).containsExactlyInAnyOrder("id", "url", "events", "created_at");
        assertThat(read.get("events")).isEqualTo(webhook.get("events"));

        Response list = api.get("/v2/webhooks?limit=100").asAdmin().send().expect(200);
        assertThat(ids(list.json())).contains(id);
        assertThat(list.body()).doesNotContain("whsec_");
        assertThat(Long.parseLong(list.header("X-Total-Count"))).isPositive();
        assertThat(list.header("X-Limit")).isEqualTo("100");

        JsonNode deliveries = api.get("/v2/webhooks/" + id + "/deliveries")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(deliveries).isEmpty();
    }

    @Test
    void deletingASubscriptionAnswers204ThenItIsGone() {
        String id = subscribe(receiverUrl(), "*").get("id").asString();

        api.delete("/v2/webhooks/" + id).asAdmin().send().expect(204);

        assertThat(api.get("/v2/webhooks/" + id)
                        .asAdmin()
                        .send()
                        .expectError(404, "NOT_FOUND")
                        .get("details")
                        .asString())
                .isEqualTo(id);
        api.get("/v2/webhooks/" + id + "/deliveries").asAdmin().send().expectError(404, "NOT_FOUND");
        api.delete("/v2/webhooks/" + id).asAdmin().send().expectError(404, "NOT_FOUND");
        api.get("/v2/webhooks/whk_doesnotexist").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void invalidSubscriptionsAnswer400NamingTheField() {
        String url = receiverUrl();
        for (String bad : new String[] {
            "not a url", "/relative/path", "ftp://example.com/hook", "https://" + "a".repeat(2040) + ".example.com/"
        }) {
            JsonNode error = api.post("/v2/webhooks", """
                    {"url": "%s", "events": ["order.created"]}""".formatted(bad))
                    .asAdmin()
                    .send()
                    .expectError(400, "INVALID_PARAMETER");
            assertThat(error.get("details").asString()).as(bad).isEqualTo("url (string)");
        }
        JsonNode unknown =
                api.post("/v2/webhooks", """
                {"url": "%s", "events": ["order.created", "order.teleported"]}""".formatted(url)).asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(unknown.get("details").asString()).isEqualTo("events[1] (string)");
        assertThat(unknown.get("message").asString()).contains("order.teleported");
        JsonNode empty =
                api.post("/v2/webhooks", """
                {"url": "%s", "events": []}""".formatted(url)).asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(empty.get("details").asString()).startsWith("events");
        JsonNode missing =
                api.post("/v2/webhooks", """
                {"url": "%s"}""".formatted(url)).asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(missing.get("details").asString()).startsWith("events");
        api.post("/v2/webhooks", """
                {"url": "%s", "events": ["*"], "secret": "mine"}""".formatted(url)).asAdmin().send().expectError(400, "UNKNOWN_FIELD");
        assertThat(jdbc.sql("select count(*) from webhook_subscriptions where url = :url")
                        .param("url", url)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void readingNeedsIntegrationsReadAndChangingNeedsIntegrationsWrite() {
        String reader = apiKey("integrations:read");
        String orderWriter = apiKey("orders:write");
        String id = subscribe(receiverUrl(), "order.paid").get("id").asString();

        api.get("/v2/webhooks/" + id).as(reader).send().expect(200);
        api.get("/v2/webhooks/" + id + "/deliveries").as(reader).send().expect(200);
        api.get("/v2/webhooks").as(orderWriter).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.post("/v2/webhooks", """
                {"url": "%s", "events": ["*"]}""".formatted(receiverUrl())).as(reader).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.delete("/v2/webhooks/" + id).as(reader).send().expectError(403, "INSUFFICIENT_SCOPE");
    }

    // ---- deliveries ----

    @Test
    void anOrderIsDeliveredSignedToTheSubscriptionsThatWantItOnly() throws Exception {
        String path = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        JsonNode wanting = subscribe(receiver.baseUrl() + path, "order.created");
        String otherPath = "/hooks/" + UUID.randomUUID();
        String notWanting = subscribe(receiver.baseUrl() + otherPath, "payment.refunded", "order.shipped")
                .get("id")
                .asString();
        String user = aUser().create();
        String product = aProduct().priced("12.50", "USD").withStock(5).create();

        String order = placeOrder(user, product, 1).expect(201).json().get("id").asString();

        JsonNode delivery = awaitDelivery(wanting.get("id").asString(), "succeeded");
        LoggedRequest request = single(path);
        String body = request.getBodyAsString();
        JsonNode event = JSON.readTree(body);
        assertThat(fieldNames(event)).containsExactly("id", "type", "created_at", "data");
        assertThat(event.get("id").asString()).matches("evt_[A-Za-z0-9]{24}");
        assertThat(event.get("type").asString()).isEqualTo("order.created");
        assertThat(event.get("created_at").asString()).matches(ISO_SECONDS);
        assertThat(event.get("data").get("order_id").asString()).isEqualTo(order);
        assertThat(event.get("data").get("user_id").asString()).isEqualTo(user);
        assertThat(event.get("data").get("total_amount").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeader("User-Agent")).isEqualTo("Mercato-Webhooks/1");
        assertThat(request.getHeader("Mercato-Event-Id"))
                .isEqualTo(event.get("id").asString());
        assertThat(request.getHeader("Mercato-Delivery-Id"))
                .isEqualTo(delivery.get("id").asString());
        assertThat(WebhookReceiver.signedWith(request, wanting.get("secret").asString()))
                .isTrue();
        assertThat(WebhookReceiver.signedWith(request, "whsec_someoneelse")).isFalse();

        assertThat(fieldNames(delivery))
                .containsExactlyInAnyOrder(
                        "id",
                        "event_id",
                        "event_type",
                        "status",
                        "attempts",
                        "last_status_code",
                        "created_at",
                        "delivered_at");
        assertThat(delivery.get("id").asString()).matches("whd_[A-Za-z0-9]{24}");
        assertThat(delivery.get("event_id").asString())
                .isEqualTo(event.get("id").asString());
        assertThat(delivery.get("event_type").asString()).isEqualTo("order.created");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
        assertThat(delivery.get("last_status_code").asInt()).isEqualTo(204);
        // Deliveries are written with the order: none now means none ever.
        assertThat(api.get("/v2/webhooks/" + notWanting + "/deliveries")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json())
                .isEmpty();
        receiver.verify(0, anyRequestedFor(urlEqualTo(otherPath)));
    }

    @Test
    void aReceiverFailingTwiceGetsTheSameEventAThirdTimeAndTheHistoryShowsIt() {
        String path = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path))
                .inScenario(path)
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("failed once"));
        receiver.stubFor(post(urlEqualTo(path))
                .inScenario(path)
                .whenScenarioStateIs("failed once")
                .willReturn(aResponse().withStatus(500).withBody("still down"))
                .willSetStateTo("failed twice"));
        receiver.stubFor(post(urlEqualTo(path))
                .inScenario(path)
                .whenScenarioStateIs("failed twice")
                .willReturn(aResponse().withStatus(200)));
        String id =
                subscribe(receiver.baseUrl() + path, "order.created").get("id").asString();

        placeOrder(aUser().create(), aProduct().withStock(5).create(), 1).expect(201);

        JsonNode delivery = awaitDelivery(id, "succeeded");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.get("last_status_code").asInt()).isEqualTo(200);
        assertThat(delivery.has("last_error")).isFalse();
        assertThat(delivery.get("delivered_at").asString()).matches(ISO_SECONDS);
        List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(requests).hasSize(3);
        assertThat(requests)
                .extracting(LoggedRequest::getBodyAsString)
                .containsOnly(requests.get(0).getBodyAsString());
        assertThat(requests)
                .extracting(r -> r.getHeader("Mercato-Event-Id"))
                .containsOnly(delivery.get("event_id").asString());
        assertThat(requests)
                .extracting(r -> r.getHeader("Mercato-Delivery-Id"))
                .containsOnly(delivery.get("id").asString());
    }

    @Test
    void aReceiverThatAlwaysFailsEndsFailedWithTheLastAnswer() {
        String path = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(
                post(urlEqualTo(path)).willReturn(aResponse().withStatus(503).withBody("maintenance")));
        String id = subscribe(receiver.baseUrl() + path, "*").get("id").asString();

        placeOrder(aUser().create(), aProduct().withStock(5).create(), 1).expect(201);

        JsonNode delivery = awaitDelivery(id, "failed");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(4);
        assertThat(delivery.get("last_status_code").asInt()).isEqualTo(503);
        assertThat(delivery.get("last_error").asString()).isEqualTo("The receiver answered 503: maintenance");
        assertThat(delivery.has("delivered_at")).isFalse();
        receiver.verify(4, postRequestedFor(urlEqualTo(path)));
    }

    @Test
    void aRedirectIsNotFollowed() {
        String path = "/hooks/" + UUID.randomUUID();
        String target = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path))
                .willReturn(aResponse().withStatus(302).withHeader("Location", receiver.baseUrl() + target)));
        receiver.stubFor(post(urlEqualTo(target)).willReturn(aResponse().withStatus(200)));
        String id =
                subscribe(receiver.baseUrl() + path, "order.created").get("id").asString();

        placeOrder(aUser().create(), aProduct().withStock(5).create(), 1).expect(201);

        JsonNode delivery = awaitDelivery(id, "failed");
        assertThat(delivery.get("last_status_code").asInt()).isEqualTo(302);
        assertThat(delivery.get("last_error").asString()).contains("redirects are not followed");
        receiver.verify(4, postRequestedFor(urlEqualTo(path)));
        receiver.verify(0, anyRequestedFor(urlEqualTo(target)));
    }

    @Test
    void anOrderThatIsNotPlacedDeliversNothing() {
        String path = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        String id =
                subscribe(receiver.baseUrl() + path, "order.created").get("id").asString();
        String user = aUser().create();
        String product = aProduct().withStock(1).create();

        placeOrder(user, product, 2).expectError(409, "INSUFFICIENT_STOCK");
        // Recorded, then rolled back: the event, the delivery and its job go with the order.
        Order rolledBack = transaction.execute(status -> {
            Order placed = orders.place(
                    Caller.SYSTEM,
                    new NewOrder(
                            user,
                            List.of(new NewOrder.Item(product, 1)),
                            new Order.ShippingAddress("1 Main St", "Anytown", "12345", "USA")));
            status.setRollbackOnly();
            return placed;
        });

        assertThat(rolledBack.id()).startsWith("ord_");
        assertThat(api.get("/v2/webhooks/" + id + "/deliveries")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json())
                .isEmpty();
        assertThat(jdbc.sql("select count(*) from webhook_deliveries where event_id in "
                                + "(select id from domain_events where aggregate_id = :order)")
                        .param("order", rolledBack.id())
                        .query(Long.class)
                        .single())
                .isZero();
        receiver.verify(0, anyRequestedFor(urlEqualTo(path)));
    }

    // ---- retried by hand, and test events ----

    @Test
    void aFailedDeliveryRetriedOnceTheReceiverRecoveredSucceedsWithTheSameBody() {
        String path = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(
                post(urlEqualTo(path)).willReturn(aResponse().withStatus(500).withBody("down")));
        String id =
                subscribe(receiver.baseUrl() + path, "order.created").get("id").asString();
        placeOrder(aUser().create(), aProduct().withStock(5).create(), 1).expect(201);
        JsonNode failed = awaitDelivery(id, "failed");
        String deliveryPath =
                "/v2/webhooks/" + id + "/deliveries/" + failed.get("id").asString();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));

        Response retried =
                api.post(deliveryPath + "/retry", "").asAdmin().send().expect(202);

        assertThat(retried.header("Location")).isEqualTo(deliveryPath);
        assertThat(retried.json().get("status").asString()).isEqualTo("pending");
        assertThat(retried.json().get("attempts").asInt()).isEqualTo(4);
        JsonNode succeeded = awaitDelivery(id, "succeeded");
        assertThat(succeeded.get("attempts").asInt())
                .as("every attempt counted")
                .isEqualTo(5);
        assertThat(succeeded.get("last_status_code").asInt()).isEqualTo(200);
        assertThat(succeeded.has("last_error")).isFalse();
        assertThat(api.get(deliveryPath).asAdmin().send().expect(200).json()).isEqualTo(succeeded);
        List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(requests).hasSize(5);
        assertThat(requests)
                .extracting(LoggedRequest::getBodyAsString)
                .containsOnly(requests.get(0).getBodyAsString());
        api.post(deliveryPath + "/retry", "").asAdmin().send().expectError(409, "DELIVERY_SUCCEEDED");
    }

    @Test
    void aFailedDeliveryRetriedAgainGetsAWholeNewRoundOfAttempts() {
        String path = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(503)));
        String id =
                subscribe(receiver.baseUrl() + path, "order.created").get("id").asString();
        placeOrder(aUser().create(), aProduct().withStock(5).create(), 1).expect(201);
        String delivery = awaitDelivery(id, "failed").get("id").asString();

        api.post("/v2/webhooks/" + id + "/deliveries/" + delivery + "/retry", "")
                .asAdmin()
                .send()
                .expect(202);

        await().atMost(DELIVERY_WAIT)
                .until(() ->
                        receiver.findAll(postRequestedFor(urlEqualTo(path))).size() == 8);
        JsonNode failedAgain = awaitDelivery(id, "failed");
        assertThat(failedAgain.get("attempts").asInt()).as("4 and 4 more").isEqualTo(8);
    }

    @Test
    void retriesOfOneDeliveryAtOnceMakeOneAttemptAtATime() {
        String path = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(500)));
        String id =
                subscribe(receiver.baseUrl() + path, "order.created").get("id").asString();
        placeOrder(aUser().create(), aProduct().withStock(5).create(), 1).expect(201);
        String delivery = awaitDelivery(id, "failed").get("id").asString();
        receiver.stubFor(
                post(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withFixedDelay(300)));

        List<Integer> statuses = dev.mercato.support.Race.run(
                8,
                racer -> api.post("/v2/webhooks/" + id + "/deliveries/" + delivery + "/retry", "")
                        .asAdmin()
                        .send()
                        .status());

        assertThat(statuses).containsAnyOf(202).allMatch(status -> status == 202 || status == 409);
        awaitDelivery(id, "succeeded");
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo(path))))
                .as("4 failed attempts, then the retry's one")
                .hasSize(5);
    }

    @Test
    void aTestEventGoesToTheSubscriptionWhateverTypesItNames() throws Exception {
        String path = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        JsonNode webhook = subscribe(receiver.baseUrl() + path, "report.failed");
        String id = webhook.get("id").asString();

        Response sent =
                api.post("/v2/webhooks/" + id + "/test", "").asAdmin().send().expect(202);

        JsonNode delivery = sent.json();
        assertThat(delivery.get("event_type").asString()).isEqualTo("webhook.test");
        assertThat(delivery.get("status").asString()).isEqualTo("pending");
        assertThat(sent.header("Location"))
                .isEqualTo("/v2/webhooks/" + id + "/deliveries/"
                        + delivery.get("id").asString());
        assertThat(awaitDelivery(id, "succeeded").get("id")).isEqualTo(delivery.get("id"));
        LoggedRequest request = single(path);
        assertThat(WebhookReceiver.signedWith(request, webhook.get("secret").asString()))
                .isTrue();
        JsonNode body = JSON.readTree(request.getBodyAsString());
        assertThat(body.get("type").asString()).isEqualTo("webhook.test");
        assertThat(body.get("id").asString()).isEqualTo(delivery.get("event_id").asString());
        assertThat(body.get("data").get("webhook_id").asString()).isEqualTo(id);
    }

    @Test
    void retriesAndTestsNeedIntegrationsWriteAndAnExistingDelivery() {
        String reader = apiKey("integrations:read");
        String path = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        String id =
                subscribe(receiver.baseUrl() + path, "order.created").get("id").asString();
        String other = subscribe(receiverUrl(), "order.created").get("id").asString();
        String delivery = api.post("/v2/webhooks/" + id + "/test", "")
                .asAdmin()
                .send()
                .expect(202)
                .json()
                .get("id")
                .asString();

        api.post("/v2/webhooks/" + id + "/test", "").as(reader).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.post("/v2/webhooks/" + id + "/deliveries/" + delivery + "/retry", "")
                .as(reader)
                .send()
                .expectError(403, "INSUFFICIENT_SCOPE");
        api.get("/v2/webhooks/" + id + "/deliveries/" + delivery)
                .as(reader)
                .send()
                .expect(200);
        api.post("/v2/webhooks/whk_doesnotexist/test", "").asAdmin().send().expectError(404, "NOT_FOUND");
        api.post("/v2/webhooks/" + id + "/deliveries/whd_doesnotexist/retry", "")
                .asAdmin()
                .send()
                .expectError(404, "NOT_FOUND");
        api.get("/v2/webhooks/" + other + "/deliveries/" + delivery)
                .asAdmin()
                .send()
                .expectError(404, "NOT_FOUND");
        api.post("/v2/webhooks/" + other + "/deliveries/" + delivery + "/retry", "")
                .asAdmin()
                .send()
                .expectError(404, "NOT_FOUND");
    }

    // ---- helpers ----

    /** The subscription's single delivery, once it has reached {@code status}. */
    private JsonNode awaitDelivery(String subscriptionId, String status) {
        return await().atMost(DELIVERY_WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            JsonNode list = api.get("/v2/webhooks/" + subscriptionId + "/deliveries")
                                    .asAdmin()
                                    .send()
                                    .expect(200)
                                    .json();
                            return list.size() == 1
                                            && list.get(0)
                                                    .get("status")
                                                    .asString()
                                                    .equals(status)
                                    ? list.get(0)
                                    : null;
                        },
                        delivery -> delivery != null);
    }

    private static LoggedRequest single(String path) {
        List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private String receiverUrl() {
        return receiver.baseUrl() + "/hooks/" + UUID.randomUUID();
    }

    private JsonNode subscribe(String url, String... events) {
        String list = String.join("\", \"", events);
        JsonNode created = api.post("/v2/webhooks", """
                {"url": "%s", "events": ["%s"]}""".formatted(url, list))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        subscriptions.add(created.get("id").asString());
        return created;
    }

    private String apiKey(String scope) {
        return api.post("/v2/api-keys", """
                {"name": "webhooks %s", "scopes": ["%s"]}""".formatted(scope, scope))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();
    }
}
