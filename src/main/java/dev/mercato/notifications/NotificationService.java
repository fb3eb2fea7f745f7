package dev.mercato.notifications;

import dev.mercato.idempotency.IdempotentCreation;
import dev.mercato.jobs.JobPriority;
import dev.mercato.jobs.Jobs;
import dev.mercato.security.Caller;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.Ids;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.UnknownReferenceException;
import dev.mercato.users.User;
import dev.mercato.users.UserService;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accepts notifications: checks them, fixes the recipient, and writes the notification and the job that
 * delivers it in one transaction, so a notification is delivered exactly when it was accepted. Lists them, and
 * retries by hand those not sent.
 */
@Service
public class NotificationService {

    /** Twilio's limit for one message body. */
    static final int MAX_SMS_LENGTH = 1600;

    static final int MAX_MESSAGE_LENGTH = 10_000;
    static final int MAX_SUBJECT_LENGTH = 200;
    private static final int DEFAULT_SUBJECT_LENGTH = 78;

    private final NotificationRepository repository;
    private final UserService users;
    private final Jobs jobs;
    private final IdempotentCreation creation;
    private final Clock clock;
    private final Map<String, NotificationChannel> channels;
    private final NotificationLimits limits;

    NotificationService(
            NotificationRepository repository,
            UserService users,
            Jobs jobs,
            IdempotentCreation creation,
            Clock clock,
            List<NotificationChannel> channels,
            NotificationLimits limits) {
        this.repository = repository;
        this.users = users;
        this.jobs = jobs;
        this.creation = creation;
        this.clock = clock;
        this.channels = channels.stream().collect(Collectors.toMap(NotificationChannel::type, Function.identity()));
        this.limits = limits;
    }

    /**
     * Accepts a notification from the API. One for a channel with no provider is refused at once, after the request
     * itself was found valid, rather than accepted and failed a moment later by the worker.
     */
    @Transactional
    Notification send(Caller caller, NewNotification request) {
        return creation.once(
                () -> {
                    Notification notification = prepare(visibleUser(caller, request.userId()), request);
                    requireProvider(notification.type(), "send it again");
                    limits.check(caller, notification);
                    return queue(notification, caller.credentialId());
                },
                Notification::id,
                id -> get(caller, id));
    }

    private void requireProvider(String type, String then) {
        NotificationChannel channel = channels.get(type);
        channel.unavailableReason().ifPresent(reason -> {
            throw new ConflictException(
                    "CHANNEL_NOT_CONFIGURED",
                    reason + " Nothing was queued; " + then + " once the provider is set up.",
                    channel.setting());
        });
    }

    private User visibleUser(Caller caller, String userId) {
        return users.find(caller, userId)
                .orElseThrow(() -> new UnknownReferenceException("USER_NOT_FOUND", "user", userId, "userId"));
    }

    /**
     * An email the platform sends a user on its own account (an order confirmation, a receipt), in the caller's
     * transaction; nothing when the user has no email address.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    void sendEmailIfPossible(String userId, String subject, String message, String source) {
        users.find(Caller.SYSTEM, userId)
                .filter(user -> user.email() != null && !user.email().isBlank())
                .ifPresent(user -> queue(
                        prepare(
                                user,
                                new NewNotification(userId, Notification.EMAIL, "normal", subject, message, source)),
                        null));
    }

    /** The notification a request makes, checked and addressed; 400 when it cannot reach the user. */
    private Notification prepare(User user, NewNotification request) {
        String recipient = recipient(user, request.type());
        String message = request.message().strip();
        if (Notification.SMS.equals(request.type()) && message.length() > MAX_SMS_LENGTH) {
            throw InvalidRequestException.field(
                    "message",
                    "An SMS message must be at most " + MAX_SMS_LENGTH + " characters; this one has " + message.length()
                            + ".");
        }
        String subject = Notification.EMAIL.equals(request.type())
                ? subject(request.subject(), message)
                : blankToNull(request.subject());
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return new Notification(
                Ids.generate("ntf"),
                user.id(),
                request.type(),
                request.priority(),
                subject,
                message,
                recipient,
                Notification.QUEUED,
                0,
                null,
                request.source(),
                now,
                now,
                null);
    }

