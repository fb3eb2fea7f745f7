package dev.mercato.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.database.EmbeddedDatabaseStarter.StartingDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/** The embedded database is started on a thread of its own while the context loads, and only when it is used. */
class EmbeddedDatabaseStarterTest {

    @TempDir
    Path dataRoot;

    @Test
    void startsTheEmbeddedDatabaseInTheBackgroundForTheBeanToAwait() throws Exception {
        GenericApplicationContext context = contextWith(new MockEnvironment()
                .withProperty("mercato.data-dir", dataRoot.toString())
                .withProperty("mercato.embedded-db.fsync", "false"));

        new EmbeddedDatabaseStarter().initialize(context);

        try (EmbeddedPostgres postgres =
                        context.getBeanFactory().getBean(StartingDatabase.class).await();
                Connection connection = postgres.getPostgresDatabase().getConnection();
                ResultSet row = connection.createStatement().executeQuery("show fsync")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).as("mercato.embedded-db.* applies").isEqualTo("off");
            assertThat(dataRoot.resolve("postgres/PG_VERSION")).exists();
        }
    }

    @Test
    void startsNothingWhenAnExternalDatabaseIsConfigured() {
        GenericApplicationContext context = contextWith(new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/mercato")
                .withProperty("mercato.data-dir", dataRoot.toString()));

        new EmbeddedDatabaseStarter().initialize(context);

        assertThat(context.getBeanFactory().getBeanNamesForType(StartingDatabase.class))
                .isEmpty();
        assertThat(dataRoot.resolve("postgres")).doesNotExist();
    }

    @Test
    void aDatabaseThatCannotStartFailsTheBeanWithTheReason() throws IOException {
        Path notADirectory = Files.writeString(dataRoot.resolve("file"), "in the way");
        GenericApplicationContext context =
                contextWith(new MockEnvironment().withProperty("mercato.data-dir", notADirectory.toString()));

        new EmbeddedDatabaseStarter().initialize(context);

        assertThatThrownBy(() ->
                        context.getBeanFactory().getBean(StartingDatabase.class).await())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("file");
    }

    private static GenericApplicationContext contextWith(MockEnvironment environment) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.setEnvironment(environment);
        return context;
    }
}
