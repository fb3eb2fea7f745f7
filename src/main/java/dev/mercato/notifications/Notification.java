package dev.mercato.notifications;

import java.time.Instant;
import java.util.List;

/**
 * A message to one user over one channel, and where its delivery stands: {@code queued} (waiting, or waiting
 * to be retried), {@code sending}, {@code sent}, or {@code failed} with the last error once no attempt is left.
 * {@code recipient} is the address it goes to (email, phone number, or the user id for push), fixed when it
 * was accepted. {@code source} is {@code api} or the event that caused it ({@code order.created}, ...).
 * {@code attempts} counts every attempt, those before a retry by hand included.
 */
public record Notification(
        String id,
        String userId,
        String type,
        String priority,
        String subject,
        String message,
        String recipient,
        String status,
        int attempts,
        String lastError,
        String source,
        Instant createdAt,
        Instant updatedAt,
        Instant sentAt) {

    static final String EMAIL = "email";
    static final String SMS = "sms";
    static final String PUSH = "push";

    static final String QUEUED = "queued";
    static final String SENDING = "sending";
    static final String SENT = "sent";
    static final String FAILED = "failed";

    /** Every status, in the order a notification goes through them. */
    public static final List<String> STATUSES = List.of(QUEUED, SENDING, SENT, FAILED);

    /** Whether it can be retried: it has not been sent yet. */
    public boolean retryable() {
        return !SENT.equals(status);
    }
}
