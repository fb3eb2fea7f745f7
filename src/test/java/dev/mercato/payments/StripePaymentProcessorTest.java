package dev.mercato.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.mercato.payments.PaymentProcessor.Charge;
import dev.mercato.payments.PaymentProcessor.Declined;
import dev.mercato.payments.PaymentProcessor.ProcessorUnavailableException;
import dev.mercato.payments.PaymentProcessor.RefundRequest;
import dev.mercato.payments.PaymentProcessor.Succeeded;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Stripe adapter against a local stand-in for Stripe's HTTP API: every kind of answer, and no answer. */
class StripePaymentProcessorTest {

    static final WireMockServer stripe = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final Charge CHARGE = new Charge("pay_test1", "ord_test1", new BigDecimal("99.98"), "USD", "pm_card_visa");

    StripePaymentProcessor processor;

    @BeforeAll
    static void start() {
        stripe.start();
    }

    @AfterAll
    static void stop() {
        stripe.stop();
    }

    @BeforeEach
    void reset() {
        stripe.resetAll();
        processor = new StripePaymentProcessor("sk_test_123", stripe.baseUrl(), Duration.ofSeconds(1));
    }

    static String intent(String id, String status) {
        return """
                {"id": "%s", "object": "payment_intent", "amount": 9998, "currency": "usd", "status": "%s"}
                """.formatted(id, status);
    }

    @Test
    void succeededIntentIsASuccessAndTheRequestCarriesOurIdempotencyKey() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(okJson(intent("pi_ok", "succeeded"))));

        assertThat(processor.charge(CHARGE)).isEqualTo(new Succeeded("pi_ok"));

        stripe.verify(postRequestedFor(urlEqualTo("/v1/payment_intents"))
                .withHeader("Idempotency-Key", equalTo("pay_test1"))
                .withHeader("Authorization", equalTo("Bearer sk_test_123"))
                .withRequestBody(containing("amount=9998"))
                .withRequestBody(containing("currency=usd"))
                .withRequestBody(containing("payment_method=pm_card_visa"))
                .withRequestBody(containing("confirm=true"))
                .withRequestBody(containing("metadata[mercato_order_id]=ord_test1")
                        .or(containing("metadata%5Bmercato_order_id%5D=ord_test1"))));
    }

    @Test
    void cardErrorIsADeclineWithStripesDeclineCode() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(aResponse().withStatus(402)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                          "message": "Your card has insufficient funds.",
                          "payment_intent": {"id": "pi_declined", "object": "payment_intent",
                                             "status": "requires_payment_method"}}}
                        """)));

        assertThat(processor.charge(CHARGE))
                .isEqualTo(new Declined("pi_declined", "insufficient_funds", "Your card has insufficient funds."));
    }

    @Test
    void unknownPaymentMethodIsADecline() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error": {"type": "invalid_request_error", "code": "resource_missing",
                          "param": "payment_method", "message": "No such PaymentMethod: 'pm_nope'"}}
                        """)));

        assertThat(processor.charge(CHARGE)).isInstanceOfSatisfying(Declined.class,
                declined -> assertThat(declined.declineCode()).isEqualTo("resource_missing"));
    }

    @Test
    void intentNeedingAuthenticationIsADecline() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(okJson(intent("pi_3ds", "requires_action"))));

        assertThat(processor.charge(CHARGE)).isEqualTo(new Declined("pi_3ds", "authentication_required",
                "The payment method needs the customer's authentication, which this API cannot perform."));
    }

    @Test
    void undecidedIntentLeavesTheOutcomeUnknown() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(okJson(intent("pi_slow", "processing"))));

        assertThatThrownBy(() -> processor.charge(CHARGE)).isInstanceOf(ProcessorUnavailableException.class);
    }

    @Test
    void serverErrorLeavesTheOutcomeUnknown() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\": {\"type\": \"api_error\", \"message\": \"Something went wrong.\"}}")));

        assertThatThrownBy(() -> processor.charge(CHARGE)).isInstanceOf(ProcessorUnavailableException.class);
    }

    @Test
    void rejectedApiKeyLeavesTheOutcomeUnknown() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\": {\"type\": \"invalid_request_error\", \"message\": \"Invalid API Key\"}}")));

        assertThatThrownBy(() -> processor.charge(CHARGE)).isInstanceOf(ProcessorUnavailableException.class);
    }

    @Test
    void timeoutLeavesTheOutcomeUnknown() {
        stripe.stubFor(post("/v1/payment_intents")
                .willReturn(okJson(intent("pi_late", "succeeded")).withFixedDelay(3_000)));

        assertThatThrownBy(() -> processor.charge(CHARGE)).isInstanceOf(ProcessorUnavailableException.class);
    }

    @Test
    void malformedReplyLeavesTheOutcomeUnknown() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"pi_half\", \"status\": ")));

        assertThatThrownBy(() -> processor.charge(CHARGE)).isInstanceOf(ProcessorUnavailableException.class);
    }

    @Test
    void droppedConnectionLeavesTheOutcomeUnknown() {
        stripe.stubFor(post("/v1/payment_intents")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> processor.charge(CHARGE)).isInstanceOf(ProcessorUnavailableException.class);
    }

    @Test
    void refundSendsTheIntentAndAmountInMinorUnits() {
        stripe.stubFor(post("/v1/refunds").willReturn(okJson("""
                {"id": "re_1", "object": "refund", "amount": 1000, "status": "succeeded", "payment_intent": "pi_ok"}
                """)));

        String reference = processor.refund(new RefundRequest("re_ours", "pay_test1", "pi_ok", new BigDecimal("10.00"),
                "USD"));

        assertThat(reference).isEqualTo("re_1");
        stripe.verify(postRequestedFor(urlEqualTo("/v1/refunds"))
                .withHeader("Idempotency-Key", equalTo("re_ours"))
                .withRequestBody(containing("payment_intent=pi_ok"))
                .withRequestBody(containing("amount=1000")));
    }

    @Test
    void failedRefundIsNotConfirmed() {
        stripe.stubFor(post("/v1/refunds").willReturn(okJson("""
                {"id": "re_2", "object": "refund", "amount": 1000, "status": "failed", "payment_intent": "pi_ok"}
                """)));

        assertThatThrownBy(() -> processor.refund(new RefundRequest("re_ours", "pay_test1", "pi_ok",
                new BigDecimal("10.00"), "USD"))).isInstanceOf(ProcessorUnavailableException.class);
    }

    @Test
    void refundErrorIsNotConfirmed() {
        stripe.stubFor(post("/v1/refunds").willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> processor.refund(new RefundRequest("re_ours", "pay_test1", "pi_ok",
                new BigDecimal("10.00"), "USD"))).isInstanceOf(ProcessorUnavailableException.class);
    }

    @Test
    void amountsAreSentInTheCurrencysMinorUnit() {
        assertThat(StripePaymentProcessor.minorUnits(new BigDecimal("99.98"), "USD")).isEqualTo(9998);
        assertThat(StripePaymentProcessor.minorUnits(new BigDecimal("500"), "JPY")).isEqualTo(500);
        assertThat(StripePaymentProcessor.minorUnits(new BigDecimal("1.5000"), "EUR")).isEqualTo(150);
    }

    @Test
    void aMissingApiKeyStopsTheStart() {
        assertThatThrownBy(() -> new StripePaymentProcessor(" ", stripe.baseUrl(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mercato.payments.stripe.api-key");
    }
}
