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
import static dev.mercato.payments.StripeStandIn.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.zaxxer.hikari.HikariDataSource;
import dev.mercato.events.DomainEvents;
import dev.mercato.idempotency.IdempotencyProperties;
import dev.mercato.jobs.Jobs;
import dev.mercato.orders.OrderService;
import dev.mercato.payments.PaymentService.PaymentRequest;
import dev.mercato.security.Caller;
import dev.mercato.shared.DomainException;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Race;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The whole payment path (orders, payments table, events) with the Stripe processor talking to a local stand-in for
 * Stripe that replays the first answer to an idempotency key, as Stripe does: whatever goes wrong at Stripe, no
 * order is marked paid unless Stripe said the charge succeeded, and none is given up while Stripe could still charge.
 *
 * <p>The shared test server takes payments with the simulated processor and has no Stripe key, so these tests drive
 * a {@link PaymentService} set up for Stripe over the same database and orders; what the shared server does with a
 * payment Stripe took goes over HTTP.
 */
class StripePaymentsIT extends ApiTestSupport {

    static final StripeStandIn stripe = new StripeStandIn();
    static final int MAX_ATTEMPTS = 8;
    /** The shop itself, as an API key with every scope acts: not confined to one user. */
    static final Caller MERCHANT = Caller.SYSTEM;

    @Autowired
    PaymentRepository repository;

    @Autowired
    RefundRepository refundRepository;

    @Autowired
    OrderService orders;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    DomainEvents eventLog;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PaymentService sharedPayments;

    @Autowired
    Jobs jobs;

    @Autowired
    DataSource dataSource;

