package dev.mercato.webhooks;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook delivery ({@code mercato.webhooks.*}).
 *
 * @param allowPrivateTargets let subscriptions and deliveries reach loopback, private, link-local and other
 *     non-public addresses; off by default, so a subscription cannot be used to probe the internal network
 * @param timeout connect and response timeout of each delivery attempt
 * @param maxAttempts attempts per delivery before it is marked failed
 * @param retryDelay the delay after the first failed attempt; it doubles with each further one, with jitter
 * @param maxRetryDelay the longest delay between attempts
 */
@ConfigurationProperties("mercato.webhooks")
@Validated
record WebhooksProperties(
        @DefaultValue("false") boolean allowPrivateTargets,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration timeout,
        @DefaultValue("8") @Positive int maxAttempts,
        @DefaultValue("30s") @DurationMin(nanos = 0) Duration retryDelay,
        @DefaultValue("1h") @DurationMin(nanos = 0) Duration maxRetryDelay) {}
