package dev.mercato.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code mercato_rate_limit_rejected_total{policy}}: requests refused with 429, by policy. */
final class RateLimitMetrics {

    private RateLimitMetrics() {}

    static Counter rejected(MeterRegistry meters, String policy) {
        return Counter.builder("mercato.rate_limit.rejected")
                .description("Requests refused with 429 because a rate limit was exhausted")
                .tag("policy", policy)
                .register(meters);
    }
}
