package dev.mercato.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database keeps its data in {@code <mercato.data-dir>/postgres} across restarts, also when the
 * previous run did not shut down cleanly. Starts real PostgreSQL servers through the very method the
 * application uses, so it takes a few seconds.
 */
class EmbeddedDatabaseRestartTest {

    @TempDir
    Path dataRoot;

    private final List<EmbeddedPostgres> started = new ArrayList<>();
    private final List<ProcessHandle> strays = new ArrayList<>();

    @AfterEach
    void stopEverything() throws IOException {
        for (EmbeddedPostgres postgres : started) {
            postgres.close();
        }
        // A failed test may leave a postmaster behind; never let it outlive the test.
        for (ProcessHandle stray : strays) {
            stray.descendants().forEach(ProcessHandle::destroyForcibly);
            stray.destroyForcibly();
        }
    }

    @Test
    void rowsSurviveARestartOnTheSameDataDirectory() throws Exception {
        EmbeddedPostgres first = start();
        execute(first, "create table survivors (name text primary key)");
        execute(first, "insert into survivors values ('kept')");
        first.close();

        EmbeddedPostgres second = start();

        assertThat(names(second)).containsExactly("kept");
    }

    @Test
    void startsAgainAfterACrashLeftALockFileWhosePidWasReused() throws Exception {
        EmbeddedPostgres first = start();
        execute(first, "create table survivors (name text primary key)");
        execute(first, "insert into survivors values ('kept')");
        first.close();
        // A crash leaves postmaster.pid behind; by the next start its pid belongs to some other process.
        // PostgreSQL itself would refuse to start ("Is another postmaster running?").
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        strays.add(unrelated.toHandle());
        Path lockFile = postgresDirectory().resolve("postmaster.pid");
        Files.writeString(lockFile, unrelated.pid() + "\n" + postgresDirectory() + "\n1700000000\n5432\n");

        EmbeddedPostgres second = start();

        assertThat(names(second)).containsExactly("kept");
        assertThat(Files.readAllLines(lockFile).get(0))
                .as("the new postmaster's own lock file")
                .isNotEqualTo(Long.toString(unrelated.pid()));
    }

    @Test
    void lockFileOfTheRunningServerIsLeftAlone() throws Exception {
        start();
        Path lockFile = postgresDirectory().resolve("postmaster.pid");
        String before = Files.readString(lockFile);

        StaleLockFile.removeIfOwnerIsGone(postgresDirectory());

        assertThat(lockFile).hasContent(before);
    }

    @Test
    void startsAgainAfterTheServerProcessWasKilled() throws Exception {
        // The usual crash: the JVM is killed (OOM killer, kill -9, a container stop that timed out) while the
        // PostgreSQL it started, a process of its own, keeps running with the data directory.
        Process server = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashingServer.class.getName(),
                        dataRoot.toString())
                .redirectErrorStream(true)
                .start();
        strays.add(server.toHandle());
        long postmaster = awaitPostmasterPid(server);
        ProcessHandle.of(postmaster).ifPresent(strays::add);
        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        EmbeddedPostgres restarted = start();

        assertThat(names(restarted)).containsExactly("written before the crash");
    }

    /** Stands for a Mercato server: starts the embedded database, writes a row, then waits to be killed. */
    static final class CrashingServer {

        public static void main(String[] args) throws Exception {
            EmbeddedPostgres postgres =
                    EmbeddedDatabaseConfiguration.start(new DataDirectory(Path.of(args[0])), properties());
            execute(postgres, "create table survivors (name text primary key)");
            execute(postgres, "insert into survivors values ('written before the crash')");
            execute(postgres, "checkpoint");
            String pid = Files.readAllLines(Path.of(args[0], "postgres", "postmaster.pid"))
                    .get(0)
                    .trim();
            System.out.println("POSTMASTER " + pid);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    private static long awaitPostmasterPid(Process server) throws IOException {
        BufferedReader output =
                new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.startsWith("POSTMASTER ")) {
                return Long.parseLong(line.substring("POSTMASTER ".length()).trim());
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("The server process ended before its database was ready:\n" + seen);
    }

    private EmbeddedPostgres start() throws IOException {
        EmbeddedPostgres postgres = EmbeddedDatabaseConfiguration.start(new DataDirectory(dataRoot), properties());
        started.add(postgres);
        return postgres;
    }

    private static EmbeddedDatabaseConfiguration.EmbeddedDatabaseProperties properties() {
        // As in production (data kept), with fsync off only to keep the test fast.
        return new EmbeddedDatabaseConfiguration.EmbeddedDatabaseProperties(0, false, 20, false);
    }

    private Path postgresDirectory() {
        return dataRoot.resolve("postgres");
    }

    private static void execute(EmbeddedPostgres postgres, String sql) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> names(EmbeddedPostgres postgres) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select name from survivors order by name")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
