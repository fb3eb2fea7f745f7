package dev.mercato.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.mercato.integrations.TargetGuard;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP side of a delivery attempt against a local receiver: the guard at connection time, redirects, timeouts. */
class WebhookSenderTest {

    static final WireMockServer receiver =
            new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    @BeforeAll
    static void start() {
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop();
    }

    @BeforeEach
    void reset() {
        receiver.resetAll();
    }

    @Test
    void aDeliveryNeverConnectsToALoopbackAddressWhenPrivateTargetsAreNotAllowed() throws Exception {
        receiver.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
        try (WebhookSender sender = new WebhookSender(new TargetGuard(false), Duration.ofSeconds(2))) {
            for (String url : new String[] {
                "http://127.0.0.1:" + receiver.port() + "/hook",
                "http://localhost:" + receiver.port() + "/hook",
                "http://[::ffff:127.0.0.1]:" + receiver.port() + "/"
            }) {
                WebhookSender.Outcome outcome = sender.post(url, Map.of(), "{}");
                assertThat(outcome.succeeded()).as(url).isFalse();
                assertThat(outcome.statusCode()).isNull();
                assertThat(outcome.error()).startsWith("Refused:").contains("non-public address");
            }
        }
        receiver.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRedirectIsAFailedAttemptAndIsNotFollowed() throws Exception {
        receiver.stubFor(post(urlEqualTo("/moved"))
                .willReturn(aResponse().withStatus(307).withHeader("Location", receiver.baseUrl() + "/target")));
        try (WebhookSender sender = new WebhookSender(new TargetGuard(true), Duration.ofSeconds(2))) {
            WebhookSender.Outcome outcome = sender.post(receiver.baseUrl() + "/moved", Map.of(), "{}");
            assertThat(outcome.succeeded()).isFalse();
            assertThat(outcome.statusCode()).isEqualTo(307);
            assertThat(outcome.error()).contains("redirects are not followed");
        }
        receiver.verify(0, postRequestedFor(urlEqualTo("/target")));
    }

    @Test
    void aSlowReceiverTimesOut() throws Exception {
        receiver.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        try (WebhookSender sender = new WebhookSender(new TargetGuard(true), Duration.ofMillis(300))) {
            WebhookSender.Outcome outcome = sender.post(receiver.baseUrl() + "/slow", Map.of(), "{}");
            assertThat(outcome.succeeded()).isFalse();
            assertThat(outcome.statusCode()).isNull();
            assertThat(outcome.error()).contains("did not answer within 300 ms");
        }
    }

    @Test
    void theBodyIsSentAsJsonWithTheGivenHeadersAndAnErrorAnswerIsQuoted() throws Exception {
        receiver.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(422).withBody("no thanks")));
        try (WebhookSender sender = new WebhookSender(new TargetGuard(true), Duration.ofSeconds(2))) {
            WebhookSender.Outcome outcome =
                    sender.post(receiver.baseUrl() + "/hook", Map.of("Mercato-Event-Id", "evt_1"), "{\"a\":\"é\"}");
            assertThat(outcome.statusCode()).isEqualTo(422);
            assertThat(outcome.error()).isEqualTo("The receiver answered 422: no thanks");
        }
        receiver.verify(postRequestedFor(urlEqualTo("/hook"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("User-Agent", equalTo("Mercato-Webhooks/1"))
                .withHeader("Mercato-Event-Id", equalTo("evt_1"))
                .withRequestBody(equalTo("{\"a\":\"é\"}")));
    }
}
