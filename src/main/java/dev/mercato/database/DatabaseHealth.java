package dev.mercato.database;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The database, for health and readiness ({@code /health/readiness}): a connection from the pool, checked valid,
 * within {@value #TIMEOUT_SECONDS} s, else DOWN at once, rather than after the pool's own connection timeout. So a
 * load balancer stops sending to a server whose database is gone within a probe or two, and sends again as soon as
 * the pool has connections. One check runs at a time; probes that come meanwhile wait for its answer.
 */
@Component("database")
class DatabaseHealth implements HealthIndicator {

    static final int TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;
    private final Executor checker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "database-health");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<CompletableFuture<Boolean>> running = new AtomicReference<>();

    DatabaseHealth(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Health health() {
        CompletableFuture<Boolean> check = running.updateAndGet(current ->
                current == null || current.isDone() ? CompletableFuture.supplyAsync(this::valid, checker) : current);
        try {
            return check.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    ? Health.up().build()
                    : Health.down()
                            .withDetail("reason", "the connection is not valid")
                            .build();
        } catch (TimeoutException e) {
            return Health.down()
                    .withDetail("reason", "no connection within " + Duration.ofSeconds(TIMEOUT_SECONDS))
                    .build();
        } catch (ExecutionException e) {
            return Health.down()
                    .withDetail("reason", String.valueOf(e.getCause()))
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().build();
        }
    }

    private boolean valid() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(TIMEOUT_SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
