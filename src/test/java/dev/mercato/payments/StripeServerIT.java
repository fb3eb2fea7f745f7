package dev.mercato.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.mercato.payments.StripeStandIn.error;
import static dev.mercato.payments.StripeStandIn.intent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.mercato.support.Api;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import dev.mercato.support.ServerProcesses;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Stripe as a merchant runs it: a server started with {@code mercato.payments.processor=stripe}, its API base at the
 * Stripe stand-in, driven over HTTP through v1 and v2: charges, declines, an outage settled later by the server's own
 * reconciliation or by Stripe's event, refunds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StripeServerIT extends ApiTestSupport {

    private final StripeStandIn stripe = new StripeStandIn();

    @Autowired
    DataSource dataSource;

    @Autowired
    Scheduler scheduler;

    private ServerProcesses servers;
    private Api stripeServer;

    @BeforeAll
    void startTheStripeServer() throws Exception {
        stripe.start();
        servers = new ServerProcesses(dataSource);
        int port = servers.start(
                        "stripe",
                        Map.of(
                                "MERCATO_PAYMENTS_PROCESSOR", "stripe",
                                "MERCATO_PAYMENTS_STRIPE_API_KEY", "sk_test_e2e",
                                "MERCATO_PAYMENTS_STRIPE_API_BASE", stripe.baseUrl(),
                                "MERCATO_PAYMENTS_STRIPE_TIMEOUT", "1s",
                                "MERCATO_PAYMENTS_RETRY_DELAY", "3s",
                                "MERCATO_PAYMENTS_STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET))
                .port();
        stripeServer = Api.forPort(port);
    }

    @AfterAll
    void stopTheStripeServer() throws InterruptedException {
        servers.stopAll();
        stripe.stop();
    }

    /** Only the Stripe server settles these payments: the test server has no Stripe key. */
    @BeforeEach
    void onlyTheStripeServerRunsJobs() {
        stripe.reset();
        scheduler.pause();
    }

    @AfterEach
    void resumeJobs() {
        scheduler.resume();
    }

    @Test
    void aV1PaymentConfirmsAPaymentIntentInMinorUnitsNamingMercatosIds() {
        stripe.creates(okJson(intent("pi_v1", "succeeded")));
        String order = order("25.00");

        JsonNode payment = stripeServer
                .post("/payments", """
                        {"orderId": "%s", "paymentMethodId": "pm_card_visa", "amount": 25.00, "currency": "USD"}""".formatted(order))
                .asAdmin()
                .send()
                .expect(200)
                .json();

        assertThat(payment.get("status").asString()).isEqualTo("succeeded");
        String id = payment.get("id").asString();
        stripe.server.verify(postRequestedFor(urlEqualTo("/v1/payment_intents"))
                .withHeader("Idempotency-Key", equalTo(id))
                .withHeader("Authorization", equalTo("Bearer sk_test_e2e"))
                .withRequestBody(containing("amount=2500"))
                .withRequestBody(containing("currency=usd"))
                .withRequestBody(containing("confirm=true"))
                .withRequestBody(containing("payment_method=pm_card_visa"))
                .withRequestBody(containing("metadata[mercato_payment_id]=" + id)
                        .or(containing("metadata%5Bmercato_payment_id%5D=" + id)))
                .withRequestBody(containing(order)));
        assertThat(orderStatus(order)).isEqualTo("paid");
    }

    @Test
    void aV2PaymentIsTakenByStripe() {
        stripe.creates(okJson(intent("pi_v2", "succeeded")));

        JsonNode payment = pay(order("25.00")).expect(201).json();

        assertThat(payment.get("processor").asString()).isEqualTo("stripe");
        assertThat(payment.get("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void aDeclineAnswers402WithStripesDeclineCodeAndTheOrderStaysPayable() {
        stripe.creates(aResponse()
                .withStatus(402)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                         "message": "Your card has insufficient funds."}}"""));
        String order = order("25.00");

        JsonNode error = pay(order).expectError(402, "PAYMENT_FAILED");

        assertThat(error.get("details").asString()).isEqualTo("insufficient_funds");
        assertThat(orderStatus(order)).isEqualTo("pending");
    }

    @Test
    void anOutageAnswers502AndTheServerSettlesThePaymentOnceStripeKnows() {
        stripe.creates(error(500, "api_error", "internal"));
        String order = order("25.00");

        String id = pay(order)
                .expectError(502, "PAYMENT_PROCESSOR_UNAVAILABLE")
                .get("details")
                .asString();
        assertThat(payment(id).get("status").asString()).isEqualTo("processing");
        // Stripe did take it: its search finds the intent the first call created.
        stripe.searchFinds(id, intent("pi_late", "succeeded"));

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> payment(id).get("status").asString().equals("succeeded"));
        assertThat(orderStatus(order)).isEqualTo("paid");
    }

    @Test
    void aPaymentLeftUnknownIsSettledByStripesEvent() {
        stripe.creates(error(500, "api_error", "internal"));
        stripe.searchFinds("nothing"); // the server's own checks learn nothing
        String order = order("25.00");
        String id = pay(order)
                .expectError(502, "PAYMENT_PROCESSOR_UNAVAILABLE")
                .get("details")
                .asString();

        String event = """
                {"id": "evt_%s", "object": "event", "api_version": "2024-06-20", "type": "payment_intent.succeeded",
                 "data": {"object": {"id": "pi_evt", "object": "payment_intent", "amount": 2500, "currency": "usd",
                 "status": "succeeded", "metadata": {"mercato_payment_id": "%s"}}}}""".formatted(UUID.randomUUID(), id);
        stripeServer
                .post("/webhooks/stripe", event)
                .header(
                        "Stripe-Signature",
                        StripeWebhooksIT.sign(event, Instant.now().getEpochSecond()))
                .send()
                .expect(200);

        assertThat(payment(id).get("status").asString()).isEqualTo("succeeded");
        assertThat(orderStatus(order)).isEqualTo("paid");
    }

    @Test
    void aRefundThroughTheApiReachesStripesRefunds() {
        stripe.creates(okJson(intent("pi_refunded", "succeeded")));
        String id = pay(order("25.00")).expect(201).json().get("id").asString();
        stripe.server.stubFor(
                post("/v1/refunds").willReturn(okJson(StripeStandIn.refund("re_1", "succeeded", "ignored"))));

        JsonNode refund = stripeServer
                .post("/v2/payments/" + id + "/refunds", "{\"amount\": 10.00}")
                .asAdmin()
                .send()
                .expect(201)
                .json();

        assertThat(refund.get("status").asString()).isEqualTo("succeeded");
        stripe.server.verify(postRequestedFor(urlEqualTo("/v1/refunds"))
                .withHeader("Idempotency-Key", equalTo(refund.get("id").asString()))
                .withRequestBody(containing("amount=1000"))
                .withRequestBody(containing("payment_intent=pi_refunded")));
        assertThat(payment(id).get("refunded_amount").decimalValue()).isEqualByComparingTo("10.00");
    }

    @Test
    void aRefundStripeRefusesAnswers409AndRefundsNothing() {
        stripe.creates(okJson(intent("pi_refused", "succeeded")));
        String id = pay(order("25.00")).expect(201).json().get("id").asString();
        stripe.server.stubFor(
                post("/v1/refunds").willReturn(error(400, "invalid_request_error", "charge_already_refunded")));

        JsonNode error = stripeServer
                .post("/v2/payments/" + id + "/refunds", "{\"amount\": 10.00}")
                .asAdmin()
                .send()
                .expectError(409, "REFUND_FAILED");

        assertThat(error.get("details").asString()).isEqualTo("charge_already_refunded");
        assertThat(payment(id).get("refunded_amount").decimalValue()).isEqualByComparingTo("0");
    }

    private String order(String price) {
        String user = aUser().create();
        String product = aProduct().priced(price, "USD").withStock(5).create();
        return placeOrder(user, product, 1).expect(201).json().get("id").asString();
    }

    private Response pay(String order) {
        return stripeServer.post("/v2/payments", """
                        {"order_id": "%s", "payment_method_id": "pm_card_visa", "amount": 25.00, "currency": "USD"}""".formatted(order)).asAdmin().send();
    }

    private JsonNode payment(String id) {
        return stripeServer
                .get("/v2/payments/" + id)
                .asAdmin()
                .send()
                .expect(200)
                .json();
    }

    private String orderStatus(String id) {
        return stripeServer
                .get("/v2/orders/" + id)
                .asAdmin()
                .send()
                .expect(200)
                .json()
                .get("status")
                .asString();
    }
}
