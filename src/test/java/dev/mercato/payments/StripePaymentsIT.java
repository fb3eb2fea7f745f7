package dev.mercato.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.mercato.events.DomainEvents;
import dev.mercato.orders.OrderService;
import dev.mercato.payments.PaymentService.PaymentRequest;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.web.ApiException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The whole payment path (orders, payments table, events) with the Stripe processor talking to a local stand-in
 * for Stripe: whatever goes wrong at Stripe, no order is marked paid unless Stripe said the charge succeeded.
 */
class StripePaymentsIT extends ApiTestSupport {

    static final WireMockServer stripe = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    @Autowired PaymentRepository repository;
    @Autowired OrderService orders;
    @Autowired DomainEvents events;
    @Autowired TransactionTemplate transaction;
    @Autowired JdbcClient jdbc;

    PaymentService payments;

    @BeforeAll
    static void start() {
        stripe.start();
    }

    @AfterAll
    static void stop() {
        stripe.stop();
    }

    @BeforeEach
    void stripeBackedService() {
        stripe.resetAll();
        var processor = new StripePaymentProcessor("sk_test_123", stripe.baseUrl(), Duration.ofSeconds(1));
        payments = new PaymentService(repository, orders, events, processor, transaction, Clock.systemUTC(),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 8);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("server error", aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"type\": \"api_error\", \"message\": \"boom\"}}")),
                Arguments.of("timeout", okJson("{\"id\": \"pi_late\", \"object\": \"payment_intent\", "
                        + "\"status\": \"succeeded\"}").withFixedDelay(3_000)),
                Arguments.of("malformed reply", aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("{\"id\": \"pi_x\", \"status\"")),
                Arguments.of("dropped connection", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
                Arguments.of("rate limited", aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"type\": \"invalid_request_error\", \"code\": \"rate_limit\"}}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void noUsableAnswerLeavesTheOrderUnpaidAndThePaymentToBeChecked(String name, ResponseDefinitionBuilder reply) {
        stripe.stubFor(post("/v1/payment_intents").willReturn(reply));
        String orderId = placeOrder();

        assertThatThrownBy(() -> payments.pay(new PaymentRequest(orderId, new BigDecimal("25.00"), "USD",
                "pm_card_visa")))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("PAYMENT_PROCESSOR_UNAVAILABLE"));

        assertThat(orders.get(orderId).status()).isEqualTo("pending");
        Payment payment = onlyPaymentOf(orderId);
        assertThat(payment.status()).isEqualTo("processing");
        assertThat(events.of(orderId)).extracting("type").containsExactly("order.created");
    }

