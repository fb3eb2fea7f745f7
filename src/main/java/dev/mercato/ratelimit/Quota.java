package dev.mercato.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * A named limit of {@code perMinute} requests a minute: a Bucket4j bucket that holds {@code perMinute} tokens (the
 * burst) and refills them greedily over one minute, so a caller may spend the whole minute's allowance at once and
 * then gets a token back every {@code 60 / perMinute} seconds.
 *
 * @param policy the policy's name in the {@code RateLimit} and {@code RateLimit-Policy} headers
 */
record Quota(String policy, long perMinute) {

    static final Duration WINDOW = Duration.ofMinutes(1);

    Bandwidth bandwidth() {
        return Bandwidth.builder()
                .capacity(perMinute)
                .refillGreedy(perMinute, WINDOW)
                .build();
    }

    BucketConfiguration bucket() {
        return BucketConfiguration.builder().addLimit(bandwidth()).build();
    }

    /**
     * A store's key for the bucket of {@code subject} under this quota. The limit is part of the key, so a
     * credential whose limit changes starts afresh with a bucket of the new size.
     */
    String key(String subject) {
        return subject + ":" + perMinute;
    }
}
