package dev.mercato.payments;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Payments ({@code mercato.payments.*}).
 *
 * @param processor the processor that takes new payments: simulated (no network; the outcome is chosen by the test
 *     payment method id) or stripe
 * @param lease how long one server owns a payment while it calls the processor; a crashed server's payments are
 *     taken over after it
 * @param retryDelay first delay before asking the processor again about a payment with an unknown outcome; doubles
 *     on each attempt
 * @param maxAttempts attempts after which a payment whose outcome stays unknown is given up: its charge is cancelled
 *     at the processor and the payment recorded as failed once nothing can be charged
 * @param reconcileInterval how often each server looks for payments and refunds with an unknown outcome
 * @param stripe the Stripe processor
 */
@ConfigurationProperties("mercato.payments")
@Validated
record PaymentsProperties(
        @DefaultValue(PaymentsProperties.SIMULATED) String processor,
        @DefaultValue("60s") @DurationMin(millis = 1) Duration lease,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration retryDelay,
        @DefaultValue("8") @Positive int maxAttempts,
        @DefaultValue("15s") @DurationMin(millis = 1) Duration reconcileInterval,
        @DefaultValue @Valid Stripe stripe) {

    static final String SIMULATED = "simulated";
    static final String STRIPE = "stripe";

    /** The reconcile interval for {@code @Scheduled}, read from this record's bean (named after prefix and type). */
    static final String RECONCILE_INTERVAL =
            "#{@'mercato.payments-dev.mercato.payments.PaymentsProperties'.reconcileInterval()}";

    PaymentsProperties {
        if (!SIMULATED.equals(processor) && !STRIPE.equals(processor)) {
            throw new IllegalStateException("mercato.payments.processor must be simulated or stripe, not '"
                    + processor + "'");
        }
        if (STRIPE.equals(processor) && !stripe.keyConfigured()) {
            throw new IllegalStateException(
                    "mercato.payments.processor=stripe needs mercato.payments.stripe.api-key (a secret key, sk_...)");
        }
    }

    /**
     * @param apiKey Stripe secret key (sk_...); required with the stripe processor, and wherever payments Stripe took
     *     are to be settled or refunded
     * @param apiBase Stripe's API address (a local stand-in in tests)
     * @param timeout read timeout of a call to Stripe; past it the outcome is treated as unknown
     * @param searchLag how long after the last call a PaymentIntent that Stripe's search does not find, or a refund
     *     missing from its intent's refunds, is taken as never created (search is eventually consistent, and a
     *     create may still be running)
     */
    record Stripe(
            @DefaultValue("") String apiKey,
            @DefaultValue("https://api.stripe.com") String apiBase,
            @DefaultValue("20s") @DurationMin(millis = 1) Duration timeout,
            @DefaultValue("10m") @DurationMin(nanos = 0) Duration searchLag) {

        static final String PREFIX = "mercato.payments.stripe";

        boolean keyConfigured() {
            return !apiKey.isBlank();
        }
    }
}
