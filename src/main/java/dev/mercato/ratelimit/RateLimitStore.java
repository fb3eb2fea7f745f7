package dev.mercato.ratelimit;

import io.github.bucket4j.ConsumptionProbe;

/** Where the buckets live: this server's memory, or a PostgreSQL table that every server shares. */
interface RateLimitStore {

    /**
     * Takes one token from the bucket of {@code subject} under {@code quota} (a bucket is created full on first
     * use) and reports whether it was there, what is left and when the bucket refills.
     */
    ConsumptionProbe tryConsume(String subject, Quota quota);

    /** Gives back one token taken with {@link #tryConsume} for a use that did not count after all. */
    void refund(String subject, Quota quota);
}
