package dev.mercato.logs;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The access log ({@code mercato.logs.*}).
 *
 * @param enabled record every API request in the access log
 * @param retention entries older than this are purged
 * @param purgeInterval how often the purge runs
 * @param queueCapacity entries waiting for the background writer; beyond it entries are dropped and counted
 *     (mercato_access_log_dropped_total)
 */
@ConfigurationProperties("mercato.logs")
@Validated
record LogsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("30d") @DurationMin(millis = 1) Duration retention,
        @DefaultValue("1h") @DurationMin(millis = 1) Duration purgeInterval,
        @DefaultValue("50000") @Positive int queueCapacity) {

    /** The purge interval for {@code @Scheduled}, read from this record's bean (named after prefix and type). */
    static final String PURGE_INTERVAL = "#{@'mercato.logs-dev.mercato.logs.LogsProperties'.purgeInterval()}";
}
