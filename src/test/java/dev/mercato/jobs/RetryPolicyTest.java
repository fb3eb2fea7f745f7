package dev.mercato.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(8, Duration.ofSeconds(10), Duration.ofMinutes(10));

    @Test
    void delaysDoubleWithinAQuarterEitherWay() {
        assertThat(policy.delayAfter(1)).isBetween(Duration.ofMillis(7_500), Duration.ofMillis(12_500));
        assertThat(policy.delayAfter(2)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(25));
        assertThat(policy.delayAfter(4)).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(100));
    }

    @Test
    void delaysStopGrowingAtTheMaximum() {
        assertThat(policy.delayAfter(30)).isBetween(Duration.ofMillis(450_000), Duration.ofMillis(750_000));
    }

    @Test
    void jitterSpreadsRetriesThatFailedTogether() {
        Set<Duration> delays = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            delays.add(policy.delayAfter(3));
        }
        assertThat(delays).hasSizeGreaterThan(10);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
