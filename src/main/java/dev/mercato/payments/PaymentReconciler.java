package dev.mercato.payments;

import java.time.Clock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Settles payments whose outcome is unknown (the processor timed out, or a server stopped mid-charge) by
 * asking the processor again with the same idempotency key, with a growing delay between attempts. Safe
 * to run on every server at once: each payment is claimed by one of them at a time.
 */
@Component
class PaymentReconciler {

    private static final int BATCH = 50;

    private final PaymentRepository repository;
    private final PaymentService payments;
    private final Clock clock;

    PaymentReconciler(PaymentRepository repository, PaymentService payments, Clock clock) {
        this.repository = repository;
        this.payments = payments;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${mercato.payments.reconcile-interval:15s}",
            fixedDelayString = "${mercato.payments.reconcile-interval:15s}")
    void reconcile() {
        repository.findUnclaimed(clock.instant(), BATCH).forEach(payments::retry);
    }
}
