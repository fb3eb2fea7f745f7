package dev.mercato.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Configures db-scheduler's Spring Boot starter ({@code db-scheduler.*}) from Mercato's own settings
 * ({@code mercato.jobs.*}, {@link JobsProperties}, where the defaults are stated), and fixes what is not a setting:
 * lock-and-fetch polling, priorities, immediate execution, UTC timestamps, and failed attempts logged as one
 * warning line (a provider down is routine, and recorded where it belongs). Runs after the configuration files are
 * read; a {@code db-scheduler.*} property set explicitly still wins.
 */
class JobEngineSettings implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        JobsProperties jobs = Binder.get(environment).bindOrCreate("mercato.jobs", JobsProperties.class);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("db-scheduler.enabled", true); // every server queues jobs; JobsConfiguration starts the runner
        settings.put("db-scheduler.threads", jobs.threads());
        settings.put("db-scheduler.polling-interval", jobs.pollInterval());
        settings.put("db-scheduler.heartbeat-interval", jobs.heartbeatInterval());
        settings.put("db-scheduler.missed-heartbeats-limit", jobs.missedHeartbeats());
        settings.put("db-scheduler.shutdown-max-wait", jobs.shutdownWait());
        settings.put("db-scheduler.polling-strategy", "lock_and_fetch");
        settings.put("db-scheduler.polling-strategy-lower-limit-fraction-of-threads", 0.5);
        settings.put("db-scheduler.polling-strategy-upper-limit-fraction-of-threads", 1.0);
        settings.put("db-scheduler.priority-enabled", true);
        settings.put("db-scheduler.immediate-execution-enabled", true);
        settings.put("db-scheduler.always-persist-timestamp-in-utc", true);
        settings.put("db-scheduler.failure-logger-level", "WARN");
        settings.put("db-scheduler.failure-logger-log-stack-trace", false);
        environment.getPropertySources().addLast(new MapPropertySource("mercatoJobEngine", settings));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files and test properties are in
    }
}
