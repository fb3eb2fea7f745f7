package dev.mercato.jobs;

import com.github.kagkarlsson.scheduler.task.Task;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Queue gauges per task: {@code mercato.jobs.queued} (due and waiting for a worker) and
 * {@code mercato.jobs.oldest.age} (seconds the longest-waiting due job has waited). One query for all, at most
 * every few seconds however often the metrics are scraped. Runs and failures per task are db-scheduler's own
 * meters ({@code db_scheduler_task_completions_total}, {@code db_scheduler_task_duration_seconds}).
 */
@Component
class JobMetrics {

    private static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private record Queue(long waiting, double oldestSeconds) {}

    private record Snapshot(Instant takenAt, Map<String, Queue> queues) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(Instant.EPOCH, Map.of()));

    JobMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters, List<Task<?>> tasks) {
        this.jdbc = jdbc;
        this.clock = clock;
        for (Task<?> task : tasks) {
            String name = task.getName();
            Gauge.builder(
                            "mercato.jobs.queued",
                            this,
                            metrics -> metrics.queue(name).waiting())
                    .tag("task", name)
                    .description("Due jobs waiting for a worker")
                    .register(meters);
            Gauge.builder(
                            "mercato.jobs.oldest.age",
                            this,
                            metrics -> metrics.queue(name).oldestSeconds())
                    .tag("task", name)
                    .baseUnit("seconds")
                    .description("How long the oldest due job has waited")
                    .register(meters);
        }
    }

    private Queue queue(String task) {
        return current().queues().getOrDefault(task, new Queue(0, 0));
    }

    private Snapshot current() {
        Snapshot last = snapshot.get();
        Instant now = clock.instant();
        if (last.takenAt().plus(FRESH_FOR).isAfter(now)) {
            return last;
        }
        Map<String, Queue> queues = jdbc
                .sql("""
                select task_name, count(*) as waiting,
                       coalesce(extract(epoch from (:now - min(execution_time))), 0) as oldest
                from scheduled_tasks where not picked and execution_time <= :now
                group by task_name
                """)
                .param("now", java.sql.Timestamp.from(now))
                .query((rs, row) ->
                        Map.entry(rs.getString("task_name"), new Queue(rs.getLong("waiting"), rs.getDouble("oldest"))))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        Snapshot fresh = new Snapshot(now, queues);
        snapshot.set(fresh);
        return fresh;
    }
}
