package dev.mercato.notifications;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import io.swagger.v3.oas.annotations.Operation;
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
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Notifications")
@RestController
class NotificationsV1Controller {

    private final NotificationService notifications;

    NotificationsV1Controller(NotificationService notifications) {
        this.notifications = notifications;
    }

    record SendNotificationV1(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "usr_123abc") @NotBlank
            String userId,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"email", "sms"})
            @NotNull
            @Pattern(regexp = "email|sms", message = "must be one of email, sms")
            String type,

            @Schema(
                    description = "The email's subject; without one, the message's first line.",
                    example = "Your order has shipped!")
            @Size(max = NotificationService.MAX_SUBJECT_LENGTH)
            String subject,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "At most 10,000 characters " + "(1,600 for an SMS).")
            @NotBlank
            @Size(max = NotificationService.MAX_MESSAGE_LENGTH)
            String message) {}

    record NotificationV1(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String userId,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"email", "sms", "push"})
            String type,

            String subject,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String message,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"queued", "sending", "sent", "failed"})
            String status,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt) {

        static NotificationV1 from(Notification n) {
            return new NotificationV1(
                    n.id(), n.userId(), n.type(), n.subject(), n.message(), n.status(), n.createdAt());
        }
    }

    @Operation(
            summary = "Send a notification to a user",
            description = "Accepted for delivery in the background; " + "follow it at /v2/notifications/{id}.")
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
    @PostMapping(
            path = {"/notifications/send", "/v1/notifications/send"},
            consumes = "application/json",
            produces = "application/json")
    ResponseEntity<NotificationV1> send(
            @AuthenticationPrincipal Caller caller, @Valid @RequestBody SendNotificationV1 request) {
        Notification sent = notifications.send(
                caller,
                new NewNotification(
                        request.userId(), request.type(), "normal", request.subject(), request.message(), "api"));
        return ResponseEntity.accepted()
                .location(URI.create("/v2/notifications/" + sent.id()))
                .body(NotificationV1.from(sent));
    }
}
