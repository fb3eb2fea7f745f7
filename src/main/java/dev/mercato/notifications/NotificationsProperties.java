package dev.mercato.notifications;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
 */
@ConfigurationProperties("mercato.notifications")
record NotificationsProperties(
        @DefaultValue("Mercato <no-reply@mercato.local>") String emailFrom,
        @DefaultValue Sms sms,
        @DefaultValue Push push,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("10s") Duration retryDelay,
        @DefaultValue("10m") Duration maxRetryDelay,
        @DefaultValue("true") boolean orderEmails) {

    record Sms(@DefaultValue("https://api.twilio.com") String baseUrl, @DefaultValue("") String accountSid,
            @DefaultValue("") String authToken, @DefaultValue("") String from) {
    }

    record Push(@DefaultValue("") String url, @DefaultValue("") String token) {
    }
}
