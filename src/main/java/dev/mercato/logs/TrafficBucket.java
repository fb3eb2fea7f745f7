package dev.mercato.logs;

import java.time.Instant;

/**
 * The requests of one hour or day of the access log: how many answered in each status class, and the median and
 * 95th-percentile durations ({@code null} when there were none).
 */
public record TrafficBucket(
        Instant start, long status2xx, long status3xx, long status4xx, long status5xx, Double p50Ms, Double p95Ms) {

    static TrafficBucket empty(Instant start) {
        return new TrafficBucket(start, 0, 0, 0, 0, null, null);
    }

    public long total() {
        return status2xx + status3xx + status4xx + status5xx;
    }
}
