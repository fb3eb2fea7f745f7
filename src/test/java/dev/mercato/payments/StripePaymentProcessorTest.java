package dev.mercato.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.mercato.payments.StripeStandIn.error;
import static dev.mercato.payments.StripeStandIn.intent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import dev.mercato.payments.PaymentProcessor.Charge;
import dev.mercato.payments.PaymentProcessor.Declined;
import dev.mercato.payments.PaymentProcessor.Outcome;
import dev.mercato.payments.PaymentProcessor.RefundRequest;
import dev.mercato.payments.PaymentProcessor.Succeeded;
import dev.mercato.payments.PaymentProcessor.Unknown;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Stripe adapter against a local stand-in for Stripe's HTTP API: every kind of answer, and no answer. */
class StripePaymentProcessorTest {

    static final StripeStandIn stripe = new StripeStandIn();
    static final Instant NOW = Instant.now();
    static final Charge CHARGE = charge(null, NOW.minusSeconds(60));

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
        stripe.reset();
        processor = new StripePaymentProcessor(stripe.payments("stripe", "sk_test_123", 8), Clock.systemUTC());
    }

    /** The test payment, with what earlier calls learnt: the intent's id and when the last call ended. */
    static Charge charge(String reference, Instant lastAttemptAt) {
        return new Charge(
                "pay_test1",
                "ord_test1",
                new BigDecimal("99.98"),
                "USD",
                "pm_card_visa",
                reference,
                NOW.minusSeconds(120),
                lastAttemptAt);
    }

    // ---- the first call ----

    @Test
    void succeededIntentIsASuccessAndTheRequestCarriesOurIdempotencyKey() {
        stripe.creates(okJson(intent("pi_ok", "succeeded")));

        assertThat(processor.charge(CHARGE)).isEqualTo(new Succeeded("pi_ok"));

        stripe.server.verify(postRequestedFor(urlEqualTo("/v1/payment_intents"))
                .withHeader("Idempotency-Key", equalTo("pay_test1"))
                .withHeader("Authorization", equalTo("Bearer sk_test_123"))
                .withRequestBody(containing("amount=9998"))
                .withRequestBody(containing("currency=usd"))
                .withRequestBody(containing("payment_method=pm_card_visa"))
                .withRequestBody(containing("confirm=true"))
                .withRequestBody(containing("metadata[mercato_payment_id]=pay_test1")
                        .or(containing("metadata%5Bmercato_payment_id%5D=pay_test1")))
                .withRequestBody(containing("metadata[mercato_order_id]=ord_test1")
                        .or(containing("metadata%5Bmercato_order_id%5D=ord_test1"))));
    }

    @Test
    void cardErrorIsADeclineWithStripesDeclineCode() {
        stripe.creates(aResponse()
                .withStatus(402)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                  "message": "Your card has insufficient funds.",
                  "payment_intent": {"id": "pi_declined", "object": "payment_intent",
                                     "status": "requires_payment_method"}}}
                """));

        assertThat(processor.charge(CHARGE))
                .isEqualTo(new Declined("pi_declined", "insufficient_funds", "Your card has insufficient funds."));
    }

    @Test
    void unknownPaymentMethodIsADecline() {
        stripe.creates(aResponse()
                .withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error": {"type": "invalid_request_error", "code": "resource_missing",
                  "param": "payment_method", "message": "No such PaymentMethod: 'pm_nope'"}}
                """));

        assertThat(processor.charge(CHARGE))
                .isInstanceOfSatisfying(
                        Declined.class,
                        declined -> assertThat(declined.declineCode()).isEqualTo("resource_missing"));
    }

    @Test
    void intentNeedingAuthenticationIsCanceledThenDeclined() {
        stripe.creates(okJson(intent("pi_3ds", "requires_action")));
        stripe.cancels("pi_3ds", okJson(intent("pi_3ds", "canceled")));

        assertThat(processor.charge(CHARGE)).isInstanceOfSatisfying(Declined.class, declined -> {
            assertThat(declined.reference()).isEqualTo("pi_3ds");
            assertThat(declined.declineCode()).isEqualTo("authentication_required");
        });
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents/pi_3ds/cancel"))
                .isEqualTo(1);
    }

    @Test
    void intentNeedingAuthenticationThatCannotBeCanceledStaysUnknown() {
        stripe.creates(okJson(intent("pi_3ds", "requires_action")));
        stripe.cancels("pi_3ds", aResponse().withStatus(500));

        assertThat(processor.charge(CHARGE))
                .isInstanceOfSatisfying(
                        Unknown.class,
                        unknown -> assertThat(unknown.reference()).isEqualTo("pi_3ds"));
    }

    @Test
    void undecidedIntentLeavesTheOutcomeUnknownButNamesTheIntent() {
        stripe.creates(okJson(intent("pi_slow", "processing")));

        assertThat(processor.charge(CHARGE))
                .isInstanceOfSatisfying(
                        Unknown.class,
                        unknown -> assertThat(unknown.reference()).isEqualTo("pi_slow"));
    }

    @Test
    void noUsableAnswerLeavesTheOutcomeUnknown() {
        var answers = java.util.List.of(
                error(500, "api_error", "internal"),
                error(401, "invalid_request_error", "api_key_invalid"),
                error(429, "invalid_request_error", "rate_limit"),
                error(409, "idempotency_error", "idempotency_key_in_use"),
                error(400, "idempotency_error", "idempotency_key_reused"),
                okJson(intent("pi_late", "succeeded")).withFixedDelay(4_000),
                aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\": \"pi\""),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        for (var answer : answers) {
            stripe.reset();
            stripe.creates(answer);
            assertThat(processor.charge(CHARGE))
                    .as(answer.build().toString())
                    .isInstanceOfSatisfying(
                            Unknown.class,
                            unknown -> assertThat(unknown.reference()).isNull());
        }
    }

    // ---- asking again about an unknown outcome ----

    @Test
    void aKnownIntentIsRetrievedNotCreatedAgain() {
        stripe.creates(okJson(intent("pi_slow", "processing")));
        stripe.holds("pi_slow", "succeeded");

        assertThat(processor.recheck(charge("pi_slow", NOW))).isEqualTo(new Succeeded("pi_slow"));

        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isZero();
        assertThat(stripe.count(RequestMethod.GET, "/v1/payment_intents/pi_slow"))
                .isEqualTo(1);
    }

    @Test
    void aRetrievedIntentThatFailedIsADeclineWithItsLastError() {
        stripe.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/v1/payment_intents/pi_slow")
                .willReturn(okJson("""
                        {"id": "pi_slow", "object": "payment_intent", "status": "requires_payment_method",
                         "last_payment_error": {"type": "card_error", "code": "card_declined",
                                                "decline_code": "lost_card"}}
                        """)));

        assertThat(processor.recheck(charge("pi_slow", NOW)))
                .isInstanceOfSatisfying(
                        Declined.class,
                        declined -> assertThat(declined.declineCode()).isEqualTo("lost_card"));
    }

    @Test
    void aSavedServerErrorIsReplayedSoTheIntentIsFoundBySearch() {
        stripe.creates(error(500, "api_error", "internal"));
        assertThat(processor.charge(CHARGE)).isInstanceOf(Unknown.class);
        // The charge had gone through; Stripe replays its saved 500 to the same key, whatever happens since.
        stripe.creates(okJson(intent("pi_other", "succeeded")));
        stripe.searchFinds("pay_test1", intent("pi_found", "succeeded"));

        assertThat(processor.recheck(CHARGE)).isEqualTo(new Succeeded("pi_found"));

        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isEqualTo(2);
        assertThat(stripe.count(RequestMethod.GET, "/v1/payment_intents/search"))
                .isEqualTo(1);
    }

    @Test
    void nothingFoundBySearchYetStaysUnknown() {
        stripe.creates(error(500, "api_error", "internal"));
        stripe.searchFinds("pay_test1");

        assertThat(processor.recheck(CHARGE))
                .isInstanceOfSatisfying(
                        Unknown.class,
                        unknown -> assertThat(unknown.reference()).isNull());
    }

    @Test
    void aCreateThatNeverReachedStripeIsMadeOnTheRetry() {
        stripe.unreachable("/v1/payment_intents", okJson(intent("pi_second", "succeeded")));
        assertThat(processor.charge(CHARGE)).isInstanceOf(Unknown.class);
        stripe.networkBack();

        assertThat(processor.recheck(CHARGE)).isEqualTo(new Succeeded("pi_second"));
        assertThat(stripe.count(RequestMethod.GET, "/v1/payment_intents/search"))
                .isZero();
    }

    @Test
    void afterTheKeyExpiredNothingIsCreatedOnlySearched() {
        stripe.creates(okJson(intent("pi_new", "succeeded")));
        stripe.searchFinds("pay_test1", intent("pi_old", "succeeded"));
        Charge dayOld = new Charge(
                "pay_test1",
                "ord_test1",
                new BigDecimal("99.98"),
                "USD",
                "pm_card_visa",
                null,
                NOW.minus(Duration.ofHours(25)),
                NOW.minusSeconds(60));

        assertThat(processor.recheck(dayOld)).isEqualTo(new Succeeded("pi_old"));
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isZero();
    }

    // ---- giving up ----

    @Test
    void givingUpCancelsAnOpenIntentAndOnlyThenDeclines() {
        stripe.holds("pi_stuck", "processing");
        stripe.cancels("pi_stuck", okJson(intent("pi_stuck", "canceled")));

        assertThat(processor.abandon(charge("pi_stuck", NOW))).isInstanceOfSatisfying(Declined.class, declined -> {
            assertThat(declined.reference()).isEqualTo("pi_stuck");
            assertThat(declined.declineCode()).isEqualTo("processor_unavailable");
        });
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents/pi_stuck/cancel"))
                .isEqualTo(1);
    }

    @Test
    void anIntentThatCannotBeCanceledIsNotGivenUp() {
        stripe.holds("pi_stuck", "processing");
        stripe.cancels("pi_stuck", error(400, "invalid_request_error", "payment_intent_unexpected_state"));

        assertThat(processor.abandon(charge("pi_stuck", NOW))).isInstanceOf(Unknown.class);
    }

    @Test
    void givingUpFindsAnIntentThatSucceeded() {
        stripe.searchFinds("pay_test1", intent("pi_found", "canceled"), intent("pi_paid", "succeeded"));

        assertThat(processor.abandon(CHARGE)).isEqualTo(new Succeeded("pi_paid"));
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isZero();
    }

    @Test
    void noIntentFoundIsAFailureOnlyOnceSearchHasCaughtUp() {
        stripe.searchFinds("pay_test1");

        assertThat(processor.abandon(charge(null, NOW.minusSeconds(60)))).isInstanceOf(Unknown.class);
        assertThat(processor.abandon(charge(null, NOW.minus(Duration.ofMinutes(11)))))
                .isInstanceOfSatisfying(
                        Declined.class,
                        declined -> assertThat(declined.declineCode()).isEqualTo("processor_unavailable"));
        assertThat(stripe.count(RequestMethod.POST, "/v1/payment_intents")).isZero();
    }

    // ---- refunds ----

    @Test
    void refundSendsTheIntentAndAmountInMinorUnits() {
        stripe.server.stubFor(post("/v1/refunds").willReturn(okJson("""
                {"id": "re_1", "object": "refund", "amount": 1000, "status": "succeeded", "payment_intent": "pi_ok"}
                """)));

        assertThat(processor.refund(refund("10.00"))).isEqualTo(new Succeeded("re_1"));

        stripe.server.verify(postRequestedFor(urlEqualTo("/v1/refunds"))
                .withHeader("Idempotency-Key", equalTo("re_ours"))
                .withRequestBody(containing("payment_intent=pi_ok"))
                .withRequestBody(containing("amount=1000"))
                .withRequestBody(containing("metadata[mercato_refund_id]=re_ours")
                        .or(containing("metadata%5Bmercato_refund_id%5D=re_ours"))));
    }

    @Test
    void pendingRefundIsAccepted() {
        stripe.server.stubFor(post("/v1/refunds").willReturn(okJson("""
                {"id": "re_p", "object": "refund", "amount": 1000, "status": "pending"}
                """)));

        assertThat(processor.refund(refund("10.00"))).isEqualTo(new Succeeded("re_p"));
    }

    @Test
    void failedRefundIsADeclineWithStripesReason() {
        stripe.server.stubFor(post("/v1/refunds").willReturn(okJson("""
                {"id": "re_2", "object": "refund", "amount": 1000, "status": "failed",
                 "failure_reason": "expired_or_canceled_card", "payment_intent": "pi_ok"}
                """)));

        assertThat(processor.refund(refund("10.00"))).isInstanceOfSatisfying(Declined.class, declined -> {
            assertThat(declined.reference()).isEqualTo("re_2");
            assertThat(declined.declineCode()).isEqualTo("expired_or_canceled_card");
        });
    }

    @Test
    void refundRefusedAsAnInvalidRequestIsADecline() {
        stripe.server.stubFor(
                post("/v1/refunds").willReturn(error(400, "invalid_request_error", "charge_already_refunded")));

        assertThat(processor.refund(refund("10.00")))
                .isInstanceOfSatisfying(
                        Declined.class,
                        declined -> assertThat(declined.declineCode()).isEqualTo("charge_already_refunded"));
    }

    @Test
    void refundErrorIsUnknown() {
        stripe.server.stubFor(post("/v1/refunds").willReturn(aResponse().withStatus(503)));

        assertThat(processor.refund(refund("10.00"))).isInstanceOf(Unknown.class);
    }

    @Test
    void aRefundNamedByAnAnswerIsRetrieved() {
        stripe.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/v1/refunds/re_p")
                .willReturn(okJson(StripeStandIn.refund("re_p", "succeeded", "re_ours"))));

        assertThat(processor.recheckRefund(refundAsked("re_p", NOW))).isEqualTo(new Succeeded("re_p"));
        assertThat(stripe.count(RequestMethod.POST, "/v1/refunds")).isZero();
    }

    @Test
    void anUnconfirmedRefundIsFoundAmongItsIntentsRefunds() {
        stripe.listsRefunds(
                "pi_ok",
                StripeStandIn.refund("re_other", "succeeded", "re_someone_else"),
                StripeStandIn.refund("re_made", "pending", "re_ours"));

        assertThat(processor.recheckRefund(refundAsked(null, NOW))).isEqualTo(new Succeeded("re_made"));
        assertThat(stripe.count(RequestMethod.POST, "/v1/refunds")).isZero();
    }

    @Test
    void anUnconfirmedRefundIsLookedForOnEveryPageOfItsIntentsRefunds() {
        String others = IntStream.range(0, 100)
                .mapToObj(i -> StripeStandIn.refund("re_other" + i, "succeeded", "re_someone_else" + i))
                .collect(Collectors.joining(", "));
        stripe.server.stubFor(get(urlPathEqualTo("/v1/refunds"))
                .withQueryParam("payment_intent", WireMock.equalTo("pi_ok"))
                .willReturn(okJson("""
                        {"object": "list", "url": "/v1/refunds", "has_more": true, "data": [%s]}
                        """.formatted(others))));
        stripe.server.stubFor(get(urlPathEqualTo("/v1/refunds"))
                .withQueryParam("payment_intent", WireMock.equalTo("pi_ok"))
                .withQueryParam("starting_after", WireMock.equalTo("re_other99"))
                .willReturn(okJson("""
                        {"object": "list", "url": "/v1/refunds", "has_more": false, "data": [%s]}
                        """.formatted(StripeStandIn.refund("re_made", "succeeded", "re_ours")))));

        assertThat(processor.recheckRefund(refundAsked(null, NOW))).isEqualTo(new Succeeded("re_made"));
        assertThat(stripe.count(RequestMethod.POST, "/v1/refunds")).isZero();
    }

    @Test
    void anUnconfirmedRefundNotMadeYetIsAskedForAgainWithItsKey() {
        stripe.listsRefunds("pi_ok");
        stripe.server.stubFor(
                post("/v1/refunds").willReturn(okJson(StripeStandIn.refund("re_now", "succeeded", "re_ours"))));

        assertThat(processor.recheckRefund(refundAsked(null, NOW))).isEqualTo(new Succeeded("re_now"));
        stripe.server.verify(
                postRequestedFor(urlEqualTo("/v1/refunds")).withHeader("Idempotency-Key", equalTo("re_ours")));
    }

    @Test
    void aRefundStripeStillLacksOnceItsListHasCaughtUpWasNeverMade() {
        stripe.listsRefunds("pi_ok");

        assertThat(processor.recheckRefund(refundAsked(null, NOW.minus(Duration.ofMinutes(11)))))
                .isInstanceOfSatisfying(
                        Declined.class,
                        declined -> assertThat(declined.declineCode()).isEqualTo("processor_unavailable"));
        assertThat(stripe.count(RequestMethod.POST, "/v1/refunds")).isZero();
    }

    private static RefundRequest refund(String amount) {
        return new RefundRequest("re_ours", "pay_test1", "pi_ok", new BigDecimal(amount), "USD", null, NOW, NOW);
    }

    /** The refund {@code re_ours} asked for earlier, with what the earlier call learnt and when it ended. */
    private static RefundRequest refundAsked(String reference, Instant lastAttemptAt) {
        return new RefundRequest(
                "re_ours",
                "pay_test1",
                "pi_ok",
                new BigDecimal("10.00"),
                "USD",
                reference,
                NOW.minusSeconds(1200),
                lastAttemptAt);
    }

    // ---- amounts and configuration ----

    @Test
    void amountsAreSentInStripesUnitForTheCurrency() {
        assertThat(StripePaymentProcessor.stripeAmount(new BigDecimal("99.98"), "USD"))
                .hasValue(9998);
        assertThat(StripePaymentProcessor.stripeAmount(new BigDecimal("500"), "JPY"))
                .hasValue(500);
        assertThat(StripePaymentProcessor.stripeAmount(new BigDecimal("1.5000"), "EUR"))
                .hasValue(150);
        // ISK has no decimals in ISO 4217 but is sent with two at Stripe; MGA the other way round.
        assertThat(StripePaymentProcessor.stripeAmount(new BigDecimal("500"), "ISK"))
                .hasValue(50000);
        assertThat(StripePaymentProcessor.stripeAmount(new BigDecimal("1200"), "MGA"))
                .hasValue(1200);
        assertThat(StripePaymentProcessor.stripeAmount(new BigDecimal("1200.50"), "MGA"))
                .isEmpty();
        // Three-decimal currencies: Stripe wants the last digit 0.
        assertThat(StripePaymentProcessor.stripeAmount(new BigDecimal("1.230"), "KWD"))
                .hasValue(1230);
        assertThat(StripePaymentProcessor.stripeAmount(new BigDecimal("1.234"), "KWD"))
                .isEqualTo(OptionalLong.empty());
    }

    @Test
    void anAmountStripeCannotTakeIsDeclinedWithoutCallingIt() {
        Outcome outcome = processor.charge(
                new Charge("pay_test2", "ord_test2", new BigDecimal("1.234"), "KWD", "pm_card_visa", null, NOW, NOW));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Declined.class,
                        declined -> assertThat(declined.declineCode()).isEqualTo("amount_not_supported"));
        assertThat(stripe.server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aMissingApiKeyStopsTheStart() {
        assertThatThrownBy(() -> new StripePaymentProcessor(stripe.payments("simulated", " ", 8), Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mercato.payments.stripe.api-key");
    }
}
