package dev.mercato.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe's events at /webhooks/stripe, signed as Stripe signs them: a payment whose outcome was unknown is settled, a
 * refund Stripe fails days later becomes failed and refundable again, a dispute shows on the payment and goes out as
 * Mercato's own webhook event; a replayed event acts once; a tampered, stale or unsigned one is refused.
 */
class StripeWebhooksIT extends ApiTestSupport {

    /** Where Mercato's own webhooks go: a subscription to the events Stripe's cause. */
    static final WireMockServer receiver =
            new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    @Autowired
    JdbcClient jdbc;

    private String subscription;

    @BeforeAll
    static void startReceiver() {
        receiver.start();
        receiver.stubFor(
                post(urlEqualTo("/mercato-events")).willReturn(aResponse().withStatus(204)));
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @BeforeEach
    void subscribe() {
        subscription = api.post("/v2/webhooks", """
                        {"url": "%s/mercato-events", "events": ["payment.refund_failed", "payment.disputed",
                         "payment.dispute_closed"]}""".formatted(receiver.baseUrl()))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
    }

    @AfterEach
    void unsubscribe() {
        api.delete("/v2/webhooks/" + subscription).asAdmin().send();
    }

    @Test
    void aSucceededIntentSettlesAPaymentWhoseOutcomeWasUnknownOnce() {
        Paid paid = stripePayment("processing", "pi_ok_" + suffix());
        String event = event("payment_intent.succeeded", intent(paid.intentId(), "succeeded", paid.paymentId()));

        JsonNode first = receive(event).expect(200).json();
        JsonNode again = receive(event).expect(200).json();

        assertThat(first.get("duplicate").asBoolean()).isFalse();
        assertThat(again.get("duplicate").asBoolean()).isTrue();
        JsonNode payment = payment(paid.paymentId());
        assertThat(payment.get("status").asString()).isEqualTo("succeeded");
        assertThat(orderStatus(paid.orderId())).isEqualTo("paid");
        assertThat(events("payment.succeeded", paid.paymentId())).isEqualTo(1);
    }

    @Test
    void aFailedIntentFailsThePaymentWithItsDeclineCode() {
        Paid paid = stripePayment("processing", "pi_no_" + suffix());
        String intent = intent(paid.intentId(), "requires_payment_method", paid.paymentId())
                .replace(
                        "\"status\"", "\"last_payment_error\": {\"decline_code\": \"insufficient_funds\"}, \"status\"");

        receive(event("payment_intent.payment_failed", intent)).expect(200);

        JsonNode payment = payment(paid.paymentId());
        assertThat(payment.get("status").asString()).isEqualTo("failed");
        assertThat(payment.get("decline_code").asString()).isEqualTo("insufficient_funds");
        assertThat(orderStatus(paid.orderId())).isEqualTo("pending");
    }

    @Test
    void aRefundStripeFailsLateBecomesFailedAndItsAmountRefundableAgain() {
        Paid paid = stripePayment("succeeded", "pi_rf_" + suffix());
        String refundId = "re_" + suffix();
        String stripeRefund = "re_stripe_" + suffix();
        jdbc.sql("update payments set refunded_amount = 10.00 where id = ?")
                .param(paid.paymentId())
                .update();
        jdbc.sql("insert into refunds (id, payment_id, amount, status, cancels_order, processor_reference, created_at, "
                        + "updated_at) values (?, ?, 10.00, 'succeeded', false, ?, now(), now())")
                .params(refundId, paid.paymentId(), stripeRefund)
                .update();

        receive(event("charge.refund.updated", """
                {"id": "%s", "object": "refund", "amount": 1000, "currency": "usd", "status": "failed",
                 "failure_reason": "expired_or_canceled_card", "payment_intent": "%s",
                 "metadata": {"mercato_refund_id": "%s"}}""".formatted(stripeRefund, paid.intentId(), refundId)))
                .expect(200);

        assertThat(payment(paid.paymentId()).get("refunded_amount").decimalValue())
                .isEqualByComparingTo(BigDecimal.ZERO);
        JsonNode refund = api.get("/v2/payments/" + paid.paymentId() + "/refunds")
                .asAdmin()
                .send()
                .expect(200)
                .json()
                .get(0);
        assertThat(refund.get("status").asString()).isEqualTo("failed");
        assertThat(refund.get("failure_code").asString()).isEqualTo("expired_or_canceled_card");
        JsonNode sent = delivered("payment.refund_failed", paid.paymentId());
        assertThat(sent.get("refund_id").asString()).isEqualTo(refundId);
        assertThat(sent.get("refund_amount").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(sent.get("failure_code").asString()).isEqualTo("expired_or_canceled_card");
    }

    @Test
    void aDisputeShowsOnThePaymentAndGoesOutAsMercatosOwnEvents() {
        Paid paid = stripePayment("succeeded", "pi_dp_" + suffix());
        String dispute = """
                {"id": "dp_%s", "object": "dispute", "amount": 2500, "currency": "usd", "status": "%s",
                 "reason": "fraudulent", "payment_intent": "%s", "charge": "ch_1"}""";

        receive(event("charge.dispute.created", dispute.formatted(paid.intentId(), "needs_response", paid.intentId())))
                .expect(200);

        JsonNode opened = payment(paid.paymentId()).get("dispute");
        assertThat(opened.get("status").asString()).isEqualTo("needs_response");
        assertThat(opened.get("reason").asString()).isEqualTo("fraudulent");
        assertThat(opened.get("amount").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(events("payment.disputed", paid.paymentId())).isEqualTo(1);
        assertThat(delivered("payment.disputed", paid.paymentId()).get("reason").asString())
                .isEqualTo("fraudulent");

        receive(event("charge.dispute.closed", dispute.formatted(paid.intentId(), "lost", paid.intentId())))
                .expect(200);

        assertThat(payment(paid.paymentId()).get("dispute").get("status").asString())
                .isEqualTo("lost");
        assertThat(events("payment.dispute_closed", paid.paymentId())).isEqualTo(1);
        assertThat(delivered("payment.dispute_closed", paid.paymentId())
                        .get("dispute_status")
                        .asString())
                .isEqualTo("lost");
        assertThat(events("payment.disputed", paid.paymentId())).isEqualTo(1);
    }

    @Test
    void eventsAboutObjectsMercatoDoesNotKnowAreAcknowledged() {
        receive(event("payment_intent.succeeded", intent("pi_elsewhere_" + suffix(), "succeeded", null)))
                .expect(200);
        receive(event("customer.created", "{\"id\": \"cus_1\", \"object\": \"customer\"}"))
                .expect(200);
    }

    @Test
    void anEventWithoutAValidFreshSignatureIsRefused() {
        Paid paid = stripePayment("processing", "pi_forged_" + suffix());
        String event = event("payment_intent.succeeded", intent(paid.intentId(), "succeeded", paid.paymentId()));
        long now = Instant.now().getEpochSecond();

        receive(event, sign(event.replace("succeeded", "succeeded "), now)).expectError(400, "INVALID_SIGNATURE");
        receive(event, sign(event, now - 600)).expectError(400, "INVALID_SIGNATURE");
        receive(event, "t=" + now + ",v1=" + "00".repeat(32)).expectError(400, "INVALID_SIGNATURE");
        api.post("/webhooks/stripe", event).send().expectError(400, "INVALID_SIGNATURE");

        assertThat(payment(paid.paymentId()).get("status").asString()).isEqualTo("processing");
    }

    // The shop: an order and its Stripe payment, written as the Stripe processor leaves them.

    record Paid(String orderId, String paymentId, String intentId) {}

    private Paid stripePayment(String status, String intentId) {
        String user = aUser().create();
        String product = aProduct().priced("25.00", "USD").withStock(5).create();
        String order = placeOrder(user, product, 1).expect(201).json().get("id").asString();
        String payment = "pay_" + suffix();
        jdbc.sql("insert into payments (id, order_id, amount, currency, status, payment_method_id, processor, "
                        + "processor_reference) values (?, ?, 25.00, 'USD', ?, 'pm_card_visa', 'stripe', ?)")
                .params(payment, order, status, intentId)
                .update();
        if ("succeeded".equals(status)) {
            jdbc.sql("update orders set status = 'paid' where id = ?")
                    .param(order)
                    .update();
        }
        return new Paid(order, payment, intentId);
    }

    private static String intent(String id, String status, String paymentId) {
        return """
                {"id": "%s", "object": "payment_intent", "amount": 2500, "currency": "usd", "status": "%s",
                 "metadata": {%s}}""".formatted(id, status, paymentId == null ? "" : "\"mercato_payment_id\": \"" + paymentId + "\"");
    }

    private static String event(String type, String object) {
        return """
                {"id": "evt_%s", "object": "event", "api_version": "2024-06-20", "created": %d, "type": "%s",
                 "livemode": false, "data": {"object": %s}}""".formatted(suffix(), Instant.now().getEpochSecond(), type, object);
    }

    private Response receive(String event) {
        return receive(event, sign(event, Instant.now().getEpochSecond()));
    }

    private Response receive(String event, String signature) {
        return api.post("/webhooks/stripe", event)
                .header("Stripe-Signature", signature)
                .send();
    }

    /** Stripe's recipe: {@code t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the endpoint secret>}. */
    static String sign(String payload, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(STRIPE_WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode payment(String id) {
        return api.get("/v2/payments/" + id).asAdmin().send().expect(200).json();
    }

    private String orderStatus(String id) {
        return jdbc.sql("select status from orders where id = ?")
                .param(id)
                .query(String.class)
                .single();
    }

    private int events(String type, String paymentId) {
        return jdbc.sql("select count(*) from domain_events where type = ? and payload ->> 'payment_id' = ?")
                .params(type, paymentId)
                .query(Integer.class)
                .single();
    }

    /** The data of the event of {@code type} about the payment, once Mercato's webhook delivered it. */
    private static JsonNode delivered(String type, String paymentId) {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode[] data = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (LoggedRequest request : receiver.findAll(postRequestedFor(urlEqualTo("/mercato-events")))) {
                        JsonNode event = json.readTree(request.getBodyAsString());
                        if (event.get("type").asString().equals(type)
                                && event.get("data")
                                        .get("payment_id")
                                        .asString()
                                        .equals(paymentId)) {
                            data[0] = event.get("data");
                            return true;
                        }
                    }
                    return false;
                });
        return data[0];
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
