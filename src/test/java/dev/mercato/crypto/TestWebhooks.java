package dev.mercato.crypto;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.mercato.support.Api;
import dev.mercato.support.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Subscriptions to the {@link WebhookReceiver}, each on a path of its own, and their test deliveries. */
final class TestWebhooks {

    private TestWebhooks() {}

    /** A new path on the receiver, answering 204. */
    static String receiverPath() {
        String path = "/sealed/" + UUID.randomUUID();
        WebhookReceiver.SERVER.stubFor(
                post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        return path;
    }

    /** Subscribes the receiver's {@code path}; the creation's body, the secret included. */
    static JsonNode subscribe(Api api, String path) {
        return api.post("/v2/webhooks", """
                {"url": "%s%s", "events": ["order.created"]}""".formatted(WebhookReceiver.SERVER.baseUrl(), path))
                .asAdmin()
                .send()
                .expect(201)
                .json();
    }

    /** Sends a test event to the subscription and returns the request its delivery made. */
    static LoggedRequest deliverTest(Api api, String id, String path) {
        String delivery = sendTest(api, id);
        assertThat(awaitDelivery(api, id, delivery).get("status").asString()).isEqualTo("succeeded");
        List<LoggedRequest> received = WebhookReceiver.SERVER.findAll(
                postRequestedFor(urlEqualTo(path)).withHeader("Mercato-Delivery-Id", equalTo(delivery)));
        assertThat(received).hasSize(1);
        return received.get(0);
    }

    /** Queues a test event for the subscription; the delivery's id. */
    static String sendTest(Api api, String id) {
        return api.post("/v2/webhooks/" + id + "/test", "")
                .asAdmin()
                .send()
                .expect(202)
                .json()
                .get("id")
                .asString();
    }

    /** The delivery once it is no longer pending. */
    static JsonNode awaitDelivery(Api api, String webhookId, String deliveryId) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> api.get("/v2/webhooks/" + webhookId + "/deliveries/" + deliveryId)
                                .asAdmin()
                                .send()
                                .expect(200)
                                .json(),
                        delivery -> !delivery.get("status").asString().equals("pending"));
    }
}
