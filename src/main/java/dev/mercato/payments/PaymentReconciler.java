package dev.mercato.payments;

import java.time.Clock;
import java.time.Duration;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Settles payments and refunds whose outcome is unknown (the processor timed out, or a server stopped mid-call) by
 * asking the processor that took the payment what became of them, with a growing delay between attempts. Safe
 * to run on every server at once: each is claimed by one of them at a time.
 */
@Component
class PaymentReconciler {

    private static final int BATCH = 50;

    private final PaymentRepository repository;
    private final PaymentService payments;
    private final RefundRepository refundRepository;
    private final RefundService refunds;
    private final PaymentProcessors processors;
    private final Clock clock;

    PaymentReconciler(PaymentRepository repository, PaymentService payments, RefundRepository refundRepository,
            RefundService refunds, PaymentProcessors processors, Clock clock) {
        this.repository = repository;
        this.payments = payments;
        this.refundRepository = refundRepository;
        this.refunds = refunds;
        this.processors = processors;
        this.clock = clock;
    }

    /** How long to wait before the next call about an outcome still unknown after {@code attempts} calls. */
    static Duration backoff(Duration retryDelay, int attempts) {
        return retryDelay.multipliedBy(1L << Math.min(attempts - 1, 10));
    }

    @Scheduled(initialDelayString = PaymentsProperties.RECONCILE_INTERVAL,
            fixedDelayString = PaymentsProperties.RECONCILE_INTERVAL)
    void reconcile() {
        // Payments of a processor this server is not configured for are left to servers that are.
        repository.findUnclaimed(clock.instant(), processors.names(), BATCH).forEach(payments::retry);
        refundRepository.findUnclaimed(clock.instant(), processors.names(), BATCH).forEach(refunds::retry);
    }
}
