package dev.mercato.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Real second servers: the built jar, each in its own JVM, on the test server's database, run as a production server
 * would be. Quick to notice and take over jobs, as the test server is. {@link #stopAll} ends those still running.
 */
public final class ServerProcesses implements AutoCloseable {

    public record Server(Process process, int port) {}

    private final DataSource dataSource;
    private final List<Process> started = new ArrayList<>();

    public ServerProcesses(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Starts a server named {@code name} with {@code settings} as extra environment, and waits until it is ready. */
    public Server start(String name, Map<String, String> settings) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> withPort = new java.util.HashMap<>(settings);
        withPort.put("SERVER_PORT", String.valueOf(port));
        ProcessBuilder builder = builder(name, withPort);
        Path dataDir = Path.of("target", "restart-" + name);
        Process server = builder.start();
        started.add(server);
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(server.isAlive())
                            .as("the server started; see " + dataDir.resolve("server.log"))
                            .isTrue();
                    try {
                        return client.send(
                                                HttpRequest.newBuilder(URI.create(
                                                                "http://127.0.0.1:" + port + "/health/readiness"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return new Server(server, port);
    }

    /** Starts a server that must refuse to start: returns what it logged once it has exited with a failure. */
    public String failsToStart(String name, Map<String, String> settings) throws Exception {
        Map<String, String> anyPort = new java.util.HashMap<>(settings);
        anyPort.put("SERVER_PORT", "0");
        Process server = builder(name, anyPort).start();
        started.add(server);
        String output = outputOnceEnded(server, name);
        assertThat(server.exitValue()).as(output).isNotZero();
        return output;
    }

    /**
     * Runs the jar as a command ({@code java -jar mercato.jar <arguments>}) on the test database and returns what it
     * printed, once it has exited with status 0.
     */
    public String command(String name, String... arguments) throws Exception {
        ProcessBuilder builder = builder(name, Map.of());
        builder.command().addAll(List.of(arguments));
        Process command = builder.start();
        String output = outputOnceEnded(command, name);
        assertThat(command.exitValue()).as(output).isZero();
        return output;
    }

    /** What the process named {@code name} printed, once it has ended (within 90 s). */
    private static String outputOnceEnded(Process process, String name) throws Exception {
        assertThat(process.waitFor(90, TimeUnit.SECONDS))
                .as("the process ended")
                .isTrue();
        return Files.readString(Path.of("target", "restart-" + name, "server.log"));
    }

    /** The jar, on the test server's database, with the quick job settings and {@code settings} as environment. */
    private ProcessBuilder builder(String name, Map<String, String> settings) throws Exception {
        File jar = new File("target/mercato.jar");
        assertThat(jar)
                .as("the executable jar, built by the package phase before these tests")
                .exists();
        String url;
        String username;
        try (Connection connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
            username = connection.getMetaData().getUserName();
        }
        Path dataDir = Files.createDirectories(Path.of("target", "restart-" + name));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                        new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.getPath())))
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("SPRING_DATASOURCE_URL", url);
        env.put("SPRING_DATASOURCE_USERNAME", username);
        env.put("MERCATO_DATA_DIR", dataDir.toString());
        env.put("MERCATO_LOGS_ENABLED", "false");
        env.put("MERCATO_ENCRYPTION_KEY", ApiTestSupport.ENCRYPTION_KEY);
        env.put("MERCATO_JOBS_POLL_INTERVAL", "100ms");
        env.put("MERCATO_JOBS_HEARTBEAT_INTERVAL", "500ms");
        env.put("MERCATO_JOBS_MISSED_HEARTBEATS", "4");
        env.putAll(settings);
        return builder;
    }

    /** Stops every server still running, as a deploy would (SIGTERM), and kills those that do not stop. */
    @Override
    public void close() throws InterruptedException {
        stopAll();
    }

    public void stopAll() throws InterruptedException {
        for (Process server : started) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        started.clear();
    }
}