    @Test
    void anUnknownOutcomeIsSettledByAskingStripeAgainWithTheSameKey() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(aResponse().withStatus(503)));
        String orderId = placeOrder();
        assertThatThrownBy(() -> payments.pay(new PaymentRequest(orderId, new BigDecimal("25.00"), "USD",
                "pm_card_visa"))).isInstanceOf(ApiException.class);
        Payment payment = onlyPaymentOf(orderId);

        // Stripe recovers; the charge had in fact gone through, and Stripe answers the repeated key with it.
        stripe.stubFor(post("/v1/payment_intents").willReturn(okJson(
                "{\"id\": \"pi_done\", \"object\": \"payment_intent\", \"status\": \"succeeded\"}")));
        jdbc.sql("update payments set locked_until = now() - interval '1 second' where id = :id")
                .param("id", payment.id()).update();
        payments.retry(payment.id());

        assertThat(orders.get(orderId).status()).isEqualTo("paid");
        Payment settled = repository.findById(payment.id()).orElseThrow();
        assertThat(settled.status()).isEqualTo("succeeded");
        assertThat(settled.processorReference()).isEqualTo("pi_done");
        assertThat(settled.attempts()).isEqualTo(2);
        stripe.verify(2, postRequestedFor(urlEqualTo("/v1/payment_intents"))
                .withHeader("Idempotency-Key", com.github.tomakehurst.wiremock.client.WireMock.equalTo(payment.id())));
    }

    @Test
    void aDeclineIsRecordedAndTheOrderStaysPayable() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(aResponse().withStatus(402)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error": {"type": "card_error", "code": "card_declined", "decline_code": "stolen_card",
                          "message": "Your card was declined."}}
                        """)));
        String orderId = placeOrder();

        assertThatThrownBy(() -> payments.pay(new PaymentRequest(orderId, new BigDecimal("25.00"), "USD",
                "pm_card_visa")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("PAYMENT_FAILED");
                    assertThat(e.details()).isEqualTo("stolen_card");
                });

        assertThat(orders.get(orderId).status()).isEqualTo("pending");
        assertThat(onlyPaymentOf(orderId).status()).isEqualTo("failed");
    }

    @Test
    void aSuccessPaysTheOrderAndCancellingRefundsAtStripe() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(okJson(
                "{\"id\": \"pi_paid\", \"object\": \"payment_intent\", \"status\": \"succeeded\"}")));
        stripe.stubFor(post("/v1/refunds").willReturn(okJson(
                "{\"id\": \"re_full\", \"object\": \"refund\", \"status\": \"succeeded\"}")));
        String orderId = placeOrder();

        Payment payment = payments.pay(new PaymentRequest(orderId, new BigDecimal("25.00"), "USD", "pm_card_visa"));

        assertThat(payment.status()).isEqualTo("succeeded");
        assertThat(orders.get(orderId).status()).isEqualTo("paid");
        Refund refund = payments.refund(payment.id(), null, "requested_by_customer");
        assertThat(refund.processorReference()).isEqualTo("re_full");
        stripe.verify(postRequestedFor(urlEqualTo("/v1/refunds")));
    }

    @Test
    void aRefundRetriedAfterNoAnswerReusesItsKeySoStripeCannotPayItTwice() {
        stripe.stubFor(post("/v1/payment_intents").willReturn(okJson(
                "{\"id\": \"pi_paid2\", \"object\": \"payment_intent\", \"status\": \"succeeded\"}")));
        Payment payment = payments.pay(new PaymentRequest(placeOrder(), new BigDecimal("25.00"), "USD",
                "pm_card_visa"));
        stripe.stubFor(post("/v1/refunds").willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> payments.refund(payment.id(), new BigDecimal("5.00"), null))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("PAYMENT_PROCESSOR_UNAVAILABLE"));

        stripe.stubFor(post("/v1/refunds").willReturn(okJson(
                "{\"id\": \"re_once\", \"object\": \"refund\", \"status\": \"succeeded\"}")));
        payments.refund(payment.id(), new BigDecimal("5.00"), null);
        payments.refund(payment.id(), new BigDecimal("5.00"), null);

        var keys = stripe.findAll(postRequestedFor(urlEqualTo("/v1/refunds"))).stream()
                .map(request -> request.getHeader("Idempotency-Key")).toList();
        assertThat(keys).hasSize(3);
        assertThat(keys.get(1)).isEqualTo(keys.get(0)); // the retry of the unconfirmed refund
        assertThat(keys.get(2)).isNotEqualTo(keys.get(1)); // a second refund of the same amount is a new one
    }

    private Payment onlyPaymentOf(String orderId) {
        var all = repository.find(orderId, dev.mercato.web.PageParams.of(10, 0)).items();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private String placeOrder() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String userId = api.post("/v2/users", """
                {"username": "stripe_%s", "email": "stripe_%s@example.com"}
                """.formatted(suffix, suffix)).asAdmin().send().expect(201).json().get("id").asString();
        String productId = api.post("/v2/products", """
                {"name": "Stripe test item", "price": 12.50, "currency": "USD", "stock": 5}
                """).asAdmin().send().expect(201).json().get("id").asString();
        return api.post("/v2/orders", """
                {"user_id": "%s", "items": [{"product_id": "%s", "quantity": 2}],
                 "shipping_address": {"street": "1 Main St", "city": "Springfield", "zip_code": "12345",
                                      "country": "US"}}
                """.formatted(userId, productId)).asAdmin().send().expect(201).json().get("id").asString();
    }
}
