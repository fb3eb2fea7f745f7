package dev.mercato.payments;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * The default processor: no network, outcomes chosen by test-mode payment method ids in the style of
 * Stripe's ({@code pm_card_visa} succeeds, {@code pm_card_chargeDeclined} declines, ...), plus
 * {@code pm_card_timeout}, which never answers, and {@code pm_card_timeoutThenSucceeds}, whose first call gets no
 * answer but which is found to have succeeded when asked again, to exercise the unknown-outcome path. Always
 * available, so payments it took can be refunded whichever processor takes new ones.
 */
@Component
class SimulatedPaymentProcessor implements PaymentProcessor {

    static final Map<String, String> DECLINES = Map.of(
            "pm_card_chargeDeclined", "generic_decline",
            "pm_card_insufficientFunds", "insufficient_funds",
            "pm_card_chargeDeclinedExpiredCard", "expired_card",
            "pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc");
    static final Set<String> SUCCEEDS = Set.of("pm_card_visa", "pm_card_mastercard", "pm_card_amex");
    static final String TIMES_OUT = "pm_card_timeout";
    static final String TIMES_OUT_THEN_SUCCEEDS = "pm_card_timeoutThenSucceeds";

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public Outcome charge(Charge charge) {
        String method = charge.paymentMethodId();
        if (TIMES_OUT.equals(method) || TIMES_OUT_THEN_SUCCEEDS.equals(method)) {
            return new Unknown(null, "The payment processor did not answer in time.");
        }
        return answer(charge);
    }

    @Override
    public Outcome recheck(Charge charge) {
        return TIMES_OUT.equals(charge.paymentMethodId())
                ? new Unknown(null, "The payment processor did not answer in time.")
                : answer(charge);
    }

    @Override
    public Outcome abandon(Charge charge) {
        // A simulated charge that never answered never took any money.
        return TIMES_OUT.equals(charge.paymentMethodId())
                ? new Declined(
                        null,
                        "processor_unavailable",
                        "The payment processor gave no answer; the payment was given up and nothing was charged.")
                : answer(charge);
    }

    private static Outcome answer(Charge charge) {
        String method = charge.paymentMethodId();
        if (SUCCEEDS.contains(method) || TIMES_OUT_THEN_SUCCEEDS.equals(method)) {
            return new Succeeded(reference("pi_sim", charge.idempotencyKey()));
        }
        String declineCode = DECLINES.getOrDefault(method, "invalid_payment_method");
        String message = DECLINES.containsKey(method) ? "The card was declined." : unknownMethod(method);
        return new Declined(reference("pi_sim", charge.idempotencyKey()), declineCode, message);
    }

    /**
     * The references' example method ({@code pm_ Stripe_12345}) is copied as it is: say which methods this processor
     * takes, so the next try can succeed.
     */
    private static String unknownMethod(String method) {
        return "Unknown payment method '" + method + "'. The simulated processor takes the test payment methods "
                + String.join(", ", new TreeSet<>(SUCCEEDS)) + " (succeed), "
                + String.join(", ", new TreeSet<>(DECLINES.keySet())) + " (declined), " + TIMES_OUT + " and "
                + TIMES_OUT_THEN_SUCCEEDS + " (no answer).";
    }

    @Override
    public Outcome refund(RefundRequest refund) {
        return new Succeeded(reference("re_sim", refund.idempotencyKey()));
    }

    @Override
    public Outcome recheckRefund(RefundRequest refund) {
        return refund(refund);
    }

    /** Deterministic per idempotency key, as a real processor answers a repeated request. */
    private static String reference(String prefix, String idempotencyKey) {
        return prefix + "_" + idempotencyKey;
    }
}
