package dev.mercato.logs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The access log's traffic per UTC hour or day, with every hour or day of the range (empty ones too). The figures of
 * an hour or day that ended {@link #SETTLED} ago no longer change (entries are written within seconds, stamped with
 * their request's start), so they are kept for an hour: the next chart of the same filters reads only the hours or
 * days since the last one kept, mostly just the current one, in one query. The percentiles make the query sort every
 * row it reads, which is what a range of 7 days would cost on each page otherwise (docs/performance.md).
 */
@Component
class TrafficCounter {

    static final Duration SETTLED = Duration.ofMinutes(5);

    private final AccessLogRepository repository;
    private final Clock clock;
    private final Cache<Key, TrafficBucket> settled = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterWrite(Duration.ofHours(1))
            .build();

    /** A settled bucket of one query's filters (the time range aside). */
    private record Key(LogQuery filters, ChronoUnit unit, Instant start) {}

    TrafficCounter(AccessLogRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** From the start of {@code query.from()}'s hour or day to {@code query.to()}, oldest first. */
    List<TrafficBucket> count(LogQuery query, ChronoUnit unit) {
        String sqlUnit = sqlUnit(unit);
        LogQuery filters = query.between(null, null);
        List<TrafficBucket> buckets = new ArrayList<>();
        Instant start = query.from().truncatedTo(unit);
        while (!start.isAfter(query.to())) {
            TrafficBucket known = settled.getIfPresent(new Key(filters, unit, start));
            if (known == null) {
                break;
            }
            buckets.add(known);
            start = start.plus(1, unit);
        }
        if (start.isAfter(query.to())) {
            return buckets;
        }
        Map<Instant, TrafficBucket> found = new HashMap<>();
        for (TrafficBucket bucket : repository.traffic(query.between(start, query.to()), sqlUnit)) {
            found.put(bucket.start(), bucket);
        }
        Instant settledBefore = clock.instant().minus(SETTLED);
        for (; !start.isAfter(query.to()); start = start.plus(1, unit)) {
            TrafficBucket bucket = found.getOrDefault(start, TrafficBucket.empty(start));
            Instant end = start.plus(1, unit);
            if (!end.isAfter(settledBefore) && !end.isAfter(query.to())) {
                settled.put(new Key(filters, unit, start), bucket);
            }
            buckets.add(bucket);
        }
        return buckets;
    }

    /** After a purge: what was kept may count entries that are gone. */
    void forget() {
        settled.invalidateAll();
    }

    private static String sqlUnit(ChronoUnit unit) {
        return switch (unit) {
            case HOURS -> "hour";
            case DAYS -> "day";
            default -> throw new IllegalArgumentException("Traffic is counted by the hour or the day, not " + unit);
        };
    }
}
