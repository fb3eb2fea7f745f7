package dev.mercato.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.validation.FieldError;

/** The access log's settings: their defaults when none is given, and a start refused for values that cannot work. */
class LogsPropertiesTest {

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @EnableConfigurationProperties(LogsProperties.class)
    static class Properties {}

    @Test
    void withNothingConfiguredTheDefaultsApply() {
        context.run(started -> assertThat(started.getBean(LogsProperties.class))
                .isEqualTo(new LogsProperties(true, Duration.ofDays(30), Duration.ofHours(1), 50_000)));
    }

    @Test
    void anEmptyQueueOrANonPositiveRetentionStopsTheStartNamingEach() {
        context.withPropertyValues("mercato.logs.queue-capacity=0", "mercato.logs.retention=0s")
                .run(started -> assertThat(started.getStartupFailure())
                        .rootCause()
                        .isInstanceOfSatisfying(
                                BindValidationException.class,
                                invalid -> assertThat(
                                                invalid.getValidationErrors().getAllErrors())
                                        .map(error -> ((FieldError) error).getField())
                                        .containsExactlyInAnyOrder("queueCapacity", "retention")));
    }
}
