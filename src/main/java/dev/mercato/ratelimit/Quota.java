package dev.mercato.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * A named limit of {@code limit} uses per {@code window}: a Bucket4j bucket that holds {@code limit} tokens (the
 * burst) and refills them greedily over the window, so a caller may spend the whole window's allowance at once and
 * then gets a token back every {@code window / limit}. Request limits are per minute; other allowances (such as
 * notifications' per hour) take a longer window, up to {@link #LONGEST_WINDOW}.
 *
 * @param policy the policy's name in the {@code RateLimit} and {@code RateLimit-Policy} headers
 */
record Quota(String policy, long limit, Duration window) {

    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Duration LONGEST_WINDOW = Duration.ofDays(1);

    Quota {
        if (window.compareTo(LONGEST_WINDOW) > 0) {
            throw new IllegalArgumentException("A quota's window is at most " + LONGEST_WINDOW + ", not " + window);
        }
    }

    /** A limit of {@code perMinute} requests a minute. */
    Quota(String policy, long perMinute) {
        this(policy, perMinute, MINUTE);
    }

    Bandwidth bandwidth() {
        return Bandwidth.builder().capacity(limit).refillGreedy(limit, window).build();
    }

    BucketConfiguration bucket() {
        return BucketConfiguration.builder().addLimit(bandwidth()).build();
    }

    /**
     * A store's key for the bucket of {@code subject} under this quota. The limit and window are part of the key,
     * so a subject whose limit changes starts afresh with a bucket of the new size.
     */
    String key(String subject) {
        return subject + ":" + limit + (window.equals(MINUTE) ? "" : "/" + window.toSeconds() + "s");
    }
}
