package dev.mercato.payments;

import java.util.Map;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The default processor: no network, outcomes chosen by test-mode payment method ids in the style of
 * Stripe's ({@code pm_card_visa} succeeds, {@code pm_card_chargeDeclined} declines, ...), plus
 * {@code pm_card_timeout}, which never answers, to exercise the unknown-outcome path.
 */
@Component
@ConditionalOnProperty(name = "mercato.payments.processor", havingValue = "simulated", matchIfMissing = true)
class SimulatedPaymentProcessor implements PaymentProcessor {

    static final Map<String, String> DECLINES = Map.of(
            "pm_card_chargeDeclined", "generic_decline",
            "pm_card_insufficientFunds", "insufficient_funds",
            "pm_card_chargeDeclinedExpiredCard", "expired_card",
            "pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc");
    static final Set<String> SUCCEEDS = java.util.Set.of("pm_card_visa", "pm_card_mastercard", "pm_card_amex");
    static final String TIMES_OUT = "pm_card_timeout";

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public ChargeOutcome charge(Charge charge) {
        String method = charge.paymentMethodId();
        if (SUCCEEDS.contains(method)) {
            return new Succeeded(reference("pi_sim", charge.idempotencyKey()));
        }
        if (TIMES_OUT.equals(method)) {
            throw new ProcessorUnavailableException("The payment processor did not answer in time.", null);
        }
        String declineCode = DECLINES.getOrDefault(method, "invalid_payment_method");
        String message = DECLINES.containsKey(method) ? "The card was declined."
                : "Unknown payment method '" + method + "'.";
        return new Declined(reference("pi_sim", charge.idempotencyKey()), declineCode, message);
    }

    @Override
    public String refund(RefundRequest refund) {
        return reference("re_sim", refund.idempotencyKey());
    }

    /** Deterministic per idempotency key, as a real processor answers a repeated request. */
    private static String reference(String prefix, String idempotencyKey) {
        return prefix + "_" + idempotencyKey;
    }
}
