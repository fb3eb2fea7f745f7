package dev.mercato.notifications;

import java.util.Optional;

/** One way of reaching a user: email, SMS or push. */
interface NotificationChannel {

    /** {@code email}, {@code sms} or {@code push}. */
    String type();

    /** Why this channel cannot send at the moment (nothing configured); empty when it can. */
    Optional<String> unavailableReason();

    /** The server setting that gives this channel its provider, for a client told that none is configured. */
    String setting();

    /** Hands the notification to the provider; returns once the provider has accepted it. */
    void send(Notification notification) throws DeliveryException;
}
