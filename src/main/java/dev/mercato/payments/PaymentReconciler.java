package dev.mercato.payments;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.UpstreamUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Settles payments and refunds whose outcome is unknown (the processor timed out, or a server stopped mid-call) by
 * asking the processor that took the payment what became of them, with a growing delay between attempts. Each open
 * payment and refund has one reconciliation job, keyed by its id and queued in the transaction that writes it, so a
 * crash cannot lose it; db-scheduler runs a job on one server at a time and runs it again elsewhere if that server
 * dies. A job settles its row and goes, or puts itself off until the next attempt is due.
 */
@Configuration(proxyBeanMethods = false)
class PaymentReconciler {

    private static final Logger log = LoggerFactory.getLogger(PaymentReconciler.class);

    static final TaskDescriptor<Void> PAYMENTS = TaskDescriptor.of("payment-reconciliation");
    static final TaskDescriptor<Void> REFUNDS = TaskDescriptor.of("refund-reconciliation");

    /** How long to wait before the next call about an outcome still unknown after {@code attempts} calls. */
    static Duration backoff(Duration retryDelay, int attempts) {
        return retryDelay.multipliedBy(1L << Math.min(attempts - 1, 10));
    }

    /**
     * Makes a job's attempt number {@code attempts} at a row with {@code call}: returns the delay before the next
     * attempt when the outcome stayed unknown, empty when the row was settled (a decline included, which is logged).
     */
    static Optional<Duration> attemptOnce(String what, String id, int attempts, Duration retryDelay, Runnable call) {
        try {
            call.run();
            return Optional.empty();
        } catch (UpstreamUnavailableException unknown) {
            return Optional.of(backoff(retryDelay, attempts));
        } catch (DomainException expected) {
            log.info("{} {} after attempt {}: {}", what, id, attempts, expected.getMessage());
            return Optional.empty();
        }
    }

    // The services are looked up when a job runs: they queue jobs themselves, so the scheduler, which needs the
    // tasks, cannot wait for them.
    @Bean
    CustomTask<Void> paymentReconciliationTask(ObjectProvider<PaymentService> payments, PaymentsProperties properties) {
        return task(PAYMENTS, id -> payments.getObject().reconcile(id), properties);
    }

    @Bean
    CustomTask<Void> refundReconciliationTask(ObjectProvider<RefundService> refunds, PaymentsProperties properties) {
        return task(REFUNDS, id -> refunds.getObject().reconcile(id), properties);
    }

    /** {@code settle} makes one attempt and returns how long to wait before the next one, empty once settled. */
    private static CustomTask<Void> task(
            TaskDescriptor<Void> descriptor,
            Function<String, Optional<Duration>> settle,
            PaymentsProperties properties) {
        // An error of our own (the database unreachable, say) is tried again like an unknown outcome.
        return Tasks.custom(descriptor)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(properties.retryDelay()))
                .execute((instance, context) -> settle.apply(instance.getId())
                        .<CompletionHandler<Void>>map(delay -> (complete, operations) -> operations.reschedule(
                                complete, complete.getTimeDone().plus(delay)))
                        .orElseGet(CompletionHandler.OnCompleteRemove::new));
    }
}
