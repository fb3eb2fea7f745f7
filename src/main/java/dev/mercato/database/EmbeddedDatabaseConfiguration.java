package dev.mercato.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.FileSystemUtils;

/**
 * Starts a real PostgreSQL inside the process when no {@code spring.datasource.url} is configured,
 * so that {@code ./mvnw spring-boot:run} needs no other setup. Its data lives in
 * {@code <mercato.data-dir>/postgres} and survives restarts.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.WhenEmbedded.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    /** Started early by {@link EmbeddedDatabaseStarter}; stopped after the connection pool closes. */
    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseStarter.StartingDatabase starting) throws IOException {
        return starting.await();
    }

    static boolean isEmbedded(Environment environment) {
        return environment.getProperty("spring.datasource.url", "").isEmpty();
    }

    static final class WhenEmbedded implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return isEmbedded(context.getEnvironment());
        }
    }

    /** Starts (and on a first start, initialises) the embedded database; returns once it accepts connections. */
    static EmbeddedPostgres start(DataDirectory dataDirectory, EmbeddedDatabaseProperties properties)
            throws IOException {
        Path directory = dataDirectory.resolve("postgres");
        if (properties.clean()) {
            // Also covers a directory left behind by a test run that was killed.
            FileSystemUtils.deleteRecursively(directory);
        }
        Files.createDirectories(directory);
        StaleLockFile.removeIfOwnerIsGone(directory);
        long started = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(properties.clean())
                // The library's own shutdown hook would stop the database while Spring's graceful shutdown still
                // drains requests and flushes the access log; the bean's close, after the pool's, stops it instead.
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", String.valueOf(properties.maxConnections()))
                .setServerConfig("fsync", String.valueOf(properties.fsync()))
                // The library defaults to synchronous_commit=off; a committed change must survive a crash.
                .setServerConfig("synchronous_commit", properties.fsync() ? "on" : "off");
        if (properties.port() > 0) {
            builder.setPort(properties.port());
        }
        EmbeddedPostgres postgres = builder.start();
        log.info(
                "Embedded PostgreSQL ready on port {} with data in {} ({} ms)",
                postgres.getPort(),
                directory,
                (System.nanoTime() - started) / 1_000_000);
        return postgres;
    }

    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        // Not started here: spring.datasource.hikari.* is bound onto it before the first connection.
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("mercato");
        return dataSource;
    }

    /**
     * Settings of the embedded database ({@code mercato.embedded-db.*}); ignored when an external one is configured.
     * Bound by {@link EmbeddedDatabaseStarter} before the application's beans exist, so checked here rather than by
     * bean validation.
     *
     * @param port port of the embedded PostgreSQL, on 127.0.0.1 only; 0 picks a free one. Fix it to let other
     *     processes (a second node, psql) connect
     * @param clean start the embedded database from scratch on each start (tests)
     * @param maxConnections PostgreSQL's max_connections for the embedded database
     * @param fsync false trades crash safety for speed (tests)
     */
    @ConfigurationProperties(EmbeddedDatabaseProperties.PREFIX)
    record EmbeddedDatabaseProperties(
            @DefaultValue("0") int port,
            @DefaultValue("false") boolean clean,
            @DefaultValue("200") int maxConnections,
            @DefaultValue("true") boolean fsync) {

        static final String PREFIX = "mercato.embedded-db";

        EmbeddedDatabaseProperties {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(PREFIX + ".port must be 0 (a free port) to 65535, not " + port);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException(
                        PREFIX + ".max-connections must be at least 1, not " + maxConnections);
            }
        }
    }
}
