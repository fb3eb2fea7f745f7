package dev.mercato.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import java.util.concurrent.TimeUnit;

/** What one request took from one bucket: allowed or not, what is left, and when the bucket refills. */
record Consumption(Quota quota, ConsumptionProbe probe) {

    boolean allowed() {
        return probe.isConsumed();
    }

    long remaining() {
        return probe.getRemainingTokens();
    }

    /** Seconds, rounded up, until the whole quota is available again ({@code t} of the RateLimit header). */
    long secondsUntilFull() {
        return secondsRoundedUp(probe.getNanosToWaitForReset());
    }

    /** Seconds, rounded up, until the next request would be allowed ({@code Retry-After}); at least 1. */
    long secondsUntilAllowed() {
        return Math.max(1, secondsRoundedUp(probe.getNanosToWaitForRefill()));
    }

    private static long secondsRoundedUp(long nanos) {
        long perSecond = TimeUnit.SECONDS.toNanos(1);
        return nanos <= 0 ? 0 : (nanos + perSecond - 1) / perSecond;
    }
}
