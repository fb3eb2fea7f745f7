package dev.mercato.database;

import dev.mercato.database.EmbeddedDatabaseConfiguration.EmbeddedDatabaseProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
        DataDirectory dataDirectory = new DataDirectory(Path.of(environment.getProperty(DataDirectory.PROPERTY,
                DataDirectory.DEFAULT)));
        EmbeddedDatabaseProperties properties = Binder.get(environment)
                .bind(EmbeddedDatabaseProperties.PREFIX, EmbeddedDatabaseProperties.class)
                .orElseGet(EmbeddedDatabaseProperties::defaults);
        StartingDatabase starting = new StartingDatabase(CompletableFuture.supplyAsync(() -> {
            try {
                return EmbeddedDatabaseConfiguration.start(dataDirectory, properties);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> {
            Thread thread = new Thread(task, "embedded-postgres-start");
            thread.setDaemon(true);
            thread.start();
        }));
        context.getBeanFactory().registerSingleton(StartingDatabase.BEAN_NAME, starting);
    }

    /** The embedded PostgreSQL being started; {@link #await()} gives it once it accepts connections. */
    record StartingDatabase(CompletableFuture<EmbeddedPostgres> postgres) {

        static final String BEAN_NAME = "mercato.startingDatabase";

        EmbeddedPostgres await() throws IOException {
            try {
                return postgres.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
            }
        }
    }
}
