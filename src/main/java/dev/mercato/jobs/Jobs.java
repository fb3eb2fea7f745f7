package dev.mercato.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import java.time.Clock;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Queues background jobs. A job queued inside a transaction is written in that transaction (the job table
 * shares the application's connection), so it exists exactly when the change that asked for it committed.
 */
public class Jobs {

    private final Scheduler scheduler;
    private final Clock clock;
    private final boolean runsHere;

    Jobs(Scheduler scheduler, Clock clock, boolean runsHere) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.runsHere = runsHere;
    }

    /**
     * Queues {@code task} for {@code id} (at most one pending job per task and id: queuing it again does
     * nothing), due now. This server starts it as soon as the transaction commits; others find it at their
     * next poll.
     */
    public void enqueue(TaskDescriptor<Void> task, String id, JobPriority priority) {
        scheduler.scheduleIfNotExists(task.instance(id).priority(priority.value()).scheduledTo(clock.instant()));
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
