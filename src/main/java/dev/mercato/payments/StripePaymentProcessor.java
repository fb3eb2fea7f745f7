package dev.mercato.payments;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import dev.mercato.web.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Charges through Stripe with the official client: one PaymentIntent per payment, created and confirmed in
 * a single call whose Stripe idempotency key is our payment id, so a repeated call after a timeout returns
 * the first outcome. Only a definite answer from Stripe becomes {@link Succeeded} or {@link Declined};
 * timeouts, outages, authentication problems and unreadable replies leave the outcome unknown.
 */
@Component
@ConditionalOnProperty(name = "mercato.payments.processor", havingValue = "stripe")
class StripePaymentProcessor implements PaymentProcessor {

    private final StripeClient stripe;

    StripePaymentProcessor(@Value("${mercato.payments.stripe.api-key}") String apiKey,
            @Value("${mercato.payments.stripe.api-base:https://api.stripe.com}") String apiBase,
            @Value("${mercato.payments.stripe.timeout:20s}") Duration timeout) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalStateException(
                    "mercato.payments.processor=stripe needs mercato.payments.stripe.api-key (a secret key, sk_...)");
        }
        this.stripe = StripeClient.builder()
                .setApiKey(apiKey)
                .setApiBase(apiBase)
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 5_000))
                .setReadTimeout((int) timeout.toMillis())
                // Retries are ours (the reconciler, with the same idempotency key), not hidden in the client.
                .setMaxNetworkRetries(0)
                .build();
    }

    @Override
    public String name() {
        return "stripe";
    }

    @Override
    public ChargeOutcome charge(Charge charge) {
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(minorUnits(charge.amount(), charge.currency()))
                .setCurrency(charge.currency().toLowerCase(Locale.ROOT))
                .setPaymentMethod(charge.paymentMethodId())
                .setConfirm(true)
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                        .setEnabled(true)
                        .setAllowRedirects(PaymentIntentCreateParams.AutomaticPaymentMethods.AllowRedirects.NEVER)
                        .build())
                .putMetadata("mercato_payment_id", charge.idempotencyKey())
                .putMetadata("mercato_order_id", charge.orderId())
                .build();
        try {
            PaymentIntent intent = stripe.v1().paymentIntents().create(params, idempotent(charge.idempotencyKey()));
            return switch (String.valueOf(intent.getStatus())) {
                case "succeeded" -> new Succeeded(intent.getId());
                case "requires_payment_method" -> new Declined(intent.getId(), "payment_method_rejected",
                        "The payment method was not accepted.");
                case "requires_action" -> new Declined(intent.getId(), "authentication_required",
                        "The payment method needs the customer's authentication, which this API cannot perform.");
                // "processing" and anything new: Stripe has not decided yet; asked again later with the same key.
                default -> throw new ProcessorUnavailableException(
                        "Stripe has not decided the payment yet (status " + intent.getStatus() + ").", null);
            };
        } catch (CardException e) {
            String code = e.getDeclineCode() != null ? e.getDeclineCode() : e.getCode();
            String reference = e.getStripeError() != null && e.getStripeError().getPaymentIntent() != null
                    ? e.getStripeError().getPaymentIntent().getId() : null;
            return new Declined(reference, code == null ? "card_declined" : code, e.getStripeError() != null
                    ? e.getStripeError().getMessage() : "The card was declined.");
        } catch (InvalidRequestException e) {
            // A definite refusal of this request, e.g. an unknown payment method: nothing was charged.
            return new Declined(null, e.getCode() == null ? "invalid_request" : e.getCode(),
                    e.getStripeError() != null ? e.getStripeError().getMessage() : "Stripe refused the request.");
        } catch (StripeException | RuntimeException e) {
            // Connection errors, timeouts, 5xx, authentication and rate limits, idempotency conflicts, replies
            // that do not parse (the client throws unchecked exceptions for those): the outcome is unknown.
            throw new ProcessorUnavailableException("Stripe did not give a usable answer: " + e.getMessage(), e);
        }
    }

    @Override
    public String refund(RefundRequest refund) {
        RefundCreateParams params = RefundCreateParams.builder()
                .setPaymentIntent(refund.chargeReference())
                .setAmount(minorUnits(refund.amount(), refund.currency()))
                .putMetadata("mercato_payment_id", refund.paymentId())
                .build();
        try {
            Refund created = stripe.v1().refunds().create(params, idempotent(refund.idempotencyKey()));
            if ("failed".equals(created.getStatus()) || "canceled".equals(created.getStatus())) {
                throw new ProcessorUnavailableException("Stripe did not complete the refund (status "
                        + created.getStatus() + ").", null);
            }
            return created.getId();
        } catch (StripeException | RuntimeException e) {
            if (e instanceof ProcessorUnavailableException unavailable) {
                throw unavailable;
            }
            throw new ProcessorUnavailableException("Stripe did not confirm the refund: " + e.getMessage(), e);
        }
    }

    private static RequestOptions idempotent(String key) {
        return RequestOptions.builder().setIdempotencyKey(key).build();
    }

    /** Stripe counts in the currency's minor unit: cents for USD, yen for JPY. */
    static long minorUnits(BigDecimal amount, String currency) {
        return amount.movePointRight(Money.minorUnits(Money.currency(currency).orElseThrow())).longValueExact();
    }
}
