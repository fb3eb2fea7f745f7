package dev.mercato.webhooks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
record WebhooksProperties(
        @DefaultValue("false") boolean allowPrivateTargets,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("30s") Duration retryDelay,
        @DefaultValue("1h") Duration maxRetryDelay) {
}
