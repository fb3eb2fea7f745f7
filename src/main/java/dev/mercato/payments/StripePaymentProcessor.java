package dev.mercato.payments;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentSearchParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.stereotype.Component;

/**
 * Charges through Stripe with the official client: one PaymentIntent per payment, created and confirmed in one call
 * whose idempotency key is our payment id and whose metadata names the payment. Only a definite answer from Stripe
 * becomes {@link Succeeded} or {@link Declined}; timeouts, outages, unreadable replies and undecided intents are
 * {@link Unknown}.
 *
 * <p>Stripe saves the first answer to an idempotency key, a 500 or a {@code processing} intent included, and replays
 * it to every retry: sending the create again cannot learn a later outcome. So an unknown outcome is settled by
 * retrieving the intent when an answer named it, else by one more create (which only helps when the first never
 * reached Stripe) and then by searching for the intent by its metadata. Giving up cancels whatever intent exists.
 */
@Component
@Conditional(StripePaymentProcessor.KeyConfigured.class)
class StripePaymentProcessor implements PaymentProcessor {

    static final String PAYMENT_ID = "mercato_payment_id";
    static final String REFUND_ID = "mercato_refund_id";
    /** Stripe keeps an idempotency key for 24 hours; after that a create with it would make a second intent. */
    private static final Duration KEY_LIFETIME = Duration.ofHours(23);
    /** Stripe's zero-decimal currencies (docs.stripe.com/currencies); all others but these are two-decimal. */
    private static final Set<String> ZERO_DECIMAL = Set.of(
            "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF",
            "XPF");
    /** Three-decimal currencies, whose last digit Stripe requires to be 0. */
    private static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");

    private final StripeClient stripe;
    private final Clock clock;
    private final Duration searchLag;

    StripePaymentProcessor(PaymentsProperties properties, Clock clock) {
        PaymentsProperties.Stripe settings = properties.stripe();
        if (!settings.keyConfigured()) {
            throw new IllegalStateException(
                    "mercato.payments.processor=stripe needs mercato.payments.stripe.api-key (a secret key, sk_...)");
        }
        this.stripe = StripeClient.builder()
                .setApiKey(settings.apiKey())
                .setApiBase(settings.apiBase())
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setReadTimeout((int) settings.timeout().toMillis())
                // Retries are ours (the reconciler), not hidden in the client.
                .setMaxNetworkRetries(0)
                .build();
        this.clock = clock;
        this.searchLag = settings.searchLag();
    }

