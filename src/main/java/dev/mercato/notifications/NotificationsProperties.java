package dev.mercato.notifications;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Notification channels and delivery ({@code mercato.notifications.*}). SMTP itself is Spring's
 * {@code spring.mail.*}. Each provider can also be configured at run time through {@code /v2/integrations},
 * which takes precedence over these: the channels read {@code emailFrom}, {@code sms} and {@code push} through
 * {@link dev.mercato.integrations.IntegrationSettings}, which lays the stored settings over these properties.
 *
 * @param emailFrom the sender of every email
 * @param sms a Twilio-compatible SMS API: base URL, account SID, auth token, sender number
 * @param push a push gateway: URL the notification is POSTed to as JSON, and a bearer token
 * @param timeout connect and response timeout of each call to a provider
 * @param maxAttempts attempts per notification before it is marked failed
 * @param retryDelay the delay after the first failed attempt; it doubles with each further one, with jitter
 * @param maxRetryDelay the longest delay between attempts
 * @param orderEmails email customers an order confirmation and a payment receipt when email is configured
 * @param limits how many notifications may be sent through the API, per hour (see {@link NotificationLimits})
 */
@ConfigurationProperties("mercato.notifications")
@Validated
record NotificationsProperties(
        @DefaultValue("Mercato <no-reply@mercato.local>") String emailFrom,
        @DefaultValue Sms sms,
        @DefaultValue Push push,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration timeout,
        @DefaultValue("5") @Positive int maxAttempts,
        @DefaultValue("10s") @DurationMin(nanos = 0) Duration retryDelay,
        @DefaultValue("10m") @DurationMin(nanos = 0) Duration maxRetryDelay,
        @DefaultValue("true") boolean orderEmails,
        @DefaultValue Limits limits) {

    /**
     * Hourly allowances of notifications sent through the API; each is a bucket that refills evenly over the hour.
     *
     * @param smsPerCredential SMS one API key or OAuth client may send
     * @param emailPerCredential emails one API key or OAuth client may send
     * @param perRecipient SMS, or emails, to one phone number or email address, from all credentials together
     * @param perUser notifications an application acting for a user (a user token) may send that user
     */
    record Limits(
            @DefaultValue("500") @Positive long smsPerCredential,
            @DefaultValue("2000") @Positive long emailPerCredential,
            @DefaultValue("10") @Positive long perRecipient,
            @DefaultValue("10") @Positive long perUser) {}

    /**
     * @param baseUrl the base URL of a Twilio-compatible SMS API
     * @param accountSid the account the messages are sent from
     * @param authToken the account's auth token
     * @param from the sender number (E.164)
     */
    record Sms(
            @DefaultValue("https://api.twilio.com") String baseUrl,
            @DefaultValue("") String accountSid,
            @DefaultValue("") String authToken,
            @DefaultValue("") String from) {}

    /**
     * @param url the address push notifications are POSTed to as JSON
     * @param token the bearer token sent with them; empty, none is sent
     */
    record Push(
            @DefaultValue("") String url, @DefaultValue("") String token) {}
}
