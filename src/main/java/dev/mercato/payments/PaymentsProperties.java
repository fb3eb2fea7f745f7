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
 * @param retryDelay first delay before asking the processor again about a payment or refund with an unknown outcome;
 *     doubles on each attempt. Also how long a request that calls the processor puts the reconciliation job off, so
 *     it must be longer than any call (the Stripe timeout)
 * @param maxAttempts attempts after which a payment whose outcome stays unknown is given up: its charge is cancelled
 *     at the processor and the payment recorded as failed once nothing can be charged
 * @param stripe the Stripe processor
 */
@ConfigurationProperties("mercato.payments")
@Validated
record PaymentsProperties(
        @DefaultValue(PaymentsProperties.SIMULATED) String processor,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration retryDelay,
        @DefaultValue("8") @Positive int maxAttempts,
        @DefaultValue @Valid Stripe stripe) {

    static final String SIMULATED = "simulated";
    static final String STRIPE = "stripe";

    PaymentsProperties {
        if (!SIMULATED.equals(processor) && !STRIPE.equals(processor)) {
            throw new IllegalStateException(
                    "mercato.payments.processor must be simulated or stripe, not '" + processor + "'");
        }
        if (STRIPE.equals(processor) && !stripe.keyConfigured()) {
            throw new IllegalStateException(
                    "mercato.payments.processor=stripe needs mercato.payments.stripe.api-key (a secret key, sk_...)");
        }
        // A request that calls the processor holds off the reconciliation job for one retry delay: the call must
        // have ended by then, or the two could talk to the processor about one payment at once.
        if (retryDelay.compareTo(stripe.longestCall()) <= 0) {
            throw new IllegalStateException("mercato.payments.retry-delay (" + retryDelay + ") must be longer than "
                    + "the longest call to Stripe, " + stripe.longestCall() + " (mercato.payments.stripe.timeout "
                    + "to read and up to 5 s more to connect)");
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
     * @param webhookSecret the signing secret of the Stripe webhook endpoint that sends to /webhooks/stripe (whsec_...);
     *     without it Stripe's events are refused
     * @param webhookTolerance how old a Stripe event's signature may be; older ones are refused as possible replays
     */
    record Stripe(
            @DefaultValue("") String apiKey,
            @DefaultValue("https://api.stripe.com") String apiBase,
            @DefaultValue("20s") @DurationMin(millis = 1) Duration timeout,
            @DefaultValue("10m") @DurationMin(nanos = 0) Duration searchLag,
            @DefaultValue("") String webhookSecret,
            @DefaultValue("5m") @DurationMin(seconds = 1) Duration webhookTolerance) {

        static final String PREFIX = "mercato.payments.stripe";

        /** The connect timeout: the read timeout, at most 5 s. */
        Duration connectTimeout() {
            return timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5);
        }

        Duration longestCall() {
            return connectTimeout().plus(timeout);
        }

        boolean keyConfigured() {
            return !apiKey.isBlank();
        }
    }
}
