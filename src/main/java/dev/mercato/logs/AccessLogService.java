package dev.mercato.logs;

import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.Batches;
import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Reads the access log, and purges entries older than {@code mercato.logs.retention}. The whole log is for callers
 * holding {@code logs:read}; anybody else reads only the requests of the credentials their query names.
 */
@Service
public class AccessLogService {

    private static final Logger log = LoggerFactory.getLogger(AccessLogService.class);
    private static final int PURGE_BATCH = 10_000;

    private final AccessLogRepository repository;
    private final TrafficCounter traffic;
    private final Clock clock;
    private final Duration retention;

    AccessLogService(AccessLogRepository repository, TrafficCounter traffic, Clock clock, LogsProperties properties) {
        this.repository = repository;
        this.traffic = traffic;
        this.clock = clock;
        this.retention = properties.retention();
    }

    /** The entries the query keeps, newest first. */
    public Page<AccessLogEntry> find(Caller caller, LogQuery query, PageParams page) {
        checkMayRead(caller, query);
        return repository.find(query, page);
    }

    /**
     * The query's requests per UTC hour or day from the start of {@code query.from()}'s hour or day to
     * {@code query.to()}, oldest first, with every hour or day in the range (empty ones too).
     *
     * @param unit {@link ChronoUnit#HOURS} or {@link ChronoUnit#DAYS}
     */
    public List<TrafficBucket> traffic(Caller caller, LogQuery query, ChronoUnit unit) {
        checkMayRead(caller, query);
        if (query.from() == null || query.to() == null) {
            throw new IllegalArgumentException("Traffic is counted over a closed range");
        }
        return traffic.count(query, unit);
    }

    private static void checkMayRead(Caller caller, LogQuery query) {
        if (query.credentialIds() == null && !caller.has(Scope.LOGS_READ)) {
            throw new ForbiddenException(
                    "INSUFFICIENT_SCOPE",
                    "Reading the whole access log needs the 'logs:read' scope.",
                    Scope.LOGS_READ.value());
        }
    }

    /** Deletes in batches so a large backlog never holds long locks; several nodes may run it at once. */
    @Scheduled(initialDelayString = LogsProperties.PURGE_INTERVAL, fixedDelayString = LogsProperties.PURGE_INTERVAL)
    int purge() {
        var cutoff = clock.instant().minus(retention);
        int total = Batches.untilDone(PURGE_BATCH, () -> repository.deleteOlderThan(cutoff, PURGE_BATCH));
        if (total > 0) {
            traffic.forget();
            log.info("Purged {} access-log entries older than {}", total, cutoff);
        }
        return total;
    }
}
