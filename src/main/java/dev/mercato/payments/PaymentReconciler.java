package dev.mercato.payments;

import java.time.Clock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Settles payments whose outcome is unknown (the processor timed out, or a server stopped mid-charge) by
 * asking the processor that took them what became of the charge, with a growing delay between attempts. Safe
 * to run on every server at once: each payment is claimed by one of them at a time.
 */
@Component
class PaymentReconciler {

    private static final int BATCH = 50;

    private final PaymentRepository repository;
    private final PaymentService payments;
    private final PaymentProcessors processors;
    private final Clock clock;

    PaymentReconciler(PaymentRepository repository, PaymentService payments, PaymentProcessors processors,
            Clock clock) {
        this.repository = repository;
        this.payments = payments;
        this.processors = processors;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${mercato.payments.reconcile-interval:15s}",
            fixedDelayString = "${mercato.payments.reconcile-interval:15s}")
    void reconcile() {
        // Payments of a processor this server is not configured for are left to servers that are.
        repository.findUnclaimed(clock.instant(), processors.names(), BATCH).forEach(payments::retry);
    }
}
