package dev.mercato.webhooks;

import dev.mercato.integrations.TargetGuard;
import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.PagedResponses;
import dev.mercato.web.SnakeCaseJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(
        name = "Webhooks",
        description = "Events POSTed to your URLs, signed, retried until they are taken. See " + "docs/webhooks.md.")
@RestController
@RequestMapping(path = "/v2/webhooks", produces = "application/json")
class WebhooksV2Controller {

    private final WebhookService webhooks;

    WebhooksV2Controller(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @SnakeCaseJson
    record CreateWebhookV2(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description =
                            "An absolute http or https URL, at " + "most 2048 characters, on the public internet.",
                    example = "https://example.com/hooks/mercato")
            @NotBlank
            @Size(max = TargetGuard.MAX_URL_LENGTH)
            String url,

            @ArraySchema(
                    schema = @Schema(example = "order.created"),
                    arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED))
            @NotEmpty(message = "must list at least one event type")
            @Size(max = 20)
            List<@NotBlank String> events) {}

    @SnakeCaseJson
    record WebhookV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String url,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            List<String> events,

            @Schema(
                    description = "Signs every delivery (Mercato-Signature); returned only in the response that "
                            + "creates the subscription.",
                    example = "whsec_...")
            String secret,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt) {

        static WebhookV2 from(Webhook webhook, boolean withSecret) {
            return new WebhookV2(
                    webhook.id(),
                    webhook.url(),
                    webhook.events(),
                    withSecret ? webhook.secret() : null,
                    webhook.createdAt());
        }
    }

    @SnakeCaseJson
    record WebhookDeliveryV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description =
                            "The event's id, the same on every " + "delivery of it: receivers drop repeats by it.")
            String eventId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "order.created")
            String eventType,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"pending", "succeeded", "failed"})
            String status,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Attempts so far.")
            int attempts,

            @Schema(description = "The HTTP status of the last answer, when there was one.")
            Integer lastStatusCode,

            @Schema(description = "Why the last attempt failed.")
            String lastError,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt,

            @Schema(description = "When the receiver took it.")
            Instant deliveredAt) {

        static WebhookDeliveryV2 from(WebhookDelivery d) {
            return new WebhookDeliveryV2(
                    d.id(),
                    d.eventId(),
                    d.eventType(),
                    d.status(),
                    d.attempts(),
                    d.lastStatusCode(),
                    d.lastError(),
                    d.createdAt(),
                    d.deliveredAt());
        }
    }

    @Operation(
            summary = "Subscribe to events",
            description = "The secret that signs the deliveries is in this "
                    + "response only: store it now. A URL whose host resolves to a loopback, private or link-local address "
                    + "is refused.")
    @ApiResponse(responseCode = "201", description = "The subscription was created.")
    @ApiResponse(
            responseCode = "400",
            description = "The URL is not an absolute http(s) URL, does not resolve or "
                    + "points at a non-public address, or an event type is unknown.")
    @RequiresScope(Scope.INTEGRATIONS_WRITE)
    @PostMapping(consumes = "application/json")
    ResponseEntity<WebhookV2> create(
            @Valid @RequestBody CreateWebhookV2 request, @AuthenticationPrincipal Caller caller) {
        Webhook webhook = webhooks.subscribe(request.url(), request.events(), caller.credentialId());
        // no-store: the secret must not be kept anywhere, by caches or by the Idempotency-Key store.
        return ResponseEntity.created(URI.create("/v2/webhooks/" + webhook.id()))
                .cacheControl(CacheControl.noStore())
                .body(WebhookV2.from(webhook, true));
    }

    @Operation(summary = "List webhook subscriptions", description = "Newest first; without their secrets.")
    @RequiresScope(Scope.INTEGRATIONS_READ)
    @GetMapping
    ResponseEntity<List<WebhookV2>> list(
            @AuthenticationPrincipal Caller caller, @Valid @ParameterObject PageParams page) {
        return PagedResponses.of(webhooks.list(caller, page).map(webhook -> WebhookV2.from(webhook, false)), page);
    }

    @Operation(summary = "Get a webhook subscription")
    @ApiResponse(responseCode = "200", description = "The subscription, without its secret.")
    @ApiResponse(responseCode = "404", description = "No such subscription.")
    @RequiresScope(Scope.INTEGRATIONS_READ)
    @GetMapping("/{id}")
    WebhookV2 get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return WebhookV2.from(webhooks.get(caller, id), false);
    }

    @Operation(
            summary = "Delete a webhook subscription",
            description = "Its pending deliveries stop and its " + "delivery history goes with it.")
    @ApiResponse(responseCode = "204", description = "The subscription is deleted.")
    @ApiResponse(responseCode = "404", description = "No such subscription.")
    @RequiresScope(Scope.INTEGRATIONS_WRITE)
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        webhooks.delete(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(
            summary = "List a subscription's deliveries",
            description = "Newest first: each event sent to it, " + "its status, attempts and the last error.")
    @ApiResponse(responseCode = "200", description = "The deliveries.")
    @ApiResponse(responseCode = "404", description = "No such subscription.")
    @RequiresScope(Scope.INTEGRATIONS_READ)
    @GetMapping("/{id}/deliveries")
    ResponseEntity<List<WebhookDeliveryV2>> deliveries(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, @Valid @ParameterObject PageParams page) {
        return PagedResponses.of(webhooks.deliveries(caller, id, page).map(WebhookDeliveryV2::from), page);
    }

    @Operation(summary = "Get a delivery", description = "One event sent to the subscription, and where it stands.")
    @ApiResponse(responseCode = "200", description = "The delivery.")
    @ApiResponse(responseCode = "404", description = "No such subscription, or no such delivery of it.")
    @RequiresScope(Scope.INTEGRATIONS_READ)
    @GetMapping("/{id}/deliveries/{delivery_id}")
    WebhookDeliveryV2 getDelivery(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @PathVariable("delivery_id") String deliveryId) {
        return WebhookDeliveryV2.from(webhooks.delivery(caller, id, deliveryId));
    }

    @Operation(
            summary = "Retry a delivery now",
            description = "A failed delivery gets a new round of attempts, "
                    + "retried with backoff as a new one would be (attempts keeps counting); a pending one waiting for "
                    + "its next attempt has it now. No two attempts of a delivery ever overlap, however often this is "
                    + "called.")
    @ApiResponse(responseCode = "202", description = "An attempt is due now; read the delivery for its outcome.")
    @ApiResponse(responseCode = "404", description = "No such subscription, or no such delivery of it.")
    @ApiResponse(
            responseCode = "409",
            description = "DELIVERY_SUCCEEDED: the receiver took it already. RETRY_IN_PROGRESS: its last attempt is "
                    + "still being recorded; try again in a moment.")
    @RequiresScope(Scope.INTEGRATIONS_WRITE)
    @PostMapping("/{id}/deliveries/{delivery_id}/retry")
    ResponseEntity<WebhookDeliveryV2> retryDelivery(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @PathVariable("delivery_id") String deliveryId) {
        webhooks.delivery(caller, id, deliveryId);
        return accepted(webhooks.retry(caller, deliveryId));
    }

    @Operation(
            summary = "Send a test event",
            description = "Sends a webhook.test event to this subscription, "
                    + "whatever event types it names: signed and retried as any event is, and listed among its "
                    + "deliveries. Its data is {\"webhook_id\", \"message\"}.")
    @ApiResponse(responseCode = "202", description = "The test event's delivery, queued.")
    @ApiResponse(responseCode = "404", description = "No such subscription.")
    @RequiresScope(Scope.INTEGRATIONS_WRITE)
    @PostMapping("/{id}/test")
    ResponseEntity<WebhookDeliveryV2> test(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return accepted(webhooks.sendTest(caller, id));
    }

    private static ResponseEntity<WebhookDeliveryV2> accepted(WebhookDelivery delivery) {
        return ResponseEntity.accepted()
                .location(URI.create("/v2/webhooks/" + delivery.subscriptionId() + "/deliveries/" + delivery.id()))
                .body(WebhookDeliveryV2.from(delivery));
    }
}
