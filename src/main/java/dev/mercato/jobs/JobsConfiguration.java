package dev.mercato.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.stats.MicrometerStatsRegistry;
import com.github.kagkarlsson.scheduler.task.Task;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The job engine: db-scheduler over the application's database. Every server queues jobs; every server with
 * {@code mercato.jobs.enabled} runs them, claiming due ones with {@code FOR UPDATE SKIP LOCKED} (so no job
 * runs twice at once) highest priority first, and heart-beating the ones it runs (so a job whose server died
 * is run again elsewhere). Features contribute their tasks as beans.
 */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    Scheduler scheduler(DataSource dataSource, List<Task<?>> tasks, JobsProperties properties, MeterRegistry meters) {
        // Transaction-aware: a job queued inside a transaction is written on that transaction's connection.
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), tasks)
                .threads(properties.threads())
                .pollingInterval(properties.pollInterval())
                .heartbeatInterval(properties.heartbeatInterval())
                .missedHeartbeatsLimit(properties.missedHeartbeats())
                .shutdownMaxWait(properties.shutdownWait())
                .pollUsingLockAndFetch(0.5, 1.0)
                .enablePriority()
                .enableImmediateExecution()
                .alwaysPersistTimestampInUTC()
                // A failed attempt is routine (a provider down) and recorded where it belongs, with its error: one
                // line in the log, not a stack trace.
                .failureLogging(LogLevel.WARN, false)
                .statsRegistry(new MicrometerStatsRegistry(meters, tasks))
                .build();
    }

    @Bean
    Jobs jobs(Scheduler scheduler, JdbcClient jdbc, Clock clock, JobsProperties properties) {
        return new Jobs(scheduler, jdbc, clock, properties.enabled());
    }

    /** Starts running jobs once the application is up, and stops (letting running jobs finish) before it goes. */
    @Bean
    SmartLifecycle jobRunner(Scheduler scheduler, JobsProperties properties) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                if (properties.enabled()) {
                    scheduler.start();
                }
                running = true;
            }

            @Override
            public void stop() {
                if (properties.enabled()) {
                    scheduler.stop();
                }
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                // Stops before the web server's graceful shutdown ends and the connection pool closes.
                return SmartLifecycle.DEFAULT_PHASE - 1024;
            }
        };
    }
}
