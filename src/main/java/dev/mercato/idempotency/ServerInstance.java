package dev.mercato.idempotency;

import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This server process among those on the database ({@code server_instances}): an id of its own, and a heartbeat
 * every {@value #HEARTBEAT_SECONDS} s while it runs. Another server that has not beaten for {@link #DEAD_AFTER} is taken to be
 * dead (killed, its machine gone): its claims on Idempotency-Keys are free at once. A server that stops cleanly
 * deletes its row; the rows of dead servers are deleted after a day.
 */
@Component
class ServerInstance {

    static final int HEARTBEAT_SECONDS = 2;
    static final Duration DEAD_AFTER = Duration.ofSeconds(10);
    private static final Duration FORGOTTEN_AFTER = Duration.ofDays(1);
    private static final Logger log = LoggerFactory.getLogger(ServerInstance.class);

    private final String id = "srv_" + UUID.randomUUID();
    private final JdbcClient jdbc;
    private final Clock clock;

    ServerInstance(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    String id() {
        return id;
    }

    /** Beats this server's row (written on the first beat, at start) and forgets servers long dead. */
    @Scheduled(fixedDelay = HEARTBEAT_SECONDS, timeUnit = TimeUnit.SECONDS)
    void beat() {
        Instant now = clock.instant();
        try {
            jdbc.sql("""
                    insert into server_instances (id, started_at, heartbeat_at) values (:id, :now, :now)
                    on conflict (id) do update set heartbeat_at = excluded.heartbeat_at
                    """).param("id", id).param("now", Timestamp.from(now)).update();
            jdbc.sql("delete from server_instances where heartbeat_at < :forgotten")
                    .param("forgotten", Timestamp.from(now.minus(FORGOTTEN_AFTER)))
                    .update();
        } catch (RuntimeException e) {
            log.warn("Could not record this server's heartbeat: {}", e.toString()); // the database is away: next beat
        }
    }

    @PreDestroy
    void stopped() {
        try {
            jdbc.sql("delete from server_instances where id = :id")
                    .param("id", id)
                    .update();
        } catch (RuntimeException e) {
            log.debug("Could not delete this server's row on the way out: {}", e.toString());
        }
    }
}