    PaymentService payments;
    RefundService refunds;

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
        stripe.reset();
        var properties = stripe.payments("stripe", "sk_test_123", MAX_ATTEMPTS);
        var idempotency = new IdempotencyProperties(Duration.ofHours(24), Duration.ofMinutes(2), Duration.ofHours(1));
        var processor = new StripePaymentProcessor(properties, Clock.systemUTC());
        var processors = new PaymentProcessors(List.of(processor, new SimulatedPaymentProcessor()), properties);
        payments = new PaymentService(
                repository, orders, events, processors, transaction, jobs, Clock.systemUTC(), properties, idempotency);
        refunds = new RefundService(
                refundRepository,
                repository,
                payments,
                processors,
                orders,
                events,
                transaction,
                jobs,
                Clock.systemUTC(),
                properties,
                idempotency);
    }

    // ---- no answer: nothing is assumed ----

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("server error", error(500, "api_error", "internal")),
                Arguments.of("timeout", okJson(intent("pi_late", "succeeded")).withFixedDelay(4_000)),
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
    void noUsableAnswerLeavesTheOrderUnpaidAndThePaymentToBeChecked(String name, ResponseDefinitionBuilder reply) {
        stripe.creates(reply);
        String orderId = placeOrder();

        expectCode(() -> pay(orderId), "PAYMENT_PROCESSOR_UNAVAILABLE");

        assertThat(orders.get(MERCHANT, orderId).status()).isEqualTo("pending");
        Payment payment = onlyPaymentOf(orderId);
        assertThat(payment.status()).isEqualTo("processing");
        assertThat(eventLog.of(orderId)).extracting("type").containsExactly("order.created");
    }

    // ---- asking again: learning the real outcome ----

    @Test
    void anUndecidedIntentIsRetrievedNotCreatedAgain() {
        stripe.creates(okJson(intent("pi_slow", "processing")));
        Payment payment = unanswered();
        String orderId = payment.orderId();
        assertThat(payment.processorReference()).isEqualTo("pi_slow");

        // A retried create would only get "processing" again; the intent itself has moved on.
        stripe.holds("pi_slow", "succeeded");
        retryNow(payment);

        assertThat(orders.get(MERCHANT, orderId).status()).isEqualTo("paid");
        Payment settled = repository.findById(payment.id()).orElseThrow();
        assertThat(settled.status()).isEqualTo("succeeded");
        assertThat(settled.processorReference()).isEqualTo("pi_slow");
        assertThat(settled.attempts()).isEqualTo(2);
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isEqualTo(1);
        assertThat(stripe.count(RequestMethod.GET, "/v1/payment_intents/pi_slow"))
                .isEqualTo(1);
    }

    @Test
    void aSavedServerErrorIsSettledFromTheIntentFoundByItsMetadata() {
        stripe.creates(error(500, "api_error", "internal"));
        Payment payment = unanswered();
        String orderId = payment.orderId();

        // The charge had gone through; Stripe replays the saved 500 to the key, but search finds the intent.
        stripe.searchFinds(payment.id(), intent("pi_found", "succeeded"));
        retryNow(payment);

        assertThat(orders.get(MERCHANT, orderId).status()).isEqualTo("paid");
        assertThat(repository.findById(payment.id()).orElseThrow().processorReference())
                .isEqualTo("pi_found");
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isEqualTo(2);
        stripe.server.verify(
                2,
                postRequestedFor(urlEqualTo("/v1/payment_intents"))
                        .withHeader("Idempotency-Key", equalTo(payment.id())));
    }

    @Test
    void aCreateThatNeverReachedStripeIsSentAgainWithTheSameKey() {
        stripe.unreachable("/v1/payment_intents", okJson(intent("pi_second", "succeeded")));
        Payment payment = unanswered();
        stripe.networkBack();

        retryNow(payment);

        assertThat(orders.get(MERCHANT, payment.orderId()).status()).isEqualTo("paid");
        assertThat(onlyPaymentOf(payment.orderId()).processorReference()).isEqualTo("pi_second");
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
        Payment payment = unanswered();
        String orderId = payment.orderId();

        stripe.searchFinds(payment.id(), intent("pi_first", "succeeded"));
        retryNow(payment);

        assertThat(orders.get(MERCHANT, orderId).status()).isEqualTo("paid");
        assertThat(onlyPaymentOf(orderId).processorReference()).isEqualTo("pi_first");
    }

    // ---- giving up: only once nothing can be charged ----

    @Test
    void givingUpCancelsTheIntentAndOnlyThenFreesTheOrder() {
        stripe.creates(okJson(intent("pi_stuck", "processing")));
        stripe.holds("pi_stuck", "processing");
        stripe.cancels("pi_stuck", okJson(intent("pi_stuck", "canceled")));
        Payment payment = unanswered();
        String orderId = payment.orderId();

        lastAttempt(payment);

        Payment failed = repository.findById(payment.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.declineCode()).isEqualTo("processor_unavailable");
        assertThat(orders.get(MERCHANT, orderId).status()).isEqualTo("pending");
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents/pi_stuck/cancel"))
                .isEqualTo(1);
        assertThat(eventLog.of(payment.id())).extracting("type").containsExactly("payment.failed");
    }

    @Test
    void anIntentThatWillNotCancelKeepsThePaymentOpenUntilStripeDecides() {
        stripe.creates(okJson(intent("pi_stuck", "processing")));
        stripe.holds("pi_stuck", "processing");
        stripe.cancels("pi_stuck", error(400, "invalid_request_error", "payment_intent_unexpected_state"));
        Payment payment = unanswered();
        String orderId = payment.orderId();

        lastAttempt(payment);

        assertThat(repository.findById(payment.id()).orElseThrow().status()).isEqualTo("processing");
        expectCode(() -> pay(orderId), "PAYMENT_IN_PROGRESS");

        // Stripe settles it after all: the next attempt learns it, and the order is paid once.
        stripe.holds("pi_stuck", "succeeded");
        retryNow(payment);
        assertThat(orders.get(MERCHANT, orderId).status()).isEqualTo("paid");
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isEqualTo(1);
    }

    @Test
    void withoutAnyIntentThePaymentFailsOnlyOnceSearchHasCaughtUp() {
        stripe.creates(error(500, "api_error", "internal"));
        Payment payment = unanswered();
        stripe.searchFinds(payment.id());

        // The previous call ended a moment ago: an empty search proves nothing yet.
        lastAttempt(payment);
        assertThat(repository.findById(payment.id()).orElseThrow().status()).isEqualTo("processing");

        jdbc.sql("update payments set updated_at = now() - interval '11 minutes' where id = :id")
                .param("id", payment.id())
                .update();
        retryNow(payment);

        Payment failed = repository.findById(payment.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.declineCode()).isEqualTo("processor_unavailable");
        // Giving up never creates: only the first call did.
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isEqualTo(1);
    }

    // ---- definite answers ----

    @Test
    void aDeclineIsRecordedAndTheOrderStaysPayable() {
        stripe.creates(aResponse()
                .withStatus(402)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error": {"type": "card_error", "code": "card_declined", "decline_code": "stolen_card",
                  "message": "Your card was declined."}}
                """));
        String orderId = placeOrder();

        assertThatThrownBy(() -> pay(orderId)).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo("PAYMENT_FAILED");
            assertThat(e.details()).isEqualTo("stolen_card");
        });

        assertThat(orders.get(MERCHANT, orderId).status()).isEqualTo("pending");
        assertThat(onlyPaymentOf(orderId).status()).isEqualTo("failed");
    }

    @Test
    void twentyParallelPaymentsOfOneOrderReachStripeOnce() {
        stripe.creates(okJson(intent("pi_once", "succeeded")).withFixedDelay(300));
        String orderId = placeOrder();

        List<Object> outcomes = Race.run(20, i -> paymentOrCode(orderId));

        assertThat(outcomes).filteredOn(Payment.class::isInstance).hasSize(1);
        assertThat(outcomes)
                .filteredOn(outcome -> !(outcome instanceof Payment))
                .hasSize(19)
                .allSatisfy(code -> assertThat(code).isIn("PAYMENT_IN_PROGRESS", "ORDER_ALREADY_PAID"));
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isEqualTo(1);
        assertThat(orders.get(MERCHANT, orderId).status()).isEqualTo("paid");
    }

    // ---- refunds and cancellations ----

    @Test
    void cancellingAPaidOrderRefundsAtStripeWithoutHoldingAConnectionOrALock() throws Exception {
        Payment payment = paidAtStripe("pi_paid");
        stripe.server.stubFor(post("/v1/refunds")
                .willReturn(okJson(refund("re_full", "succeeded", "ours")).withFixedDelay(1_500)));

        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<?> cancelling = background.submit(() -> cancelAtStripe(payment.orderId()));
        background.shutdown();
        awaitRequest("/v1/refunds");

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
        assertThat(refunds.refundsOf(payment)).extracting(Refund::status).containsExactly("pending");
        // Nothing moves the order meanwhile.
        api.patch("/v2/orders/" + payment.orderId(), "{\"status\": \"shipped\"}")
                .asAdmin()
                .send()
                .expectError(409, "REFUND_IN_PROGRESS");
        cancelling.get(10, TimeUnit.SECONDS);

        assertThat(orders.get(MERCHANT, payment.orderId()).status()).isEqualTo("cancelled");
        List<Refund> made = refunds.refundsOf(payment);
        assertThat(made).extracting(Refund::status).containsExactly("succeeded");
        assertThat(made).extracting(Refund::processorReference).containsExactly("re_full");
        assertThat(made).extracting(Refund::reason).containsExactly("order_cancelled");
        assertThat(repository.findById(payment.id()).orElseThrow().refundedAmount())
                .isEqualByComparingTo("25.00");
        stripe.server.verify(postRequestedFor(urlEqualTo("/v1/refunds"))
                .withHeader("Idempotency-Key", equalTo(made.get(0).id()))
                .withRequestBody(containing("payment_intent=pi_paid"))
                .withRequestBody(containing("amount=2500")));
    }

    @Test
    void refundsWaitingForStripeHoldNoDatabaseConnection() throws Exception {
        List<Payment> paid = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            paid.add(paidAtStripe("pi_slow_" + i));
        }
        stripe.server.stubFor(post("/v1/refunds")
                .willReturn(okJson(refund("re_slow", "succeeded", "ours")).withFixedDelay(1_500)));

        ExecutorService callers = Executors.newFixedThreadPool(paid.size());
        List<Future<Refund>> made = paid.stream()
                .map(payment -> callers.submit(() -> refunds.refund(MERCHANT, payment.id(), null, null, null)))
                .toList();
        callers.shutdown();
        awaitRequests("/v1/refunds", paid.size());

        // Eight refunds are waiting for Stripe; before, each held a pooled connection (and row locks) meanwhile.
        int active =
                dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean().getActiveConnections();
        assertThat(active).isLessThan(4);
        for (Future<Refund> refund : made) {
            assertThat(refund.get(10, TimeUnit.SECONDS).status()).isEqualTo("succeeded");
        }
    }

    @Test
    void aRefundStripeFailsIsRecordedAsFailedAndRefundsNothing() {
        Payment payment = paidAtStripe("pi_paid_f");
        stripe.server.stubFor(post("/v1/refunds").willReturn(okJson("""
                {"id": "re_failed", "object": "refund", "status": "failed", "failure_reason": "lost_or_stolen_card"}
                """)));

        expectCode(() -> refunds.refund(MERCHANT, payment.id(), null, null, null), "REFUND_FAILED");
        assertThatThrownBy(() -> cancelAtStripe(payment.orderId())).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo("REFUND_FAILED");
            assertThat(e.details()).isEqualTo("lost_or_stolen_card");
        });

        assertThat(refunds.refundsOf(payment)).extracting(Refund::status).containsExactly("failed", "failed");
        assertThat(refunds.refundsOf(payment)).extracting(Refund::failureCode).containsOnly("lost_or_stolen_card");
        assertThat(repository.findById(payment.id()).orElseThrow().refundedAmount())
                .isZero();
        assertThat(orders.get(MERCHANT, payment.orderId()).status()).isEqualTo("paid");
    }

    @Test
    void aRefundStripeRejectsAsInvalidIsAFailure() {
        Payment payment = paidAtStripe("pi_paid_i");
        stripe.server.stubFor(post("/v1/refunds").willReturn(error(400, "invalid_request_error", "charge_disputed")));

        assertThatThrownBy(() -> refunds.refund(MERCHANT, payment.id(), new BigDecimal("5.00"), null, null))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo("REFUND_FAILED");
                    assertThat(e.details()).isEqualTo("charge_disputed");
                });
        assertThat(repository.findById(payment.id()).orElseThrow().refundedAmount())
                .isZero();
    }

    @Test
    void anUnconfirmedRefundStaysPendingAndHoldsThePaymentUntilItIsFound() {
        Payment payment = paidAtStripe("pi_paid_u");
        stripe.server.stubFor(post("/v1/refunds").willReturn(error(500, "api_error", "internal")));

        String refundId = codeAndDetails(
                () -> refunds.refund(MERCHANT, payment.id(), new BigDecimal("5.00"), null, null),
                "PAYMENT_PROCESSOR_UNAVAILABLE");
        assertThat(refunds.refundsOf(payment))
                .extracting(Refund::id, Refund::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(refundId, "pending"));
        expectCode(
                () -> refunds.refund(MERCHANT, payment.id(), new BigDecimal("1.00"), null, null), "REFUND_IN_PROGRESS");
        expectCode(() -> cancelAtStripe(payment.orderId()), "REFUND_IN_PROGRESS");

        // Stripe replays the saved 500 to the key; the refund is found among its intent's refunds.
        stripe.listsRefunds("pi_paid_u", refund("re_found", "succeeded", refundId));
        retryRefundNow(refundId);

        assertThat(refunds.refundsOf(payment)).extracting(Refund::status).containsExactly("succeeded");
        assertThat(repository.findById(payment.id()).orElseThrow().refundedAmount())
                .isEqualByComparingTo("5.00");
        assertThat(eventLog.of(payment.id()))
                .extracting("type")
                .containsExactly("payment.succeeded", "payment.refunded");
    }

    @Test
    void anUnconfirmedCancellationRefundCancelsTheOrderOnceFound() {
        Payment payment = paidAtStripe("pi_paid_c");
        stripe.server.stubFor(post("/v1/refunds").willReturn(error(500, "api_error", "internal")));
        String refundId = codeAndDetails(() -> cancelAtStripe(payment.orderId()), "PAYMENT_PROCESSOR_UNAVAILABLE");
        assertThat(orders.get(MERCHANT, payment.orderId()).status()).isEqualTo("paid");

        stripe.listsRefunds("pi_paid_c", refund("re_found", "succeeded", refundId));
        retryRefundNow(refundId);

        assertThat(orders.get(MERCHANT, payment.orderId()).status()).isEqualTo("cancelled");
        assertThat(eventLog.of(payment.orderId())).extracting("type").endsWith("order.cancelled");
    }

    @Test
    void aRefundStripeNeverMadeFailsOnlyOnceItsListHasCaughtUp() {
        Payment payment = paidAtStripe("pi_paid_n");
        stripe.server.stubFor(post("/v1/refunds").willReturn(error(500, "api_error", "internal")));
        String refundId = codeAndDetails(
                () -> refunds.refund(MERCHANT, payment.id(), null, null, null), "PAYMENT_PROCESSOR_UNAVAILABLE");
        stripe.listsRefunds("pi_paid_n");

        retryRefundNow(refundId);
        assertThat(refundRepository.findById(refundId).orElseThrow().status()).isEqualTo("pending");

        jdbc.sql("update refunds set updated_at = now() - interval '11 minutes' where id = :id")
                .param("id", refundId)
                .update();
        retryRefundNow(refundId);

        assertThat(refundRepository.findById(refundId).orElseThrow().status()).isEqualTo("failed");
        assertThat(repository.findById(payment.id()).orElseThrow().refundedAmount())
                .isZero();
        // Nothing holds the payment any more: a new refund can be asked for, under a key of its own.
        assertThat(codeAndDetails(
                        () -> refunds.refund(MERCHANT, payment.id(), null, null, null),
                        "PAYMENT_PROCESSOR_UNAVAILABLE"))
                .isNotEqualTo(refundId);
    }

    @Test
    void aRefundThatNeverReachedStripeIsAskedForAgainWithItsKey() {
        Payment payment = paidAtStripe("pi_paid2");
        stripe.unreachable("/v1/refunds", okJson(refund("re_once", "succeeded", "ours")));
        String refundId = codeAndDetails(
                () -> refunds.refund(MERCHANT, payment.id(), new BigDecimal("5.00"), null, null),
                "PAYMENT_PROCESSOR_UNAVAILABLE");
        stripe.networkBack();
        stripe.listsRefunds("pi_paid2");

        retryRefundNow(refundId);

        assertThat(refundRepository.findById(refundId).orElseThrow().status()).isEqualTo("succeeded");
        var keys = stripe.server.findAll(postRequestedFor(urlEqualTo("/v1/refunds"))).stream()
                .map(request -> request.getHeader("Idempotency-Key"))
                .distinct()
                .toList();
        assertThat(keys).containsExactly(refundId);
        // A second refund of the same amount is a new one, with a key of its own.
        Refund second = refunds.refund(MERCHANT, payment.id(), new BigDecimal("5.00"), null, null);
        assertThat(second.id()).isNotEqualTo(refundId);
        assertThat(repository.findById(payment.id()).orElseThrow().refundedAmount())
                .isEqualByComparingTo("10.00");
    }

    @Test
    void aRefundRequestRetriedUnderItsIdempotencyKeyGetsTheRefundItStarted() {
        Payment payment = paidAtStripe("pi_paid_k");
        stripe.server.stubFor(post("/v1/refunds").willReturn(error(500, "api_error", "internal")));
        RequestKey key = new RequestKey("key_credential", UUID.randomUUID().toString());
        String refundId = codeAndDetails(
                () -> refunds.refund(MERCHANT, payment.id(), new BigDecimal("5.00"), null, key),
                "PAYMENT_PROCESSOR_UNAVAILABLE");
        expectCode(
                () -> refunds.refund(MERCHANT, payment.id(), new BigDecimal("5.00"), null, key), "REFUND_IN_PROGRESS");
        stripe.listsRefunds("pi_paid_k", refund("re_found", "succeeded", refundId));
        retryRefundNow(refundId);

        Refund answered = refunds.refund(MERCHANT, payment.id(), new BigDecimal("5.00"), null, key);

        assertThat(answered.id()).isEqualTo(refundId);
        assertThat(answered.status()).isEqualTo("succeeded");
        assertThat(repository.findById(payment.id()).orElseThrow().refundedAmount())
                .isEqualByComparingTo("5.00");
        expectCode(
                () -> refunds.refund(MERCHANT, payment.id(), new BigDecimal("6.00"), null, key),
                "IDEMPOTENCY_KEY_REUSED");
    }

    // ---- each payment stays with the processor that took it ----

    @Test
    void aServerWithoutStripeRefusesToTouchAStripePaymentRatherThanPretend() {
        Payment paid = paidAtStripe("pi_elsewhere");

        // The shared server has no Stripe key: refunding or cancelling (which refunds) is refused, naming Stripe.
        var refused = api.post("/v2/payments/" + paid.id() + "/refunds", "{}")
                .asAdmin()
                .send()
                .expectError(409, "PROCESSOR_UNAVAILABLE");
        assertThat(refused.get("details").asString()).isEqualTo("stripe");
        api.patch("/v2/orders/" + paid.orderId(), "{\"status\": \"cancelled\"}")
                .asAdmin()
                .send()
                .expectError(409, "PROCESSOR_UNAVAILABLE");
        assertThat(api.get("/v2/orders/" + paid.orderId())
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("paid");
        assertThat(refunds.refundsOf(paid)).isEmpty();

        // A Stripe payment with an unknown outcome is left alone by its reconciliation job, not given up: the job
        // puts itself off for the servers that have Stripe.
        stripe.creates(okJson(intent("pi_open", "processing")));
        Payment open = unanswered();
        jdbc.sql("update payments set attempts = :max where id = :id")
                .param("max", MAX_ATTEMPTS)
                .param("id", open.id())
                .update();
        assertThat(sharedPayments.reconcile(open.id())).isPresent();
        Payment untouched = repository.findById(open.id()).orElseThrow();
        assertThat(untouched.status()).isEqualTo("processing");
        assertThat(untouched.attempts()).isEqualTo(MAX_ATTEMPTS);
        api.post("/v2/payments", """
                {"order_id": "%s", "payment_method_id": "pm_card_visa", "amount": 25.00, "currency": "USD"}""".formatted(open.orderId()))
                .asAdmin()
                .send()
                .expectError(409, "PROCESSOR_UNAVAILABLE");
    }

    @Test
    void aSimulatedPaymentIsRefundedBySimulationOnAServerThatTakesStripe() {
        String orderId = placeOrder();
        String paymentId = api.post("/v2/payments", """
                {"order_id": "%s", "payment_method_id": "pm_card_visa", "amount": 25.00, "currency": "USD"}""".formatted(orderId))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();

        Refund refund = refunds.refund(MERCHANT, paymentId, null, "requested_by_customer", null);

        assertThat(refund.processorReference()).startsWith("re_sim_");
        assertThat(stripe.server.getAllServeEvents()).isEmpty();
    }

    // ---- fixtures ----

    private Payment pay(String orderId) {
        return payments.pay(MERCHANT, new PaymentRequest(orderId, new BigDecimal("25.00"), "USD", "pm_card_visa"));
    }

    /** A payment whose first call Stripe did not answer usably (with whatever the creates are stubbed to do). */
    private Payment unanswered() {
        String orderId = placeOrder();
        expectCode(() -> pay(orderId), "PAYMENT_PROCESSOR_UNAVAILABLE");
        return onlyPaymentOf(orderId);
    }

    private Payment paidAtStripe(String intentId) {
        stripe.creates(okJson(intent(intentId, "succeeded")));
        Payment payment = pay(placeOrder());
        assertThat(payment.status()).isEqualTo("succeeded");
        assertThat(payment.processor()).isEqualTo("stripe");
        stripe.reset();
        return payment;
    }

    /** What cancelling the order runs: the refund reserved under the order's lock, then made outside. */
    private void cancelAtStripe(String orderId) {
        transaction
                .execute(status -> refunds.beforeStatusChange(orderId, "cancelled"))
                .ifPresent(refunds::refundForCancellation);
    }

    /** The reconciliation job's next attempt at a refund, as if its retry delay had passed. */
    private void retryRefundNow(String refundId) {
        refunds.reconcile(refundId);
    }

    private void awaitRequest(String path) throws InterruptedException {
        awaitRequests(path, 1);
    }

    /** Waits until Stripe has received {@code count} POSTs to {@code path} (their answers may still be on the way). */
    private void awaitRequests(String path, int count) throws InterruptedException {
        for (int i = 0; i < 100 && stripe.count(RequestMethod.POST, path) < count; i++) {
            Thread.sleep(50);
        }
        assertThat(stripe.count(RequestMethod.POST, path)).isEqualTo(count);
    }

    /** As if the retry delay had passed: the reconciliation job's next attempt. */
    private void retryNow(Payment payment) {
        payments.reconcile(payment.id());
    }

    /** The attempt after which an unknown outcome is given up. */
    private void lastAttempt(Payment payment) {
        jdbc.sql("update payments set attempts = :attempts where id = :id")
                .param("attempts", MAX_ATTEMPTS - 1)
                .param("id", payment.id())
                .update();
        retryNow(payment);
        assertThat(repository.findById(payment.id()).orElseThrow().attempts()).isEqualTo(MAX_ATTEMPTS);
    }

    /** The details of the DomainException with this code that the call throws. */
    private static String codeAndDetails(Runnable call, String code) {
        try {
            call.run();
        } catch (DomainException e) {
            assertThat(e.code()).isEqualTo(code);
            return e.details();
        }
        throw new AssertionError("expected " + code);
    }

    private static void expectCode(Runnable call, String code) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    /** The payment, or the code of the DomainException that paying threw. */
    private Object paymentOrCode(String orderId) {
        try {
            return pay(orderId);
        } catch (DomainException e) {
            return e.code();
        }
    }

    private Payment onlyPaymentOf(String orderId) {
        var all = repository
                .find(orderId, dev.mercato.shared.PageParams.of(10, 0))
                .items();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** A pending order of 2 at 12.50 USD, by a new user. */
    private String placeOrder() {
        String productId = aProduct().priced("12.50", "USD").withStock(5).create();
        return placeOrder(aUser().create(), productId, 2)
                .expect(201)
                .json()
                .get("id")
                .asString();
    }
}
