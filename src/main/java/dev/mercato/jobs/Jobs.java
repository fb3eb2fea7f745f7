package dev.mercato.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Queues background jobs. A job queued inside a transaction is written in that transaction (the job table
 * shares the application's connection), so it exists exactly when the change that asked for it committed.
 */
public class Jobs {

    private final Scheduler scheduler;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final boolean runsHere;

    Jobs(Scheduler scheduler, JdbcClient jdbc, Clock clock, boolean runsHere) {
        this.scheduler = scheduler;
        this.jdbc = jdbc;
        this.clock = clock;
        this.runsHere = runsHere;
    }

    /** Queues {@code task} for {@code id} (unless one is pending already), due at {@code at}. */
    public void schedule(TaskDescriptor<Void> task, String id, Instant at) {
        scheduler.scheduleIfNotExists(
                task.instance(id).priority(JobPriority.NORMAL.value()).scheduledTo(at));
    }

    /**
     * Moves the pending job of {@code task} for {@code id} to {@code at}, unless it is running: then it decides
     * its next run itself. The statements below are the ones db-scheduler itself uses on its table (a running
     * job is {@code picked}), so a job is never moved or removed under the server that runs it.
     */
    public void reschedule(TaskDescriptor<Void> task, String id, Instant at) {
        jdbc.sql("update scheduled_tasks set execution_time = :at, version = version + 1 "
                        + "where task_name = :task and task_instance = :id and not picked")
                .param("at", Timestamp.from(at))
                .param("task", task.getTaskName())
                .param("id", id)
                .update();
    }

    /**
     * Takes a due job's run for the caller: the pending job of {@code task} for {@code id}, if it is due and not
     * running, is moved to {@code until} and true returned. Only one caller (or server) wins, as the row is updated
     * conditionally; the job itself runs at {@code until} unless the caller reschedules or cancels it first.
     */
    public boolean takeDue(TaskDescriptor<Void> task, String id, Instant until) {
        return jdbc.sql(
                                "update scheduled_tasks set execution_time = :until, version = version + 1 "
                                        + "where task_name = :task and task_instance = :id and not picked and execution_time <= :now")
                        .param("until", Timestamp.from(until))
                        .param("now", Timestamp.from(clock.instant()))
                        .param("task", task.getTaskName())
                        .param("id", id)
                        .update()
                == 1;
    }

    /**
     * Has the job of {@code task} for {@code id} run now: a pending one (waiting to be retried, say) is brought
     * forward, and one is queued when there is none. One that is running is left alone, so the job never runs twice
     * at once.
     */
    public void runNow(TaskDescriptor<Void> task, String id, JobPriority priority) {
        reschedule(task, id, clock.instant());
        enqueue(task, id, priority);
    }

    /** Whether a job of {@code task} for {@code id} exists: waiting to run, or running on some server. */
    public boolean exists(TaskDescriptor<Void> task, String id) {
        return jdbc.sql("select exists (select 1 from scheduled_tasks where task_name = :task and task_instance = :id)")
                .param("task", task.getTaskName())
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    /** Removes the pending job of {@code task} for {@code id}, unless it is running (it then removes itself). */
    public void cancel(TaskDescriptor<Void> task, String id) {
        jdbc.sql("delete from scheduled_tasks where task_name = :task and task_instance = :id and not picked")
                .param("task", task.getTaskName())
                .param("id", id)
                .update();
    }

    /**
     * Queues {@code task} for {@code id} (at most one pending job per task and id: queuing it again does
     * nothing), due now. This server starts it as soon as the transaction commits; others find it at their
     * next poll.
     */
    public void enqueue(TaskDescriptor<Void> task, String id, JobPriority priority) {
        scheduler.scheduleIfNotExists(
                task.instance(id).priority(priority.value()).scheduledTo(clock.instant()));
        if (!runsHere) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    scheduler.triggerCheckForDueExecutions();
                }
            });
        } else {
            scheduler.triggerCheckForDueExecutions();
        }
    }
}
