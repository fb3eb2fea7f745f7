package dev.mercato.notifications;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.ETags;
import dev.mercato.web.PagedResponses;
import dev.mercato.web.SnakeCaseJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

@Tag(name = "Notifications")
@RestController
@RequestMapping(path = "/v2/notifications", produces = "application/json")
class NotificationsV2Controller {

    private static final String STATUSES = "queued|sending|sent|failed";

    private final NotificationService notifications;

    NotificationsV2Controller(NotificationService notifications) {
        this.notifications = notifications;
    }

    @SnakeCaseJson
    record SendNotificationV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "usr_123abc") @NotBlank
            String userId,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "At most 10,000 characters " + "(1,600 for an SMS).",
                    example = "Your order has been shipped!")
            @NotBlank
            @Size(max = NotificationService.MAX_MESSAGE_LENGTH)
            String message,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"email", "sms", "push"})
            @NotNull
            @Pattern(regexp = "email|sms|push", message = "must be one of email, sms, push")
            String type,

            @Schema(
                    description = "Delivery order: high goes first. Default normal.",
                    allowableValues = {"low", "normal", "high"})
            @Pattern(regexp = "low|normal|high", message = "must be one of low, normal, high")
            String priority,

            @Schema(description = "An email's subject; without one, the message's first line.")
            @Size(max = NotificationService.MAX_SUBJECT_LENGTH)
            String subject) {}

    @SnakeCaseJson
    record NotificationV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String userId,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"email", "sms", "push"})
            String type,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"low", "normal", "high"})
            String priority,

            String subject,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String message,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "The email address, phone number " + "or (push) user id it goes to.")
            String recipient,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"queued", "sending", "sent", "failed"})
            String status,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Delivery attempts so far.")
            int attempts,

            @Schema(description = "Why the last attempt failed.")
            String lastError,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "api, or the event that caused it " + "(order.created, payment.succeeded).")
            String source,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant updatedAt,

            Instant sentAt) {

        static NotificationV2 from(Notification n) {
            return new NotificationV2(
                    n.id(),
                    n.userId(),
                    n.type(),
                    n.priority(),
                    n.subject(),
                    n.message(),
                    n.recipient(),
                    n.status(),
                    n.attempts(),
                    n.lastError(),
                    n.source(),
                    n.createdAt(),
                    n.updatedAt(),
                    n.sentAt());
        }
    }

    @Operation(
            summary = "Send a notification",
            description = "Accepted for delivery in the background, high "
                    + "priority first; retried with backoff, then marked failed with the last error.")
    @ApiResponse(responseCode = "202", description = "Accepted: queued for delivery.")
    @ApiResponse(
            responseCode = "400",
            description = "Invalid, names no existing user (USER_NOT_FOUND), or the user "
                    + "has no email address (email) or phone number (sms).")
    @ApiResponse(
            responseCode = "409",
            description = "No provider is configured for the channel (CHANNEL_NOT_CONFIGURED); details names the "
                    + "setting. Nothing was queued.")
    @RequiresScope(Scope.NOTIFICATIONS_WRITE)
    @PostMapping(consumes = "application/json")
    ResponseEntity<NotificationV2> send(
            @AuthenticationPrincipal Caller caller, @Valid @RequestBody SendNotificationV2 request) {
        Notification sent = notifications.send(
                caller,
                new NewNotification(
                        request.userId(),
                        request.type(),
                        request.priority() == null ? "normal" : request.priority(),
                        request.subject(),
                        request.message(),
                        "api"));
        return ResponseEntity.accepted()
                .location(URI.create("/v2/notifications/" + sent.id()))
                .body(NotificationV2.from(sent));
    }

    @Operation(
            summary = "Retry a notification now",
            description = "A failed notification gets a new round of "
                    + "attempts, retried with backoff as a new one would be (attempts keeps counting); a queued one "
                    + "waiting for its next attempt has it now. No two attempts of a notification ever overlap, however "
                    + "often this is called.")
    @ApiResponse(responseCode = "202", description = "An attempt is due now; read the notification for its outcome.")
    @ApiResponse(responseCode = "404", description = "No such notification.")
    @ApiResponse(
            responseCode = "409",
            description = "NOTIFICATION_SENT: it was sent already. CHANNEL_NOT_CONFIGURED: its channel has no "
                    + "provider now (details names the setting). RETRY_IN_PROGRESS: its last attempt is still being "
                    + "recorded; try again in a moment.")
    @RequiresScope(Scope.NOTIFICATIONS_WRITE)
    @PostMapping("/{id}/retry")
    ResponseEntity<NotificationV2> retry(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        Notification retried = notifications.retry(caller, id);
        return ResponseEntity.accepted()
                .location(URI.create("/v2/notifications/" + retried.id()))
                .body(NotificationV2.from(retried));
    }

    @Operation(summary = "List notifications", description = "Newest first.")
    @RequiresScope(Scope.NOTIFICATIONS_WRITE)
    @GetMapping
    ResponseEntity<List<NotificationV2>> list(
            @AuthenticationPrincipal Caller caller,
            @Parameter(description = "Only this user's notifications.")
                    @RequestParam(name = "user_id", required = false)
                    String userId,
            @Parameter(
                            description = "Only notifications in this status.",
                            schema = @Schema(allowableValues = {"queued", "sending", "sent", "failed"}))
                    @RequestParam(required = false)
                    @Pattern(regexp = STATUSES, message = "must be one of queued, sending, sent, failed")
                    String status,
            @Valid @ParameterObject PageParams page) {
        return PagedResponses.of(
                notifications.list(caller, userId, status, page).map(NotificationV2::from), page);
    }

    @Operation(
            summary = "Get a notification",
            description =
                    "Where its delivery stands. The ETag changes with "
                            + "every step of the delivery, so a client polling with If-None-Match gets 304 until something happened.")
    @ApiResponse(responseCode = "200", description = "The notification.")
    @ApiResponse(responseCode = "304", description = "Not modified.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such notification.")
    @RequiresScope(Scope.NOTIFICATIONS_WRITE)
    @GetMapping("/{id}")
    ResponseEntity<NotificationV2> get(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, WebRequest request) {
        Notification notification = notifications.get(caller, id);
        // Every change (status, attempts, error) moves updated_at, kept to the microsecond.
        Instant changed = notification.updatedAt();
        return ETags.ok(
                request,
                "v2",
                changed.getEpochSecond() * 1_000_000 + changed.getNano() / 1_000,
                () -> NotificationV2.from(notification));
    }
}