    /** The processor exists where an API key is set, so payments it took can be settled and refunded. */
    static class KeyConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            // Decided before any bean exists, so bound here from the environment as the properties bean will be.
            return Binder.get(context.getEnvironment())
                    .bindOrCreate(PaymentsProperties.Stripe.PREFIX, PaymentsProperties.Stripe.class)
                    .keyConfigured();
        }
    }

    @Override
    public String name() {
        return "stripe";
    }

    @Override
    public Outcome charge(Charge charge) {
        OptionalLong amount = stripeAmount(charge.amount(), charge.currency());
        if (amount.isEmpty()) {
            return new Declined(
                    null,
                    "amount_not_supported",
                    "Stripe cannot charge " + charge.amount().toPlainString() + " " + charge.currency()
                            + " exactly in its units for that currency.");
        }
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(amount.getAsLong())
                .setCurrency(charge.currency().toLowerCase(Locale.ROOT))
                .setPaymentMethod(charge.paymentMethodId())
                .setConfirm(true)
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                        .setEnabled(true)
                        .setAllowRedirects(PaymentIntentCreateParams.AutomaticPaymentMethods.AllowRedirects.NEVER)
                        .build())
                .putMetadata(PAYMENT_ID, charge.idempotencyKey())
                .putMetadata("mercato_order_id", charge.orderId())
                .build();
        try {
            return settle(stripe.v1().paymentIntents().create(params, idempotent(charge.idempotencyKey())));
        } catch (CardException e) {
            String code = e.getDeclineCode() != null ? e.getDeclineCode() : e.getCode();
            String reference = e.getStripeError() != null && e.getStripeError().getPaymentIntent() != null
                    ? e.getStripeError().getPaymentIntent().getId()
                    : null;
            return new Declined(reference, code == null ? "card_declined" : code, message(e, "The card was declined."));
        } catch (InvalidRequestException e) {
            // A definite refusal of this request, e.g. an unknown payment method: nothing was charged. (Stripe's
            // idempotency_error, a key reused with other parameters, is an IdempotencyException: unknown, below.)
            return new Declined(
                    null,
                    e.getCode() == null ? "invalid_request" : e.getCode(),
                    message(e, "Stripe refused the request."));
        } catch (StripeException | RuntimeException e) {
            // Connection errors, timeouts, 5xx, authentication, rate limits, idempotency conflicts (400, 409), replies
            // that do not parse (the client throws unchecked exceptions for those): the outcome is unknown.
            return new Unknown(null, "Stripe did not give a usable answer: " + e.getMessage());
        }
    }

    @Override
    public Outcome recheck(Charge charge) {
        if (charge.reference() != null) {
            return retrieve(charge.reference());
        }
        // No answer named an intent. Creating again with the same key helps only if the first request never reached
        // Stripe (otherwise Stripe replays its first answer), and only while Stripe still knows the key.
        Outcome again = clock.instant().isBefore(charge.createdAt().plus(KEY_LIFETIME))
                ? charge(charge)
                : new Unknown(null, "The idempotency key has expired at Stripe; only a search can find the intent.");
        if (!(again instanceof Unknown unknown) || unknown.reference() != null) {
            return again;
        }
        try {
            return find(charge)
                    .map(this::settle)
                    .orElse(new Unknown(
                            null, unknown.message() + " No PaymentIntent for the payment found by search yet."));
        } catch (StripeException | RuntimeException e) {
            return new Unknown(null, unknown.message() + " Searching for its PaymentIntent failed: " + e.getMessage());
        }
    }

    @Override
    public Outcome abandon(Charge charge) {
        PaymentIntent intent;
        try {
            // Never a create here: it could start the very charge being given up.
            intent = charge.reference() != null
                    ? stripe.v1().paymentIntents().retrieve(charge.reference())
                    : find(charge).orElse(null);
        } catch (StripeException | RuntimeException e) {
            return new Unknown(charge.reference(), "Stripe did not answer about the payment: " + e.getMessage());
        }
        if (intent == null) {
            // Search lags behind writes, so "not found" proves nothing until the last create is old enough.
            return clock.instant().isAfter(charge.lastAttemptAt().plus(searchLag))
                    ? new Declined(
                            null,
                            "processor_unavailable",
                            "Stripe gave no answer, and has no PaymentIntent "
                                    + "for the payment: nothing was charged.")
                    : new Unknown(null, "No PaymentIntent for the payment found by search yet.");
        }
        return switch (String.valueOf(intent.getStatus())) {
            case "succeeded", "canceled" -> settle(intent);
            default ->
                cancel(
                        intent.getId(),
                        "processor_unavailable",
                        "Stripe did not settle the payment in time (status " + intent.getStatus() + ").");
        };
    }

    @Override
    public Outcome refund(RefundRequest refund) {
        OptionalLong amount = stripeAmount(refund.amount(), refund.currency());
        if (amount.isEmpty()) {
            return new Declined(
                    null,
                    "amount_not_supported",
                    "Stripe cannot refund " + refund.amount().toPlainString() + " " + refund.currency()
                            + " exactly in its units.");
        }
        RefundCreateParams params = RefundCreateParams.builder()
                .setPaymentIntent(refund.chargeReference())
                .setAmount(amount.getAsLong())
                .putMetadata(PAYMENT_ID, refund.paymentId())
                .putMetadata(REFUND_ID, refund.idempotencyKey())
                .build();
        try {
            return settle(stripe.v1().refunds().create(params, idempotent(refund.idempotencyKey())));
        } catch (InvalidRequestException e) {
            // A definite refusal, e.g. charge_already_refunded or an amount above what Stripe holds.
            return new Declined(
                    null,
                    e.getCode() == null ? "invalid_request" : e.getCode(),
                    message(e, "Stripe refused the refund."));
        } catch (StripeException | RuntimeException e) {
            return new Unknown(null, "Stripe did not confirm the refund: " + e.getMessage());
        }
    }

    /**
     * A refund named by an answer is retrieved. Otherwise it is looked for among its intent's refunds by its metadata
     * (lists, unlike search, are current); not there, it is created again with the same key while that is safe, and
     * taken as never made once the last call is older than the search lag (a create may still have been running).
     */
    @Override
    public Outcome recheckRefund(RefundRequest refund) {
        try {
            if (refund.reference() != null) {
                return settle(stripe.v1().refunds().retrieve(refund.reference()));
            }
            // Every page of the intent's refunds (100 a page), not only the first.
            Optional<Refund> found = StreamSupport.stream(
                            stripe.v1()
                                    .refunds()
                                    .list(RefundListParams.builder()
                                            .setPaymentIntent(refund.chargeReference())
                                            .setLimit(100L)
                                            .build())
                                    .autoPagingIterable()
                                    .spliterator(),
                            false)
                    .filter(made -> made.getMetadata() != null
                            && refund.idempotencyKey().equals(made.getMetadata().get(REFUND_ID)))
                    .findFirst();
            if (found.isPresent()) {
                return settle(found.get());
            }
        } catch (StripeException | RuntimeException e) {
            return new Unknown(refund.reference(), "Stripe did not answer about the refund: " + e.getMessage());
        }
        Instant now = clock.instant();
        if (now.isAfter(refund.lastAttemptAt().plus(searchLag))) {
            return new Declined(
                    null,
                    "processor_unavailable",
                    "Stripe gave no answer, and has no such refund: " + "nothing was refunded.");
        }
        return now.isBefore(refund.createdAt().plus(KEY_LIFETIME))
                ? refund(refund)
                : new Unknown(null, "No such refund at Stripe yet.");
    }

    private static Outcome settle(Refund refund) {
        return reported(refund).orElseGet(() -> switch (String.valueOf(refund.getStatus())) {
            // pending and requires_action: accepted, completed by Stripe later.
            case "pending", "requires_action" -> new Succeeded(refund.getId());
            default ->
                new Unknown(refund.getId(), "Stripe answered the refund with status " + refund.getStatus() + ".");
        });
    }

    /** A refund's outcome once Stripe has decided it (succeeded, failed, canceled); empty while it has not. */
    static Optional<Outcome> reported(Refund refund) {
        return switch (String.valueOf(refund.getStatus())) {
            case "succeeded" -> Optional.of(new Succeeded(refund.getId()));
            case "failed", "canceled" ->
                Optional.of(new Declined(
                        refund.getId(),
                        refund.getFailureReason() == null ? refund.getStatus() : refund.getFailureReason(),
                        "Stripe did not make the refund (status " + refund.getStatus() + ")."));
            default -> Optional.empty();
        };
    }

    private Outcome settle(PaymentIntent intent) {
        String id = intent.getId();
        return reported(intent).orElseGet(() -> switch (String.valueOf(intent.getStatus())) {
            // 3-D Secure cannot be completed through this API; cancelled so it can never complete later.
            case "requires_action" ->
                cancel(
                        id,
                        "authentication_required",
                        "The payment method needs the customer's authentication, which this API cannot perform.");
            // processing, and anything new: Stripe has not decided yet.
            default -> new Unknown(id, "Stripe has not decided the payment yet (status " + intent.getStatus() + ").");
        });
    }

    /**
     * An intent's outcome once Stripe has decided it: succeeded, or declined (waiting for another payment method,
     * which only a new confirmation with our key could bring, or canceled); empty while it has not.
     */
    static Optional<Outcome> reported(PaymentIntent intent) {
        String id = intent.getId();
        return switch (String.valueOf(intent.getStatus())) {
            case "succeeded" -> Optional.of(new Succeeded(id));
            case "requires_payment_method" ->
                Optional.of(new Declined(
                        id,
                        lastDeclineCode(intent).orElse("payment_method_rejected"),
                        "The payment method was not accepted."));
            case "canceled" -> Optional.of(new Declined(id, "canceled", "The PaymentIntent was canceled."));
            default -> Optional.empty();
        };
    }

    /** Cancels an intent that must not go through: declined once Stripe confirms the cancellation, else unknown. */
    private Outcome cancel(String intentId, String declineCode, String message) {
        try {
            PaymentIntent canceled = stripe.v1().paymentIntents().cancel(intentId);
            return "canceled".equals(canceled.getStatus())
                    ? new Declined(intentId, declineCode, message + " Its PaymentIntent was canceled.")
                    : new Unknown(intentId, "Stripe left the PaymentIntent " + canceled.getStatus() + ".");
        } catch (StripeException | RuntimeException e) {
            // Also a 400 for an intent that has just succeeded or is processing: asked about again later.
            return new Unknown(intentId, "Stripe did not cancel the PaymentIntent: " + e.getMessage());
        }
    }

    private Outcome retrieve(String intentId) {
        try {
            return settle(stripe.v1().paymentIntents().retrieve(intentId));
        } catch (StripeException | RuntimeException e) {
            return new Unknown(
                    intentId, "Stripe did not answer about PaymentIntent " + intentId + ": " + e.getMessage());
        }
    }

    /**
     * The payment's intent by its metadata. Stripe's search is eventually consistent (new intents show up within
     * about a minute, later during incidents), so an empty result is not proof of absence. There is more than one only
     * if a create outlived its key; then the one that took money counts, else one still open.
     */
    private Optional<PaymentIntent> find(Charge charge) throws StripeException {
        List<PaymentIntent> found = stripe.v1()
                .paymentIntents()
                .search(PaymentIntentSearchParams.builder()
                        .setQuery("metadata['" + PAYMENT_ID + "']:'" + charge.idempotencyKey() + "'")
                        .build())
                .getData();
        return found.stream().min(Comparator.comparingInt(intent -> switch (String.valueOf(intent.getStatus())) {
            case "succeeded" -> 0;
            case "canceled" -> 2;
            default -> 1;
        }));
    }

    private static Optional<String> lastDeclineCode(PaymentIntent intent) {
        StripeError error = intent.getLastPaymentError();
        return error == null
                ? Optional.empty()
                : Optional.ofNullable(error.getDeclineCode() != null ? error.getDeclineCode() : error.getCode());
    }

    private static String message(StripeException e, String fallback) {
        return e.getStripeError() != null && e.getStripeError().getMessage() != null
                ? e.getStripeError().getMessage()
                : fallback;
    }

    private static RequestOptions idempotent(String key) {
        return RequestOptions.builder().setIdempotencyKey(key).build();
    }

    /**
     * The amount in Stripe's unit for the currency (cents for USD, yen for JPY, hundredths of a króna for ISK), or
     * empty when Stripe cannot take it exactly: a fraction in one of its zero-decimal currencies (MGA has decimals in
     * ISO 4217 but none at Stripe), or a three-decimal amount whose last digit is not 0.
     */
    static OptionalLong stripeAmount(BigDecimal amount, String currency) {
        int exponent = exponent(currency);
        BigDecimal units = amount.movePointRight(exponent).stripTrailingZeros();
        if (units.scale() > 0) {
            return OptionalLong.empty();
        }
        long value = units.longValueExact();
        return exponent == 3 && value % 10 != 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** An amount Stripe gives in its unit for the currency, as an amount of the currency (2500 USD: 25.00). */
    static BigDecimal fromStripeAmount(long units, String currency) {
        return BigDecimal.valueOf(units).movePointLeft(exponent(currency));
    }

    private static int exponent(String currency) {
        return ZERO_DECIMAL.contains(currency) ? 0 : THREE_DECIMAL.contains(currency) ? 3 : 2;
    }
}
