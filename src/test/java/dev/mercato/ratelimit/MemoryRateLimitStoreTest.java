package dev.mercato.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.Race;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryRateLimitStoreTest {

    private final TestClock clock = new TestClock();
    private final MemoryRateLimitStore store = new MemoryRateLimitStore(clock, clock);
    private final Quota fivePerMinute = new Quota("default", 5);

    @Test
    void burstOfTheWholeQuotaThenOneTokenEveryWindowOverQuota() {
        for (int remaining = 4; remaining >= 0; remaining--) {
            ConsumptionProbe probe = store.tryConsume("credential:key_a", fivePerMinute);
            assertThat(probe.isConsumed()).isTrue();
            assertThat(probe.getRemainingTokens()).isEqualTo(remaining);
        }
        ConsumptionProbe refused = store.tryConsume("credential:key_a", fivePerMinute);
        assertThat(refused.isConsumed()).isFalse();
        Consumption used = new Consumption(fivePerMinute, refused);
        assertThat(used.secondsUntilAllowed()).isEqualTo(12);
        assertThat(used.secondsUntilFull()).isEqualTo(60);

        clock.advance(Duration.ofSeconds(12));
        assertThat(store.tryConsume("credential:key_a", fivePerMinute).isConsumed())
                .isTrue();
        assertThat(store.tryConsume("credential:key_a", fivePerMinute).isConsumed())
                .isFalse();
    }

    @Test
    void subjectsAndLimitsHaveTheirOwnBuckets() {
        for (int i = 0; i < 5; i++) {
            store.tryConsume("credential:key_a", fivePerMinute);
        }
        assertThat(store.tryConsume("credential:key_a", fivePerMinute).isConsumed())
                .isFalse();
        assertThat(store.tryConsume("credential:key_b", fivePerMinute).isConsumed())
                .isTrue();
        // A changed limit starts a bucket of the new size.
        assertThat(store.tryConsume("credential:key_a", new Quota("default", 6)).getRemainingTokens())
                .isEqualTo(5);
    }

    @Test
    void idleBucketsAreForgottenOnceTheyWouldBeFullAgain() {
        store.tryConsume("token-ip:203.0.113.1", fivePerMinute);
        store.tryConsume("token-ip:203.0.113.2", fivePerMinute);
        assertThat(store.size()).isEqualTo(2);

        clock.advance(Quota.MINUTE.plusSeconds(1));

        assertThat(store.size()).isZero();
        assertThat(store.tryConsume("token-ip:203.0.113.1", fivePerMinute).getRemainingTokens())
                .isEqualTo(4);
    }

    @Test
    void racingRequestsNeverGetMoreThanTheQuota() {
        Quota tenPerMinute = new Quota("default", 10);

        List<Boolean> consumed = Race.run(
                200, i -> store.tryConsume("credential:key_hot", tenPerMinute).isConsumed());

        assertThat(consumed).filteredOn(Boolean::booleanValue).hasSize(10);
    }
}
