package dev.mercato.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;

/** The batched background writer of the access log, without Spring or a database. */
class AccessLogWriterTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private AccessLogWriter writer;

    @AfterEach
    void stopWriter() {
        if (writer != null && writer.isRunning()) {
            writer.stop();
        }
    }

    @Test
    void everySubmittedEntryIsWrittenByTheTimeStopReturns() {
        CollectingRepository repository = new CollectingRepository();
        writer = new AccessLogWriter(repository, meters, capacity(50_000));
        writer.start();

        IntStream.range(0, 5_000).forEach(i -> writer.submit(entry("req-" + i, 200)));
        writer.stop();

        assertThat(repository.requestIds())
                .hasSize(5_000)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 5_000).mapToObj(i -> "req-" + i).toList());
        assertThat(meters.counter("mercato.access_log.written").count()).isEqualTo(5_000);
        assertThat(meters.counter("mercato.access_log.dropped").count()).isZero();
        assertThat(writer.isRunning()).isFalse();
    }

    @Test
    void entriesAreWrittenInBatchesWhileRunning() {
        CollectingRepository repository = new CollectingRepository();
        writer = new AccessLogWriter(repository, meters, capacity(50_000));
        writer.start();

        IntStream.range(0, 2_000).forEach(i -> writer.submit(entry("req-" + i, 200)));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> repository.requestIds().size() == 2_000);
        assertThat(repository.batchSizes()).allSatisfy(size -> assertThat(size).isBetween(1, 500));
        assertThat(repository.batchSizes().size())
                .as("a burst is written in few batches")
                .isLessThan(2_000);
    }

    /** A failover: the database refuses for a few seconds, and the batch waits for it instead of being dropped. */
    @Test
    void aBatchWaitsForADatabaseOutOfReachAndIsWrittenWhenItIsBack() {
        AtomicInteger refusals = new AtomicInteger(3);
        CollectingRepository repository = new CollectingRepository() {
            @Override
            void insert(List<AccessLogEntry> batch) {
                if (refusals.getAndDecrement() > 0) {
                    throw new DataAccessResourceFailureException("the primary is gone");
                }
                super.insert(batch);
            }
        };
        writer = new AccessLogWriter(repository, meters, capacity(100));
        writer.start();

        IntStream.range(0, 10).forEach(i -> writer.submit(entry("req-" + i, 200)));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> repository.requestIds().size() == 10);
        assertThat(refusals.get()).isNegative();
        assertThat(meters.counter("mercato.access_log.dropped").count()).isZero();
    }

    @Test
    void aBatchTheDatabaseRejectsForAnotherReasonIsDropped() {
        CollectingRepository repository = new CollectingRepository() {
            @Override
            void insert(List<AccessLogEntry> batch) {
                throw new DataIntegrityViolationException("value too long");
            }
        };
        writer = new AccessLogWriter(repository, meters, capacity(100));
        writer.start();

        writer.submit(entry("req-bad", 200));
        writer.stop();

        assertThat(meters.counter("mercato.access_log.dropped").count()).isEqualTo(1);
    }

    @Test
    void entriesAreCompletedWithLevelMessageAndCaller() {
        CollectingRepository repository = new CollectingRepository();
        writer = new AccessLogWriter(repository, meters, capacity(100));
        writer.start();
        Caller alice = new Caller("key_1", "usr_1", "alice", Set.of(Scope.PRODUCTS_READ));

        writer.submit(new AccessLogFilter.PendingEntry(
                Instant.parse("2024-05-01T10:00:00Z"), "GET", "/products", 200, 4, "req-ok", alice, "192.168.1.100"));
        writer.submit(new AccessLogFilter.PendingEntry(
                Instant.parse("2024-05-01T10:00:01Z"), "GET", "/nope", 404, 1, "req-missing", null, "10.0.0.1"));
        writer.submit(entry("req-failed", 503));
        writer.stop();

        assertThat(repository.entries()).hasSize(3);
        AccessLogEntry ok = repository.byRequestId("req-ok");
        assertThat(ok.id()).startsWith("log_");
        assertThat(ok.level()).isEqualTo("info");
        assertThat(ok.message()).contains("'alice'").contains("GET /products").contains("200");
        assertThat(ok.userId()).isEqualTo("usr_1");
        assertThat(ok.credentialId()).isEqualTo("key_1");
        assertThat(ok.ipAddress()).isEqualTo("192.168.1.100");
        assertThat(ok.timestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        AccessLogEntry missing = repository.byRequestId("req-missing");
        assertThat(missing.level()).isEqualTo("warn");
        assertThat(missing.userId()).isNull();
        assertThat(missing.message()).startsWith("Anonymous caller");
        assertThat(repository.byRequestId("req-failed").level()).isEqualTo("error");
    }

    @Test
    void flushWritesEverythingSubmittedBeforeIt() {
        CollectingRepository repository = new CollectingRepository();
        writer = new AccessLogWriter(repository, meters, capacity(50_000));
        writer.start();

        for (int round = 0; round < 20; round++) {
            String requestId = "req-" + round;
            writer.submit(entry(requestId, 200));
            // Give the writer thread time to take the entry off the queue, as it does between requests.
            sleep(5 + round);
            writer.flush();
            assertThat(repository.requestIds())
                    .as("written when flush() returned (round " + round + ")")
                    .contains(requestId);
        }
    }

    @Test
    void aFailingRepositoryNeverThrowsOutOfTheWriter() {
        AtomicInteger calls = new AtomicInteger();
        CollectingRepository repository = new CollectingRepository() {
            @Override
            void insert(List<AccessLogEntry> entries) {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("database is down");
                }
                super.insert(entries);
            }
        };
        writer = new AccessLogWriter(repository, meters, capacity(1_000));
        writer.start();

        assertThatCode(() -> {
                    writer.submit(entry("req-lost", 200));
                    writer.flush();
                })
                .doesNotThrowAnyException();
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 1);

        // The writer keeps going: the next entries are written once the database is back.
        writer.submit(entry("req-later", 200));
        assertThatCode(writer::stop).doesNotThrowAnyException();
        assertThat(repository.requestIds()).contains("req-later").doesNotContain("req-lost");
        assertThat(meters.counter("mercato.access_log.dropped").count()).isEqualTo(1);
    }

    @Test
    void aRepositoryThatAlwaysFailsDoesNotBreakStop() {
        AccessLogRepository broken = new AccessLogRepository(null, null) {
            @Override
            void insert(List<AccessLogEntry> entries) {
                throw new IllegalStateException("database is down");
            }
        };
        writer = new AccessLogWriter(broken, meters, capacity(1_000));
        writer.start();
        IntStream.range(0, 100).forEach(i -> writer.submit(entry("req-" + i, 500)));

        assertThatCode(writer::stop).doesNotThrowAnyException();
        assertThat(meters.counter("mercato.access_log.dropped").count()).isEqualTo(100);
        assertThat(meters.counter("mercato.access_log.written").count()).isZero();
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingTheRequest() {
        CollectingRepository repository = new CollectingRepository();
        writer = new AccessLogWriter(repository, meters, capacity(10));
        // Not started: nothing drains the queue.

        IntStream.range(0, 15).forEach(i -> writer.submit(entry("req-" + i, 200)));

        assertThat(meters.counter("mercato.access_log.dropped").count()).isEqualTo(5);
        writer.flush();
        assertThat(repository.requestIds()).hasSize(10);
    }

    /** The access log as configured by default, with a write queue of {@code entries}. */
    private static LogsProperties capacity(int entries) {
        return new LogsProperties(true, Duration.ofDays(30), Duration.ofHours(1), entries);
    }

    private static AccessLogFilter.PendingEntry entry(String requestId, int status) {
        return new AccessLogFilter.PendingEntry(
                Instant.now(),
                "GET",
                "/v2/products",
                status,
                3,
                requestId,
                new Caller("key_test", null, "test key", Set.of(Scope.ADMIN)),
                "127.0.0.1");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Keeps what would have been inserted; no database behind it. */
    private static class CollectingRepository extends AccessLogRepository {

        private final List<AccessLogEntry> entries = new CopyOnWriteArrayList<>();
        private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        CollectingRepository() {
            super(null, null);
        }

        @Override
        void insert(List<AccessLogEntry> batch) {
            batchSizes.add(batch.size());
            entries.addAll(batch);
        }

        List<AccessLogEntry> entries() {
            return entries;
        }

        List<String> requestIds() {
            return entries.stream().map(AccessLogEntry::requestId).toList();
        }

        List<Integer> batchSizes() {
            return batchSizes;
        }

        AccessLogEntry byRequestId(String requestId) {
            return entries.stream()
                    .filter(entry -> entry.requestId().equals(requestId))
                    .findFirst()
                    .orElseThrow();
        }
    }
}
