package dev.mercato.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local stand-in for Stripe's HTTP API that keeps Stripe's idempotency rules, so tests cannot pass on behaviour
 * Stripe does not have: the first answer to a POST's {@code Idempotency-Key} is saved and replayed to every retry
 * (a 500, a {@code processing} intent, an answer the client timed out on: all replayed, at once), whatever the stubs
 * say by then; a request that never reached Stripe (a dropped connection) saves nothing; the same key with other
 * parameters is a 400 {@code idempotency_error}. Reads (retrieve, search) answer what the stubs say now.
 */
final class StripeStandIn {

    private final SavedAnswers saved = new SavedAnswers();
    final WireMockServer server =
            new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(saved));

    StripeStandIn start() {
        server.start();
        return this;
    }

    void stop() {
        server.stop();
    }

    void reset() {
        server.resetAll();
        saved.answers.clear();
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /**
     * Payments with {@code processor} taking new payments and Stripe at this stand-in, its answers awaited 2 s;
     * the first retry delay 30 s.
     */
    PaymentsProperties payments(String processor, String apiKey, int maxAttempts) {
        return new PaymentsProperties(
                processor,
                Duration.ofSeconds(30),
                maxAttempts,
                new PaymentsProperties.Stripe(
                        apiKey, baseUrl(), Duration.ofSeconds(2), Duration.ofMinutes(10), "", Duration.ofMinutes(5)));
    }

    static String intent(String id, String status) {
        return """
                {"id": "%s", "object": "payment_intent", "amount": 2500, "currency": "usd", "status": "%s"}
                """.formatted(id, status);
    }

    static ResponseDefinitionBuilder error(int status, String type, String code) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error": {"type": "%s", "code": "%s", "message": "Stripe says %s."}}
                """.formatted(type, code, code));
    }

    /** A Stripe refund object; {@code refundId} is ours, in its metadata. */
    static String refund(String id, String status, String refundId) {
        return """
                {"id": "%s", "object": "refund", "status": "%s", "metadata": {"mercato_refund_id": "%s"}}
                """.formatted(id, status, refundId);
    }

    /** {@code GET /v1/refunds?payment_intent=...} lists these refunds (JSON objects), or none. */
    void listsRefunds(String intentId, String... refunds) {
        server.stubFor(get(urlPathEqualTo("/v1/refunds"))
                .withQueryParam("payment_intent", WireMock.equalTo(intentId))
                .willReturn(okJson("""
                        {"object": "list", "url": "/v1/refunds", "has_more": false, "data": [%s]}
                        """.formatted(String.join(", ", refunds)))));
    }

    /** Every create answers this (and, Stripe-like, a retry with the same key gets it again). */
    void creates(ResponseDefinitionBuilder answer) {
        server.stubFor(post("/v1/payment_intents").willReturn(answer));
    }

    /** Every refund create answers this (and, Stripe-like, a retry with the same key gets it again). */
    void refunds(ResponseDefinitionBuilder answer) {
        server.stubFor(post("/v1/refunds").willReturn(answer));
    }

    /** {@code GET /v1/payment_intents/{id}} answers the intent with this status. */
    void holds(String intentId, String status) {
        server.stubFor(get("/v1/payment_intents/" + intentId).willReturn(okJson(intent(intentId, status))));
    }

    /** The search for the payment's intent by metadata finds these intents (JSON objects), or none. */
    void searchFinds(String paymentId, String... intents) {
        server.stubFor(get(urlPathEqualTo("/v1/payment_intents/search"))
                .withQueryParam("query", WireMock.equalTo("metadata['mercato_payment_id']:'" + paymentId + "'"))
                .willReturn(okJson("""
                        {"object": "search_result", "url": "/v1/payment_intents/search", "has_more": false,
                         "data": [%s]}
                        """.formatted(String.join(", ", intents)))));
    }

    /**
     * POSTs to {@code path} never reach Stripe (the connection drops, so nothing is saved for their key) until
     * {@link #networkBack}; then they get {@code answer}.
     */
    void unreachable(String path, ResponseDefinitionBuilder answer) {
        server.stubFor(post(path)
                .inScenario("network")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        server.stubFor(
                post(path).inScenario("network").whenScenarioStateIs("up").willReturn(answer));
    }

    void networkBack() {
        server.setScenarioState("network", "up");
    }

    void cancels(String intentId, ResponseDefinitionBuilder answer) {
        server.stubFor(post("/v1/payment_intents/" + intentId + "/cancel").willReturn(answer));
    }

    int count(RequestMethod method, String path) {
        return (int) server.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .filter(request -> request.getMethod().equals(method)
                        && request.getUrl().split("\\?")[0].equals(path))
                .count();
    }

    /** Stripe's idempotency: the first answer to a key is kept, and replayed to the same request only. */
    private static final class SavedAnswers implements ResponseDefinitionTransformerV2 {

        private record Saved(String request, ResponseDefinition answer) {}

        final Map<String, Saved> answers = new ConcurrentHashMap<>();

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            LoggedRequest request = event.getRequest();
            String key = request.getHeader("Idempotency-Key");
            ResponseDefinition answer = event.getResponseDefinition();
            if (key == null || !RequestMethod.POST.equals(request.getMethod())) {
                return answer;
            }
            String fingerprint = request.getUrl() + "\n" + request.getBodyAsString();
            Saved first = answers.get(key);
            if (first != null) {
                return first.request().equals(fingerprint)
                        ? first.answer()
                        : error(400, "idempotency_error", "idempotency_key_reused")
                                .build();
            }
            if (answer.getFault() == null) {
                // Saved without the delay: the client that timed out never saw it, a retry gets it at once.
                answers.putIfAbsent(
                        key,
                        new Saved(
                                fingerprint,
                                ResponseDefinitionBuilder.like(answer)
                                        .withFixedDelay(null)
                                        .build()));
            }
            return answer;
        }

        @Override
        public String getName() {
            return "stripe-idempotency";
        }
    }
}
