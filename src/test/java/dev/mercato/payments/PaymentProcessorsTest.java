package dev.mercato.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.shared.ConflictException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Which processors exist for which configuration, and what a payment taken by a missing one gets. */
class PaymentProcessorsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withInitializer(started ->
                    started.getBeanFactory().setConversionService(ApplicationConversionService.getSharedInstance()))
            .withBean(Clock.class, Clock::systemUTC)
            .withUserConfiguration(
                    Properties.class,
                    SimulatedPaymentProcessor.class,
                    StripePaymentProcessor.class,
                    PaymentProcessors.class);

    /** Binds mercato.payments.* as the application's properties scan does. */
    @EnableConfigurationProperties(PaymentsProperties.class)
    static class Properties {}

    @Test
    void stripeWithoutAnApiKeyStopsTheStartWithAMessageThatSaysWhatIsMissing() {
        for (String key : new String[] {null, "", " "}) {
            var configured =
                    key == null ? context : context.withPropertyValues("mercato.payments.stripe.api-key=" + key);
            configured.withPropertyValues("mercato.payments.processor=stripe").run(started -> {
                assertThat(started).hasFailed();
                assertThat(started.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("mercato.payments.processor=stripe needs mercato.payments.stripe.api-key "
                                + "(a secret key, sk_...)");
            });
        }
    }

    @Test
    void anUnknownProcessorStopsTheStart() {
        context.withPropertyValues("mercato.payments.processor=paypal")
                .run(started -> assertThat(started.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("simulated or stripe"));
    }

    @Test
    void withAnApiKeyBothAreAvailableWhicheverTakesNewPayments() {
        context.withPropertyValues("mercato.payments.stripe.api-key=sk_test_1").run(started -> {
            PaymentProcessors processors = started.getBean(PaymentProcessors.class);
            assertThat(processors.current().name()).isEqualTo("simulated");
            assertThat(processors.of(payment("stripe")).name()).isEqualTo("stripe");
        });
        context.withPropertyValues("mercato.payments.stripe.api-key=sk_test_1", "mercato.payments.processor=stripe")
                .run(started -> {
                    PaymentProcessors processors = started.getBean(PaymentProcessors.class);
                    assertThat(processors.current().name()).isEqualTo("stripe");
                    assertThat(processors.of(payment("simulated")).name()).isEqualTo("simulated");
                });
    }

    @Test
    void aPaymentOfAProcessorThisServerLacksIsAConflictNamingIt() {
        context.run(started -> {
            PaymentProcessors processors = started.getBean(PaymentProcessors.class);
            assertThat(processors.current().name()).isEqualTo("simulated");
            assertThatThrownBy(() -> processors.of(payment("stripe")))
                    .isInstanceOfSatisfying(ConflictException.class, e -> {
                        assertThat(e.code()).isEqualTo("PROCESSOR_UNAVAILABLE");
                        assertThat(e.details()).isEqualTo("stripe");
                    });
        });
    }

    private static Payment payment(String processor) {
        Instant now = Instant.now();
        return new Payment(
                "pay_1",
                "ord_1",
                BigDecimal.TEN,
                "USD",
                Payment.SUCCEEDED,
                "pm_card_visa",
                processor,
                "pi_1",
                null,
                null,
                BigDecimal.ZERO,
                1,
                now,
                now,
                null);
    }
}
