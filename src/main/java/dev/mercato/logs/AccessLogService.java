package dev.mercato.logs;

import dev.mercato.shared.Batches;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/** Reads the access log, and purges entries older than {@code mercato.logs.retention}. */
@Service
class AccessLogService {

    private static final Logger log = LoggerFactory.getLogger(AccessLogService.class);
    private static final int PURGE_BATCH = 10_000;

    private final AccessLogRepository repository;
    private final Clock clock;
    private final Duration retention;

    AccessLogService(AccessLogRepository repository, Clock clock, LogsProperties properties) {
        this.repository = repository;
        this.clock = clock;
        this.retention = properties.retention();
    }

    Page<AccessLogEntry> find(LogQuery query, PageParams page) {
        return repository.find(query, page);
    }

    /** Deletes in batches so a large backlog never holds long locks; several nodes may run it at once. */
    @Scheduled(initialDelayString = LogsProperties.PURGE_INTERVAL, fixedDelayString = LogsProperties.PURGE_INTERVAL)
    int purge() {
        var cutoff = clock.instant().minus(retention);
        int total = Batches.untilDone(PURGE_BATCH, () -> repository.deleteOlderThan(cutoff, PURGE_BATCH));
        if (total > 0) {
            log.info("Purged {} access-log entries older than {}", total, cutoff);
        }
        return total;
    }
}
