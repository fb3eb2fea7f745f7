package dev.mercato.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * Buckets in this server's memory, the default: no database work per request, but each server counts on its own.
 * A bucket left alone for a whole window has refilled completely, so dropping it then loses nothing: the cache
 * forgets buckets after a window without use, and holds at most {@value #MAX_BUCKETS} of them.
 */
final class MemoryRateLimitStore implements RateLimitStore {

    static final long MAX_BUCKETS = 100_000;

    private final Cache<String, Held> buckets;
    private final TimeMeter time;

    MemoryRateLimitStore() {
        this(TimeMeter.SYSTEM_NANOTIME, Ticker.systemTicker());
    }

    /** With the clocks of a test: Bucket4j's for refills, Caffeine's for expiry. */
    MemoryRateLimitStore(TimeMeter time, Ticker ticker) {
        this.time = time;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_BUCKETS)
                .expireAfter(Expiry.accessing((String key, Held held) -> held.window()))
                .ticker(ticker)
                .build();
    }

    @Override
    public ConsumptionProbe tryConsume(String subject, Quota quota) {
        Held held = buckets.get(
                quota.key(subject),
                key -> new Held(
                        Bucket.builder()
                                .addLimit(quota.bandwidth())
                                .withCustomTimePrecision(time)
                                .build(),
                        quota.window()));
        return held.bucket().tryConsumeAndReturnRemaining(1);
    }

    @Override
    public void refund(String subject, Quota quota) {
        Held held = buckets.getIfPresent(quota.key(subject));
        if (held != null) {
            held.bucket().addTokens(1);
        }
    }

    /** A bucket, forgotten after its quota's window without use. */
    private record Held(Bucket bucket, Duration window) {}

    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
