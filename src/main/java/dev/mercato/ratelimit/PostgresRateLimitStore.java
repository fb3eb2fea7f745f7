package dev.mercato.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Buckets in the {@code rate_limit_buckets} table (migration V9), so that every server on the database consumes
 * from the same bucket and a limit holds however many servers there are. Each request is one short transaction
 * that locks the bucket's row ({@code SELECT ... FOR UPDATE}), so concurrent requests of one caller queue on that
 * row and never both take the last token. A row records when its bucket is full again; later it is purged.
 * Refills are timed by each server's clock, so servers should keep their clocks in sync (NTP).
 */
final class PostgresRateLimitStore implements RateLimitStore {

    static final String TABLE = "rate_limit_buckets";
    private static final Logger log = LoggerFactory.getLogger(PostgresRateLimitStore.class);
    private static final int PURGE_BATCH = 1000;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    PostgresRateLimitStore(DataSource dataSource) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE)
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
    }

    @Override
    public ConsumptionProbe tryConsume(String subject, Quota quota) {
        return buckets.builder().build(quota.key(subject), quota::bucket).tryConsumeAndReturnRemaining(1);
    }

    @Override
    public void refund(String subject, Quota quota) {
        buckets.builder().build(quota.key(subject), quota::bucket).addTokens(1);
    }

    /** Deletes the rows of buckets that are full again; rows another server has locked are left for later. */
    @Scheduled(initialDelay = 5, fixedDelay = 5, timeUnit = TimeUnit.MINUTES)
    void purgeExpired() {
        int removed;
        int total = 0;
        do {
            removed = buckets.removeExpired(PURGE_BATCH);
            total += removed;
        } while (removed == PURGE_BATCH);
        if (total > 0) {
            log.debug("Purged {} idle rate-limit buckets", total);
        }
    }
}
