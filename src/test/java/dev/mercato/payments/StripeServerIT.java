package dev.mercato.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.mercato.payments.StripeServer.unsettled;
import static dev.mercato.payments.StripeStandIn.error;
import static dev.mercato.payments.StripeStandIn.intent;
import static dev.mercato.payments.StripeStandIn.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import dev.mercato.events.DomainEvents;
import dev.mercato.payments.StripeServer.OrderPayment;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Race;
import dev.mercato.support.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Stripe as a merchant runs it: a server process started with {@code mercato.payments.processor=stripe}, its Stripe
 * API at a stand-in that keeps Stripe's idempotency rules, driven over HTTP through v1 and v2. Whatever goes wrong at
 * Stripe, no order is marked paid unless Stripe said the charge succeeded, and none is given up while Stripe could
 * still charge. What Stripe received is read from the stand-in; what Mercato recorded through the API, and from the
 * shared database where the API does not show it (processor references, attempts, domain events).
 *
 * <p>The Stripe server's reconciliation jobs run on its own job engine, but only when a test makes one due in the
 * shared job table ({@link StripeServer#retryNow}), as if the retry delay had passed. The test server beside it takes
 * payments with the simulated processor and has no Stripe key; its job engine is paused meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StripeServerIT extends ApiTestSupport {

    /** A Stripe that takes its time but answers within the server's timeout. */
    static final int SLOW_MILLIS = 2_500;

    @Autowired
    DataSource dataSource;

    @Autowired
    Scheduler scheduler;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    DomainEvents eventLog;

    /** The test server's payments: no Stripe key. */
    @Autowired
    PaymentService sharedPayments;

    private StripeServer stripeServer;
    private StripeStandIn stripe;

    @BeforeAll
    void startTheStripeServer() throws Exception {
        stripeServer = new StripeServer(dataSource);
        stripe = stripeServer.stripe;
        stripeServer.start();
    }

    @AfterAll
    void stopTheStripeServer() throws InterruptedException {
        stripeServer.stop();
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

    // ---- taking payments ----

    @Test
    void aV1PaymentConfirmsAPaymentIntentInMinorUnitsNamingMercatosIds() {
        stripe.creates(okJson(intent("pi_v1", "succeeded")));
        String order = order();

        JsonNode payment = stripeServer
                .api
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
        assertThat(stripeServer.orderStatus(order)).isEqualTo("paid");
    }

    @Test
    void aV2PaymentIsTakenByStripe() {
        stripe.creates(okJson(intent("pi_v2", "succeeded")));

        JsonNode payment = stripeServer.pay(order()).expect(201).json();

        assertThat(payment.get("processor").asString()).isEqualTo("stripe");
        assertThat(payment.get("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void aDeclineAnswers402WithStripesDeclineCodeAndTheOrderStaysPayable() {
        stripe.creates(aResponse()
                .withStatus(402)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"error": {"type": "card_error", "code": "card_declined", "decline_code": "stolen_card",
                         "message": "Your card was declined."}}"""));
        String order = order();

        JsonNode error = stripeServer.pay(order).expectError(402, "PAYMENT_FAILED");

        assertThat(error.get("details").asString()).isEqualTo("stolen_card");
        assertThat(stripeServer.orderStatus(order)).isEqualTo("pending");
        assertThat(stripeServer.onlyPaymentOf(order).get("status").asString()).isEqualTo("failed");
    }

    @Test
    void twentyParallelPaymentsOfOneOrderReachStripeOnce() {
        stripe.creates(okJson(intent("pi_once", "succeeded")).withFixedDelay(300));
        String order = order();

        List<Response> answers = Race.requests(20, i -> stripeServer.paying(order));

        assertThat(answers).filteredOn(answer -> answer.status() == 201).hasSize(1);
        assertThat(answers)
                .filteredOn(answer -> answer.status() != 201)
                .hasSize(19)
                .allSatisfy(answer -> assertThat(answer.expect(409)
                                .json()
                                .get("error")
                                .get("code")
                                .asString())
                        .isIn("PAYMENT_IN_PROGRESS", "ORDER_ALREADY_PAID"));
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isEqualTo(1);
        assertThat(stripeServer.orderStatus(order)).isEqualTo("paid");
    }

    // ---- no answer: nothing is assumed ----

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("server error", error(500, "api_error", "internal")),
                Arguments.of(
                        "timeout",
                        okJson(intent("pi_late", "succeeded"))
                                .withFixedDelay((int) StripeServer.TIMEOUT.toMillis() + 1_000)),
                Arguments.of(
                        "malformed reply",
                        aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"id\": \"pi_x\", \"status\"")),
                Arguments.of("dropped connection", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
                Arguments.of("rate limited", error(429, "invalid_request_error", "rate_limit")),
                Arguments.of("undecided intent", okJson(intent("pi_processing", "processing"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void noUsableAnswerAnswers502AndLeavesTheOrderUnpaidAndThePaymentToBeChecked(
            String name, ResponseDefinitionBuilder reply) {
        stripe.creates(reply);
        String order = order();

        String id = unsettled(stripeServer.pay(order));

        assertThat(stripeServer.orderStatus(order)).isEqualTo("pending");
        JsonNode payment = stripeServer.onlyPaymentOf(order);
        assertThat(payment.get("id").asString()).isEqualTo(id);
        assertThat(payment.get("status").asString()).isEqualTo("processing");
        assertThat(eventLog.of(order)).extracting("type").containsExactly("order.created");
    }

    // ---- asking again: learning the real outcome ----

    @Test
    void anUndecidedIntentIsRetrievedNotCreatedAgain() {
        stripe.creates(okJson(intent("pi_slow", "processing")));
        OrderPayment payment = unanswered();
        assertThat(stripeServer.intentOf(payment)).isEqualTo("pi_slow");

        // A retried create would only get "processing" again; the intent itself has moved on.
        stripe.holds("pi_slow", "succeeded");
        stripeServer.retryNow(payment);

        assertThat(stripeServer.orderStatus(payment.orderId())).isEqualTo("paid");
        assertThat(stripeServer.payment(payment).get("status").asString()).isEqualTo("succeeded");
        assertThat(stripeServer.intentOf(payment)).isEqualTo("pi_slow");
        assertThat(stripeServer.attempts(payment)).isEqualTo(2);
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isEqualTo(1);
        assertThat(stripe.count(RequestMethod.GET, "/v1/payment_intents/pi_slow"))
                .isEqualTo(1);
    }

    @Test
    void aSavedServerErrorIsSettledFromTheIntentFoundByItsMetadata() {
        stripe.creates(error(500, "api_error", "internal"));
        OrderPayment payment = unanswered();
        assertThat(stripeServer.payment(payment).get("status").asString()).isEqualTo("processing");

        // The charge had gone through; Stripe replays the saved 500 to the key, but search finds the intent.
        stripe.searchFinds(payment.id(), intent("pi_found", "succeeded"));
        stripeServer.retryNow(payment);

        assertThat(stripeServer.orderStatus(payment.orderId())).isEqualTo("paid");
        assertThat(stripeServer.payment(payment).get("status").asString()).isEqualTo("succeeded");
        assertThat(stripeServer.intentOf(payment)).isEqualTo("pi_found");
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isEqualTo(2);
        stripe.server.verify(
                2,
                postRequestedFor(urlEqualTo("/v1/payment_intents"))
                        .withHeader("Idempotency-Key", equalTo(payment.id())));
    }

    @Test
    void aCreateThatNeverReachedStripeIsSentAgainWithTheSameKey() {
        stripe.unreachable("/v1/payment_intents", okJson(intent("pi_second", "succeeded")));
        OrderPayment payment = unanswered();
        stripe.networkBack();

        stripeServer.retryNow(payment);

        assertThat(stripeServer.orderStatus(payment.orderId())).isEqualTo("paid");
        assertThat(stripeServer.onlyPaymentOf(payment.orderId()).get("status").asString())
                .isEqualTo("succeeded");
        assertThat(stripeServer.intentOf(payment)).isEqualTo("pi_second");
    }

    static Stream<Arguments> idempotencyConflicts() {
        return Stream.of(
                Arguments.of("400 idempotency_error", error(400, "idempotency_error", "idempotency_key_reused")),
                Arguments.of("409 key in use", error(409, "idempotency_error", "idempotency_key_in_use")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idempotencyConflicts")
    void anIdempotencyConflictAtStripeIsSettledFromTheIntentFound(String name, ResponseDefinitionBuilder reply) {
        stripe.creates(reply);
        OrderPayment payment = unanswered();

        stripe.searchFinds(payment.id(), intent("pi_first", "succeeded"));
        stripeServer.retryNow(payment);

        assertThat(stripeServer.orderStatus(payment.orderId())).isEqualTo("paid");
        assertThat(stripeServer.onlyPaymentOf(payment.orderId()).get("status").asString())
                .isEqualTo("succeeded");
        assertThat(stripeServer.intentOf(payment)).isEqualTo("pi_first");
    }

    @Test
    void aPaymentLeftUnknownIsSettledByStripesEvent() {
        stripe.creates(error(500, "api_error", "internal"));
        OrderPayment payment = unanswered();

        String event = """
                {"id": "evt_%s", "object": "event", "api_version": "2024-06-20", "type": "payment_intent.succeeded",
                 "data": {"object": {"id": "pi_evt", "object": "payment_intent", "amount": 2500, "currency": "usd",
                 "status": "succeeded", "metadata": {"mercato_payment_id": "%s"}}}}""".formatted(UUID.randomUUID(), payment.id());
        stripeServer
                .api
                .post("/webhooks/stripe", event)
                .header(
                        "Stripe-Signature",
                        StripeWebhooksIT.sign(event, Instant.now().getEpochSecond()))
                .send()
                .expect(200);

        assertThat(stripeServer.payment(payment).get("status").asString()).isEqualTo("succeeded");
        assertThat(stripeServer.orderStatus(payment.orderId())).isEqualTo("paid");
    }

    // ---- giving up: only once nothing can be charged ----

    @Test
    void givingUpCancelsTheIntentAndOnlyThenFreesTheOrder() {
        stripe.creates(okJson(intent("pi_stuck", "processing")));
        stripe.holds("pi_stuck", "processing");
        stripe.cancels("pi_stuck", okJson(intent("pi_stuck", "canceled")));
        OrderPayment payment = unanswered();

        stripeServer.lastAttempt(payment);

        JsonNode failed = stripeServer.payment(payment);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("decline_code").asString()).isEqualTo("processor_unavailable");
        assertThat(stripeServer.orderStatus(payment.orderId())).isEqualTo("pending");
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents/pi_stuck/cancel"))
                .isEqualTo(1);
        assertThat(eventLog.of(payment.id())).extracting("type").containsExactly("payment.failed");
    }

    @Test
    void anIntentThatWillNotCancelKeepsThePaymentOpenUntilStripeDecides() {
        stripe.creates(okJson(intent("pi_stuck", "processing")));
        stripe.holds("pi_stuck", "processing");
        stripe.cancels("pi_stuck", error(400, "invalid_request_error", "payment_intent_unexpected_state"));
        OrderPayment payment = unanswered();

        stripeServer.lastAttempt(payment);

        assertThat(stripeServer.payment(payment).get("status").asString()).isEqualTo("processing");
        Response again = stripeServer.pay(payment.orderId());
        again.expectError(409, "PAYMENT_IN_PROGRESS");
        assertThat(again.header("Retry-After")).isNotNull();

        // Stripe settles it after all: the next attempt learns it, and the order is paid once.
        stripe.holds("pi_stuck", "succeeded");
        stripeServer.retryNow(payment);
        assertThat(stripeServer.orderStatus(payment.orderId())).isEqualTo("paid");
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isEqualTo(1);
    }

    @Test
    void withoutAnyIntentThePaymentFailsOnlyOnceSearchHasCaughtUp() {
        stripe.creates(error(500, "api_error", "internal"));
        OrderPayment payment = unanswered();
        stripe.searchFinds(payment.id());

        // The previous call ended a moment ago: an empty search proves nothing yet.
        stripeServer.lastAttempt(payment);
        assertThat(stripeServer.payment(payment).get("status").asString()).isEqualTo("processing");

        stripeServer.searchLagPassed(payment);
        stripeServer.retryNow(payment);

        JsonNode failed = stripeServer.payment(payment);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("decline_code").asString()).isEqualTo("processor_unavailable");
        // Giving up never creates: only the first call did.
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isEqualTo(1);
    }

    // ---- refunds and cancellations ----

    @Test
    void aRefundThroughTheApiReachesStripesRefunds() {
        OrderPayment payment = paidAtStripe("pi_refunded");
        stripe.refunds(okJson(refund("re_1", "succeeded", "ignored")));

        JsonNode refund =
                stripeServer.refund(payment, "{\"amount\": 10.00}").expect(201).json();

        assertThat(refund.get("status").asString()).isEqualTo("succeeded");
        stripe.server.verify(postRequestedFor(urlEqualTo("/v1/refunds"))
                .withHeader("Idempotency-Key", equalTo(refund.get("id").asString()))
                .withRequestBody(containing("amount=1000"))
                .withRequestBody(containing("payment_intent=pi_refunded")));
        assertThat(stripeServer.refundedAmount(payment)).isEqualByComparingTo("10.00");
    }

    @Test
    void cancellingAPaidOrderRefundsAtStripeWithoutHoldingAConnectionOrALock() throws Exception {
        OrderPayment payment = paidAtStripe("pi_paid");
        stripe.refunds(okJson(refund("re_full", "succeeded", "ours")).withFixedDelay(SLOW_MILLIS));

        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<Response> cancelling = background.submit(() -> stripeServer.cancel(payment.orderId()));
        background.shutdown();
        stripeServer.awaitRequests("/v1/refunds", 1);

        // While Stripe takes its time, the order and the payment are free, and the refund is recorded as pending.
        transaction.executeWithoutResult(status -> {
            jdbc.sql("select id from orders where id = :id for update nowait")
                    .param("id", payment.orderId())
                    .query(String.class)
                    .single();
            jdbc.sql("select id from payments where id = :id for update nowait")
                    .param("id", payment.id())
                    .query(String.class)
                    .single();
        });
        assertThat(stripeServer.refundsOf(payment))
                .extracting(r -> r.get("status").asString())
                .containsExactly("pending");
        // Nothing moves the order meanwhile.
        stripeServer.changeStatus(payment.orderId(), "shipped").expectError(409, "REFUND_IN_PROGRESS");
        JsonNode cancelled = cancelling.get(10, TimeUnit.SECONDS).expect(200).json();

        assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
        assertThat(stripeServer.orderStatus(payment.orderId())).isEqualTo("cancelled");
        JsonNode made = stripeServer.refundsOf(payment);
        assertThat(made)
                .extracting(
                        r -> r.get("status").asString(), r -> r.get("reason").asString())
                .containsExactly(tuple("succeeded", "order_cancelled"));
        String refundId = made.get(0).get("id").asString();
        assertThat(stripeServer.referenceOfRefund(refundId)).isEqualTo("re_full");
        assertThat(stripeServer.refundedAmount(payment)).isEqualByComparingTo("25.00");
        stripe.server.verify(postRequestedFor(urlEqualTo("/v1/refunds"))
                .withHeader("Idempotency-Key", equalTo(refundId))
                .withRequestBody(containing("payment_intent=pi_paid"))
                .withRequestBody(containing("amount=2500")));
    }

    @Test
    void refundsWaitingForStripeHoldNoDatabaseConnection() throws Exception {
        List<OrderPayment> paid = IntStream.range(0, 8)
                .mapToObj(i -> paidAtStripe("pi_slow_" + i))
                .toList();
        stripe.refunds(okJson(refund("re_slow", "succeeded", "ours")).withFixedDelay(SLOW_MILLIS));

        ExecutorService callers = Executors.newFixedThreadPool(paid.size());
        List<Future<Response>> made = paid.stream()
                .map(payment -> callers.submit(() -> stripeServer.refund(payment, "{}")))
                .toList();
        callers.shutdown();
        stripeServer.awaitRequests("/v1/refunds", paid.size());

        // Eight refunds are waiting for Stripe; before, each held a pooled connection (and row locks) meanwhile.
        assertThat(stripeServer.activeConnections()).isLessThan(4);
        for (Future<Response> refund : made) {
            assertThat(refund.get(10, TimeUnit.SECONDS)
                            .expect(201)
                            .json()
                            .get("status")
                            .asString())
                    .isEqualTo("succeeded");
        }
    }

    @Test
    void aRefundStripeFailsIsRecordedAsFailedAndRefundsNothing() {
        OrderPayment payment = paidAtStripe("pi_paid_f");
        stripe.refunds(okJson("""
                {"id": "re_failed", "object": "refund", "status": "failed", "failure_reason": "lost_or_stolen_card"}
                """));

        stripeServer.refund(payment, "{}").expectError(409, "REFUND_FAILED");
        JsonNode error = stripeServer.cancel(payment.orderId()).expectError(409, "REFUND_FAILED");

        assertThat(error.get("details").asString()).isEqualTo("lost_or_stolen_card");
        assertThat(stripeServer.refundsOf(payment))
                .extracting(
                        r -> r.get("status").asString(),
                        r -> r.get("failure_code").asString())
                .containsExactly(tuple("failed", "lost_or_stolen_card"), tuple("failed", "lost_or_stolen_card"));
        assertThat(stripeServer.refundedAmount(payment)).isZero();
        assertThat(stripeServer.orderStatus(payment.orderId())).isEqualTo("paid");
    }

    @Test
    void aRefundStripeRejectsAsInvalidAnswers409AndRefundsNothing() {
        OrderPayment payment = paidAtStripe("pi_paid_i");
        stripe.refunds(error(400, "invalid_request_error", "charge_disputed"));

        JsonNode error = stripeServer.refund(payment, "{\"amount\": 5.00}").expectError(409, "REFUND_FAILED");

        assertThat(error.get("details").asString()).isEqualTo("charge_disputed");
        assertThat(stripeServer.refundedAmount(payment)).isZero();
    }

    @Test
    void anUnconfirmedRefundStaysPendingAndHoldsThePaymentUntilItIsFound() {
        OrderPayment payment = paidAtStripe("pi_paid_u");
        stripe.refunds(error(500, "api_error", "internal"));

        String refundId = unsettled(stripeServer.refund(payment, "{\"amount\": 5.00}"));
        assertThat(stripeServer.refundsOf(payment))
                .extracting(r -> r.get("id").asString(), r -> r.get("status").asString())
                .containsExactly(tuple(refundId, "pending"));
        stripeServer.refund(payment, "{\"amount\": 1.00}").expectError(409, "REFUND_IN_PROGRESS");
        stripeServer.cancel(payment.orderId()).expectError(409, "REFUND_IN_PROGRESS");

        // Stripe replays the saved 500 to the key; the refund is found among its intent's refunds.
        stripe.listsRefunds("pi_paid_u", refund("re_found", "succeeded", refundId));
        stripeServer.retryRefundNow(refundId);

        assertThat(stripeServer.refundsOf(payment))
                .extracting(r -> r.get("status").asString())
                .containsExactly("succeeded");
        assertThat(stripeServer.refundedAmount(payment)).isEqualByComparingTo("5.00");
        assertThat(eventLog.of(payment.id()))
                .extracting("type")
                .containsExactly("payment.succeeded", "payment.refunded");
    }

    @Test
    void anUnconfirmedCancellationRefundCancelsTheOrderOnceFound() {
        OrderPayment payment = paidAtStripe("pi_paid_c");
        stripe.refunds(error(500, "api_error", "internal"));

        String refundId = unsettled(stripeServer.cancel(payment.orderId()));
        assertThat(stripeServer.orderStatus(payment.orderId())).isEqualTo("paid");

        stripe.listsRefunds("pi_paid_c", refund("re_found", "succeeded", refundId));
        stripeServer.retryRefundNow(refundId);

        assertThat(stripeServer.orderStatus(payment.orderId())).isEqualTo("cancelled");
        assertThat(eventLog.of(payment.orderId())).extracting("type").endsWith("order.cancelled");
    }

    @Test
    void aRefundStripeNeverMadeFailsOnlyOnceItsListHasCaughtUp() {
        OrderPayment payment = paidAtStripe("pi_paid_n");
        stripe.refunds(error(500, "api_error", "internal"));
        String refundId = unsettled(stripeServer.refund(payment, "{}"));
        stripe.listsRefunds("pi_paid_n");

        stripeServer.retryRefundNow(refundId);
        assertThat(stripeServer.refundsOf(payment))
                .extracting(r -> r.get("status").asString())
                .containsExactly("pending");

        stripeServer.refundSearchLagPassed(refundId);
        stripeServer.retryRefundNow(refundId);

        assertThat(stripeServer.refundsOf(payment))
                .extracting(r -> r.get("status").asString())
                .containsExactly("failed");
        assertThat(stripeServer.refundedAmount(payment)).isZero();
        // Nothing holds the payment any more: a new refund can be asked for, under a key of its own.
        assertThat(unsettled(stripeServer.refund(payment, "{}"))).isNotEqualTo(refundId);
    }

    @Test
    void aRefundThatNeverReachedStripeIsAskedForAgainWithItsKey() {
        OrderPayment payment = paidAtStripe("pi_paid2");
        stripe.unreachable("/v1/refunds", okJson(refund("re_once", "succeeded", "ours")));
        String refundId = unsettled(stripeServer.refund(payment, "{\"amount\": 5.00}"));
        stripe.networkBack();
        stripe.listsRefunds("pi_paid2");

        stripeServer.retryRefundNow(refundId);

        assertThat(stripeServer.refundsOf(payment))
                .extracting(r -> r.get("status").asString())
                .containsExactly("succeeded");
        var keys = stripe.server.findAll(postRequestedFor(urlEqualTo("/v1/refunds"))).stream()
                .map(request -> request.getHeader("Idempotency-Key"))
                .distinct()
                .toList();
        assertThat(keys).containsExactly(refundId);
        // A second refund of the same amount is a new one, with a key of its own.
        String second = stripeServer
                .refund(payment, "{\"amount\": 5.00}")
                .expect(201)
                .json()
                .get("id")
                .asString();
        assertThat(second).isNotEqualTo(refundId);
        assertThat(stripeServer.refundedAmount(payment)).isEqualByComparingTo("10.00");
    }

    @Test
    void aRefundRequestRetriedUnderItsIdempotencyKeyGetsTheRefundItStarted() {
        OrderPayment payment = paidAtStripe("pi_paid_k");
        stripe.refunds(error(500, "api_error", "internal"));
        String key = UUID.randomUUID().toString();
        String refundId = unsettled(stripeServer.refund(payment, "{\"amount\": 5.00}", key));
        stripeServer.refund(payment, "{\"amount\": 5.00}", key).expectError(409, "REFUND_IN_PROGRESS");
        stripe.listsRefunds("pi_paid_k", refund("re_found", "succeeded", refundId));
        stripeServer.retryRefundNow(refundId);

        JsonNode answered = stripeServer
                .refund(payment, "{\"amount\": 5.00}", key)
                .expect(201)
                .json();

        assertThat(answered.get("id").asString()).isEqualTo(refundId);
        assertThat(answered.get("status").asString()).isEqualTo("succeeded");
        assertThat(stripeServer.refundedAmount(payment)).isEqualByComparingTo("5.00");
        stripeServer.refund(payment, "{\"amount\": 6.00}", key).expectError(422, "IDEMPOTENCY_KEY_REUSED");
    }

    // ---- each payment stays with the processor that took it ----

    @Test
    void aServerWithoutStripeRefusesToTouchAStripePaymentRatherThanPretend() {
        OrderPayment paid = paidAtStripe("pi_elsewhere");

        // The test server has no Stripe key: refunding or cancelling (which refunds) is refused, naming Stripe.
        JsonNode refused = api.post("/v2/payments/" + paid.id() + "/refunds", "{}")
                .asAdmin()
                .send()
                .expectError(409, "PROCESSOR_UNAVAILABLE");
        assertThat(refused.get("details").asString()).isEqualTo("stripe");
        api.patch("/v2/orders/" + paid.orderId(), "{\"status\": \"cancelled\"}")
                .asAdmin()
                .send()
                .expectError(409, "PROCESSOR_UNAVAILABLE");
        assertThat(stripeServer.orderStatus(paid.orderId())).isEqualTo("paid");
        assertThat(stripeServer.refundsOf(paid)).isEmpty();

        // A Stripe payment with an unknown outcome is left alone by its reconciliation job there, not given up: the job
        // puts itself off for the servers that have Stripe. (The job is run here as the test server's engine would run
        // it; made due in the shared table, the Stripe server's engine would take it first.)
        stripe.creates(okJson(intent("pi_open", "processing")));
        OrderPayment open = unanswered();
        stripeServer.setAttempts(open, StripeServer.MAX_ATTEMPTS);
        assertThat(sharedPayments.reconcile(open.id())).isPresent();
        assertThat(stripeServer.payment(open).get("status").asString()).isEqualTo("processing");
        assertThat(stripeServer.attempts(open)).isEqualTo(StripeServer.MAX_ATTEMPTS);
        api.post("/v2/payments", StripeServer.payBody(open.orderId()))
                .asAdmin()
                .send()
                .expectError(409, "PROCESSOR_UNAVAILABLE");
    }

    @Test
    void aSimulatedPaymentIsRefundedBySimulationOnAServerThatTakesStripe() {
        String order = order();
        String paymentId = api.post("/v2/payments", StripeServer.payBody(order))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();

        JsonNode refund = stripeServer
                .refund(new OrderPayment(paymentId, order), "{\"reason\": \"requested_by_customer\"}")
                .expect(201)
                .json();

        assertThat(refund.get("status").asString()).isEqualTo("succeeded");
        assertThat(stripeServer.referenceOfRefund(refund.get("id").asString())).startsWith("re_sim_");
        assertThat(stripe.server.getAllServeEvents()).isEmpty();
    }

    // ---- fixtures ----

    /** A pending order of 2 at 12.50 USD, by a new user, placed on the test server. */
    private String order() {
        String productId = aProduct().priced("12.50", "USD").withStock(5).create();
        return placeOrder(aUser().create(), productId, 2)
                .expect(201)
                .json()
                .get("id")
                .asString();
    }

    /** A payment whose first call Stripe did not answer usably (with whatever the creates are stubbed to do). */
    private OrderPayment unanswered() {
        String order = order();
        String id = unsettled(stripeServer.pay(order));
        return new OrderPayment(id, order);
    }

    private OrderPayment paidAtStripe(String intentId) {
        stripe.creates(okJson(intent(intentId, "succeeded")));
        String order = order();
        JsonNode payment = stripeServer.pay(order).expect(201).json();
        assertThat(payment.get("status").asString()).isEqualTo("succeeded");
        assertThat(payment.get("processor").asString()).isEqualTo("stripe");
        stripe.reset();
        return new OrderPayment(payment.get("id").asString(), order);
    }
}
