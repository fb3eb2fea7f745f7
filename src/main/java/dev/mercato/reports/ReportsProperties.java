package dev.mercato.reports;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Report generation ({@code mercato.reports.*}).
 *
 * @param retention reports (and their rows) older than this are purged
 * @param purgeInterval how often the purge runs
 * @param statementTimeout the longest a report's SQL statement may run; beyond it the report fails with an error
 *     that says so, and is not retried
 * @param maxAttempts generation runs before a report fails (a lost database connection, a server that died mid-way)
 * @param retryDelay the delay after the first failed run; it doubles with each further one, with jitter
 * @param maxRetryDelay the longest delay between runs
 */
@ConfigurationProperties("mercato.reports")
@Validated
record ReportsProperties(
        @DefaultValue("30d") @DurationMin(millis = 1) Duration retention,
        @DefaultValue("1h") @DurationMin(millis = 1) Duration purgeInterval,
        @DefaultValue("60s") @DurationMin(millis = 1) Duration statementTimeout,
        @DefaultValue("3") @Positive int maxAttempts,
        @DefaultValue("10s") @DurationMin(nanos = 0) Duration retryDelay,
        @DefaultValue("2m") @DurationMin(nanos = 0) Duration maxRetryDelay) {

    /** The purge interval for {@code @Scheduled}, read from this record's bean (named after prefix and type). */
    static final String PURGE_INTERVAL = "#{@'mercato.reports-dev.mercato.reports.ReportsProperties'.purgeInterval()}";
}
