package dev.mercato.idempotency;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Idempotency keys ({@code mercato.idempotency.*}); public because payments keep the keys of their requests for the
 * same time.
 *
 * @param retention how long an Idempotency-Key and its response are kept
 * @param lease a key claimed by a request that never finished (its server died) is free again after this
 * @param purgeInterval how often expired keys are deleted
 */
@ConfigurationProperties("mercato.idempotency")
@Validated
public record IdempotencyProperties(
        @DefaultValue("24h") @DurationMin(millis = 1) Duration retention,
        @DefaultValue("2m") @DurationMin(millis = 1) Duration lease,
        @DefaultValue("1h") @DurationMin(millis = 1) Duration purgeInterval) {

    /** The purge interval for {@code @Scheduled}, read from this record's bean (named after prefix and type). */
    static final String PURGE_INTERVAL =
            "#{@'mercato.idempotency-dev.mercato.idempotency.IdempotencyProperties'.purgeInterval()}";
}
