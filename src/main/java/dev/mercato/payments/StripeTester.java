package dev.mercato.payments;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import dev.mercato.integrations.IntegrationTester;
import java.time.Duration;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Tests the stripe integration by retrieving the account balance: a read that proves the API key and the address
 * work without moving money. Runs whichever processor is in use, so a key can be checked before switching to it.
 */
@Component
class StripeTester implements IntegrationTester {

    private final String apiKey;
    private final String apiBase;
    private final Duration timeout;

    StripeTester(PaymentsProperties properties) {
        this.apiKey = properties.stripe().apiKey();
        this.apiBase = properties.stripe().apiBase();
        this.timeout = properties.stripe().timeout();
    }

    @Override
    public Set<String> integrationIds() {
        return Set.of("stripe");
    }

    @Override
    public Outcome test(String integrationId, String target) {
        if (apiKey.isBlank()) {
            return Outcome.failed("No Stripe API key is configured (mercato.payments.stripe.api-key).");
        }
        StripeClient stripe = StripeClient.builder()
                .setApiKey(apiKey)
                .setApiBase(apiBase)
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 5_000))
                .setReadTimeout((int) timeout.toMillis())
                .setMaxNetworkRetries(0)
                .build();
        try {
            stripe.v1().balance().retrieve();
            return Outcome.passed();
        } catch (StripeException e) {
            return Outcome.failed("Stripe answered: " + e.getMessage());
        } catch (RuntimeException e) {
            // The client throws unchecked exceptions for replies it cannot parse; the caller asked whether it works.
            return Outcome.failed("Stripe did not give a usable answer: " + e);
        }
    }
}
