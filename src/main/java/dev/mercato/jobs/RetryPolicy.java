package dev.mercato.jobs;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Retries a failed job after an exponentially growing delay with jitter (so that jobs that failed together do
 * not all come back together), up to a number of attempts; then, or at once for a {@link PermanentJobFailure},
 * removes the job and tells the feature, which records the final failure.
 *
 * @param maxAttempts attempts in all, the first included
 * @param initialDelay the delay after the first failure; each further failure doubles it
 * @param maxDelay the longest delay
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    /** A quarter of each delay is random: 10 s becomes between 7.5 s and 12.5 s. */
    private static final double JITTER = 0.25;

    public RetryPolicy {
        if (maxAttempts < 1 || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "Not a retry policy: " + maxAttempts + ", " + initialDelay + ", " + maxDelay);
        }
    }

    /** The delay before attempt {@code failures + 1}, after {@code failures} consecutive failures. */
    Duration delayAfter(int failures) {
        double base = initialDelay.toMillis() * Math.pow(2, Math.max(0, failures - 1));
        double capped = Math.min(base, maxDelay.toMillis());
        double jittered =
                capped * (1 - JITTER + 2 * JITTER * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.round(jittered));
    }

    /**
     * A job run once per id ({@link Jobs#enqueue}): {@code run} receives the id, and a failure is retried by this
     * policy until {@code giveUp} receives the id and the last error.
     */
    public OneTimeTask<Void> oneTimeTask(
            TaskDescriptor<Void> task, Consumer<String> run, BiConsumer<String, Throwable> giveUp) {
        return Tasks.oneTime(task)
                .onFailure(this.<Void>handler(giveUp))
                .execute((instance, context) -> run.accept(instance.getId()));
    }

    /**
     * The handler for a task; {@code giveUp} receives the job's id and the last error when no attempt is left,
     * and must record it, since the job itself is then gone.
     */
    <T> FailureHandler<T> handler(BiConsumer<String, Throwable> giveUp) {
        return (ExecutionComplete complete, ExecutionOperations<T> operations) -> {
            int failures = complete.getExecution().consecutiveFailures + 1;
            Throwable cause = complete.getCause().orElse(null);
            if (failures >= maxAttempts || cause instanceof PermanentJobFailure) {
                giveUp.accept(complete.getExecution().taskInstance.getId(), cause);
                operations.remove();
            } else {
                operations.reschedule(complete, complete.getTimeDone().plus(delayAfter(failures)));
            }
        };
    }
}
