package dev.mercato.logs;

import dev.mercato.web.DatabaseUnavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Writes access-log entries in batches from one background thread. Requests only enqueue (and never
 * block: when the queue is full the entry is dropped and counted in {@code mercato.access_log.dropped}).
 * Stopping drains the queue, after the web server has finished its in-flight requests.
 */
@Component
class AccessLogWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
    private static final int BATCH_SIZE = 500;
    /** How long a batch waits for a database out of reach before it is dropped: longer than a failover. */
    private static final Duration OUTAGE_WAIT = Duration.ofSeconds(60);

    private final AccessLogRepository repository;
    private final BlockingQueue<AccessLogFilter.PendingEntry> queue;
    private final Counter dropped;
    private final Counter written;
    /** Entries accepted into the queue, and entries taken from it and written (or dropped on failure). */
    private final AtomicLong accepted = new AtomicLong();

    private final AtomicLong finished = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    AccessLogWriter(AccessLogRepository repository, MeterRegistry meters, LogsProperties properties) {
        this.repository = repository;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.dropped = Counter.builder("mercato.access_log.dropped")
                .description(
                        "Access-log entries dropped: the write queue was full, or the database out of reach too long")
                .register(meters);
        this.written = Counter.builder("mercato.access_log.written")
                .description("Access-log entries written to the database")
                .register(meters);
    }

    void submit(AccessLogFilter.PendingEntry entry) {
        if (queue.offer(entry)) {
            accepted.incrementAndGet();
        } else {
            dropped.increment();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "access-log-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server (which stops in a higher phase), so the last requests are written too. */
    @Override
    public int getPhase() {
        return 0;
    }

    /**
     * Writes everything submitted so far, including a batch the writer thread has already taken off the queue;
     * used on shutdown and by tests that read the log back at once.
     */
    void flush() {
        long target = accepted.get();
        synchronized (this) {
            List<AccessLogFilter.PendingEntry> batch = new ArrayList<>(BATCH_SIZE);
            while (queue.drainTo(batch, BATCH_SIZE) > 0) {
                write(batch);
                batch.clear();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (finished.get() < target && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run() {
        List<AccessLogFilter.PendingEntry> batch = new ArrayList<>(BATCH_SIZE);
        while (running) {
            try {
                AccessLogFilter.PendingEntry first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                // Let a quiet trickle accumulate briefly into fewer, larger batches; under load a full batch
                // is already waiting and is written at once, so the writer keeps up instead of dropping.
                if (queue.size() < BATCH_SIZE - 1) {
                    Thread.sleep(50);
                }
                queue.drainTo(batch, BATCH_SIZE - 1);
                synchronized (this) {
                    write(batch);
                }
                batch.clear();
            } catch (InterruptedException e) {
                if (!batch.isEmpty()) {
                    write(batch);
                    batch.clear();
                }
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void write(List<AccessLogFilter.PendingEntry> batch) {
        List<AccessLogEntry> entries =
                batch.stream().map(AccessLogFilter.PendingEntry::complete).toList();
        long giveUpAt = System.nanoTime() + OUTAGE_WAIT.toNanos();
        long pauseMillis = 250;
        try {
            while (true) {
                try {
                    repository.insert(entries);
                    written.increment(batch.size());
                    return;
                } catch (RuntimeException e) {
                    // A database out of reach for a while (a failover takes seconds) is waited for, the queue holding
                    // what comes meanwhile; anything else drops the batch: the log must never take the API down.
                    if (!running || !DatabaseUnavailable.is(e) || System.nanoTime() > giveUpAt) {
                        dropped.increment(batch.size());
                        log.error("Could not write {} access-log entries", batch.size(), e);
                        return;
                    }
                }
                Thread.sleep(pauseMillis);
                pauseMillis = Math.min(pauseMillis * 2, 4_000);
            }
        } catch (InterruptedException e) {
            dropped.increment(batch.size());
            Thread.currentThread().interrupt();
        } finally {
            finished.addAndGet(batch.size());
        }
    }
}
