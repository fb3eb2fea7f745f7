package dev.mercato.notifications;

import dev.mercato.ratelimit.Allowances;
import dev.mercato.security.Caller;
import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.LimitExceededException;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * What keeps the shop's providers from being pumped through the API: an SMS or an email costs the shop money or
 * sender reputation, and goes to an address that a user can set for themselves.
 *
 * <ul>
 *   <li>An application acting for a user (a user token, or an API key bound to a user) may send that user push
 *       notifications only: SMS and email would go to whatever number or address the user entered, with text the
 *       application chose, at the shop's expense. They are the shop's own credentials' to send.
 *   <li>Such an application may send its user at most {@code perUser} notifications an hour.
 *   <li>Each credential has an hourly allowance of SMS and one of emails, and each phone number and email address
 *       receives at most {@code perRecipient} of them an hour, from all credentials together.
 * </ul>
 *
 * The platform's own emails (order confirmations, receipts) are not counted: orders bound them.
 */
@Component
class NotificationLimits {

    static final Duration HOUR = Duration.ofHours(1);

    private final Allowances allowances;
    private final NotificationsProperties.Limits limits;

    NotificationLimits(Allowances allowances, NotificationsProperties properties) {
        this.allowances = allowances;
        this.limits = properties.limits();
    }

    /** Takes what sending {@code notification} for {@code caller} uses, or refuses it (403, 429). */
    void check(Caller caller, Notification notification) {
        String channel = notification.type();
        boolean costly = Notification.SMS.equals(channel) || Notification.EMAIL.equals(channel);
        if (caller.actingUser().isPresent()) {
            if (costly) {
                throw new ForbiddenException(
                        "CHANNEL_NOT_ALLOWED",
                        "An application acting for a user may send that user push notifications only; email and SMS "
                                + "are sent by the shop's own credentials.",
                        "type");
            }
            take("notifications-per-user", caller.actingUser().get(), limits.perUser(), "notifications to this user");
        }
        if (costly) {
            long perCredential =
                    Notification.SMS.equals(channel) ? limits.smsPerCredential() : limits.emailPerCredential();
            // The recipient's first: a message refused for its recipient leaves the credential's allowance alone.
            take(
                    channel + "-per-recipient",
                    notification.recipient(),
                    limits.perRecipient(),
                    channel + " notifications to this recipient");
            take(
                    channel + "-per-credential",
                    caller.credentialId(),
                    perCredential,
                    channel + " notifications by this credential");
        }
    }

    private void take(String policy, String subject, long limit, String what) {
        allowances.take(policy, subject, limit, HOUR).ifPresent(seconds -> {
            throw new LimitExceededException(
                    "NOTIFICATION_LIMIT_EXCEEDED",
                    "At most " + limit + " " + what + " an hour; try again in " + seconds + " s. Nothing was queued.",
                    policy,
                    Duration.ofSeconds(seconds));
        });
    }
}