    /** Writes the notification and the job that delivers it, in the caller's transaction. */
    private Notification queue(Notification notification, String createdBy) {
        repository.insert(notification, createdBy);
        jobs.enqueue(NotificationJobs.DELIVERY, notification.id(), priority(notification.priority()));
        return notification;
    }

    public Notification get(Caller caller, String id) {
        return repository
                .findById(id)
                .filter(found -> caller.mayAccess(found.userId()))
                .orElseThrow(() -> new NotFoundException("notification", id));
    }

    /** Notifications, newest first, narrowed to its user's own for a user-authorized token. */
    public Page<Notification> list(Caller caller, String userId, String status, PageParams page) {
        Optional<String> acting = caller.actingUser();
        if (acting.isPresent() && userId != null && !userId.equals(acting.get())) {
            return new Page<>(List.of(), 0);
        }
        return repository.find(acting.orElse(userId), status, page);
    }

    /**
     * Delivers a notification now that was not sent: a failed one gets a new round of attempts (retried as a new one
     * would be, its attempts so far still counted); a queued one waiting for its next attempt has it brought forward.
     * Either way through its delivery job, of which there is at most one per notification and which one server at a
     * time runs: however often and on however many servers it is retried, no two attempts overlap. 409 for one that
     * was sent, whose channel has no provider now, or whose last attempt is still being recorded.
     */
    @Transactional
    public Notification retry(Caller caller, String id) {
        Notification notification = repository
                .lock(id)
                .filter(found -> caller.mayAccess(found.userId()))
                .orElseThrow(() -> new NotFoundException("notification", id));
        if (!notification.retryable()) {
            throw new ConflictException(
                    "NOTIFICATION_SENT", "This notification was sent already; there is nothing to retry.", id);
        }
        requireProvider(notification.type(), "retry it");
        if (Notification.FAILED.equals(notification.status())) {
            if (jobs.exists(NotificationJobs.DELIVERY, id)) {
                // Its job is still winding up after the last attempt: a new job could not be queued beside it.
                throw new ConflictException(
                        "RETRY_IN_PROGRESS", "The last attempt is still being recorded; try again in a moment.", id);
            }
            repository.reopen(id, clock.instant().truncatedTo(ChronoUnit.MICROS));
        }
        jobs.runNow(NotificationJobs.DELIVERY, id, priority(notification.priority()));
        return get(caller, id);
    }

    private static String recipient(User user, String type) {
        return switch (type) {
            case Notification.EMAIL ->
                Optional.ofNullable(user.email())
                        .filter(email -> !email.isBlank())
                        .orElseThrow(() -> InvalidRequestException.field(
                                "type", "User '" + user.id() + "' has no email address, so no email can reach them."));
            case Notification.SMS ->
                Optional.ofNullable(user.profile())
                        .map(User.Profile::phone)
                        .filter(phone -> !phone.isBlank())
                        .orElseThrow(() -> InvalidRequestException.field(
                                "type", "User '" + user.id() + "' has no phone number, so no SMS can reach them."));
            default -> user.id();
        };
    }

    /** An email needs a subject; without one, the message's first line stands in (cut at 78 characters). */
    private static String subject(String requested, String message) {
        String subject = blankToNull(requested);
        if (subject != null) {
            return subject;
        }
        String firstLine = message.lines().findFirst().orElse("").strip();
        return firstLine.length() <= DEFAULT_SUBJECT_LENGTH
                ? firstLine
                : firstLine.substring(0, DEFAULT_SUBJECT_LENGTH - 3) + "...";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static JobPriority priority(String priority) {
        return switch (priority) {
            case "high" -> JobPriority.HIGH;
            case "low" -> JobPriority.LOW;
            default -> JobPriority.NORMAL;
        };
    }
}
