package dev.mercato.payments;

import dev.mercato.shared.ConflictException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The processors this server can talk to, by name. New payments go to the configured one; everything after that
 * (asking again about an unknown outcome, refunds) goes to the processor that took the payment, whatever is
 * configured now, since only it knows the charge.
 */
@Component
class PaymentProcessors {

    private final Map<String, PaymentProcessor> byName;
    private final PaymentProcessor current;

    /** {@link PaymentsProperties} has checked that the configured processor is one of {@code available}. */
    PaymentProcessors(List<PaymentProcessor> available, PaymentsProperties properties) {
        this.byName = available.stream().collect(Collectors.toMap(PaymentProcessor::name, Function.identity()));
        this.current = byName.get(properties.processor());
    }

    /** Whether this server can talk to the processor that took the payment. */
    boolean has(Payment payment) {
        return byName.containsKey(payment.processor());
    }

    /** The processor that takes new payments. */
    PaymentProcessor current() {
        return current;
    }

    /** The processor that took the payment; 409 {@code PROCESSOR_UNAVAILABLE} when this server is not set up for it. */
    PaymentProcessor of(Payment payment) {
        PaymentProcessor processor = byName.get(payment.processor());
        if (processor == null) {
            throw new ConflictException(
                    "PROCESSOR_UNAVAILABLE",
                    "Payment '" + payment.id() + "' was taken by the '"
                            + payment.processor() + "' processor, which this server is not configured for, so nothing "
                            + "was done; configure it (for stripe: mercato.payments.stripe.api-key) to settle or refund "
                            + "this payment.",
                    payment.processor());
        }
        return processor;
    }
}
