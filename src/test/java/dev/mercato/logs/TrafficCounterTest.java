package dev.mercato.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Settled hours and days are counted once; the open ones every time. */
class TrafficCounterTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:20:00Z");
    private static final LogQuery MINE = new LogQuery(null, null, null, null, null, Set.of("key_mine"));

    private final CountingRepository repository = new CountingRepository();
    private final TrafficCounter counter = new TrafficCounter(repository, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void everyHourOfTheRangeIsThereEmptyOnesToo() {
        repository.answer = List.of(bucket("2026-12-04T09:00:00Z", 3));

        List<TrafficBucket> buckets = counter.count(lastHours(3), ChronoUnit.HOURS);

        assertThat(buckets)
                .extracting(TrafficBucket::start)
                .containsExactly(
                        Instant.parse("2026-12-04T07:00:00Z"),
                        Instant.parse("2026-12-04T08:00:00Z"),
                        Instant.parse("2026-12-04T09:00:00Z"),
                        Instant.parse("2026-12-04T10:00:00Z"));
        assertThat(buckets).extracting(TrafficBucket::total).containsExactly(0L, 0L, 3L, 0L);
        assertThat(repository.asked).containsExactly(lastHours(3).between(Instant.parse("2026-12-04T07:00:00Z"), NOW));
    }

    @Test
    void theNextCountReadsOnlyTheOpenHour() {
        repository.answer = List.of(bucket("2026-12-04T09:00:00Z", 3), bucket("2026-12-04T10:00:00Z", 1));
        counter.count(lastHours(3), ChronoUnit.HOURS);
        repository.asked.clear();
        repository.answer = List.of(bucket("2026-12-04T10:00:00Z", 2));

        List<TrafficBucket> buckets = counter.count(lastHours(3), ChronoUnit.HOURS);

        assertThat(repository.asked).containsExactly(MINE.between(Instant.parse("2026-12-04T10:00:00Z"), NOW));
        assertThat(buckets).extracting(TrafficBucket::total).containsExactly(0L, 0L, 3L, 2L);
    }

    @Test
    void otherFiltersAreCountedOnTheirOwn() {
        counter.count(lastHours(3), ChronoUnit.HOURS);
        repository.asked.clear();

        LogQuery theirs = new LogQuery(null, null, null, null, null, Set.of("key_theirs"));
        counter.count(theirs.between(NOW.minus(3, ChronoUnit.HOURS), NOW), ChronoUnit.HOURS);

        assertThat(repository.asked).containsExactly(theirs.between(Instant.parse("2026-12-04T07:00:00Z"), NOW));
    }

    @Test
    void anHourJustEndedIsCountedAgainUntilItSettles() {
        // At 10:03 the hour that ended at 10:00 may still get entries of requests that started before it.
        Instant early = Instant.parse("2026-12-04T10:03:00Z");
        TrafficCounter counter = new TrafficCounter(repository, Clock.fixed(early, ZoneOffset.UTC));
        LogQuery lastHours = MINE.between(early.minus(3, ChronoUnit.HOURS), early);
        counter.count(lastHours, ChronoUnit.HOURS);
        repository.asked.clear();

        counter.count(lastHours, ChronoUnit.HOURS);

        assertThat(repository.asked).extracting(LogQuery::from).containsExactly(Instant.parse("2026-12-04T09:00:00Z"));
    }

    @Test
    void anHourPastTheEndOfTheRangeIsNotKept() {
        LogQuery endsMidHour =
                MINE.between(Instant.parse("2026-12-04T07:00:00Z"), Instant.parse("2026-12-04T08:30:00Z"));
        counter.count(endsMidHour, ChronoUnit.HOURS);
        repository.asked.clear();

        counter.count(lastHours(3), ChronoUnit.HOURS);

        assertThat(repository.asked).extracting(LogQuery::from).containsExactly(Instant.parse("2026-12-04T08:00:00Z"));
    }

    @Test
    void aPurgeForgetsWhatWasKept() {
        counter.count(lastHours(3), ChronoUnit.DAYS);
        counter.forget();
        repository.asked.clear();

        counter.count(lastHours(3), ChronoUnit.DAYS);

        assertThat(repository.asked).extracting(LogQuery::from).containsExactly(Instant.parse("2026-12-04T00:00:00Z"));
    }

    private static LogQuery lastHours(int hours) {
        return MINE.between(NOW.minus(hours, ChronoUnit.HOURS), NOW);
    }

    private static TrafficBucket bucket(String start, long requests) {
        return new TrafficBucket(Instant.parse(start), requests, 0, 0, 0, 5.0, 9.0);
    }

    /** Answers every query with the same buckets, and keeps the queries. */
    private static class CountingRepository extends AccessLogRepository {

        List<TrafficBucket> answer = List.of();
        final List<LogQuery> asked = new ArrayList<>();

        CountingRepository() {
            super(null, null);
        }

        @Override
        List<TrafficBucket> traffic(LogQuery query, String unit) {
            asked.add(query);
            return answer.stream()
                    .filter(bucket -> !bucket.start().isBefore(query.from()))
                    .toList();
        }
    }
}
