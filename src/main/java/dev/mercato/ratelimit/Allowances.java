package dev.mercato.ratelimit;

import java.time.Duration;
import java.util.OptionalLong;
import org.springframework.stereotype.Component;

/**
 * Allowances other than request rates, kept in the rate limits' store (so shared by every server when that store
 * is PostgreSQL): a feature names a policy and a subject and takes one use at a time, such as one SMS from a
 * credential's hourly allowance.
 */
@Component
public class Allowances {

    private final RateLimitStore store;

    Allowances(RateLimitStore store) {
        this.store = store;
    }

    /**
     * Takes one use from {@code subject}'s allowance of {@code limit} per {@code window} (at most a day) under
     * {@code policy}.
     *
     * @return empty when it was taken; else the seconds (at least 1) until one is available again
     */
    public OptionalLong take(String policy, String subject, long limit, Duration window) {
        Quota quota = new Quota(policy, limit, window);
        Consumption used = new Consumption(quota, store.tryConsume(policy + ":" + subject, quota));
        return used.allowed() ? OptionalLong.empty() : OptionalLong.of(used.secondsUntilAllowed());
    }
}
