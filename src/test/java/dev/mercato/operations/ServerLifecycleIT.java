package dev.mercato.operations;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built jar run as an operator runs it: on its own embedded database, with no admin key configured, JSON
 * console logs and the demo data. Covers what only a real process shows: the generated admin key printed once,
 * a SIGTERM that drains and flushes the access log before the database stops, a restart on the same data, and
 * readiness following the database.
 */
class ServerLifecycleIT {

    private static final Pattern GENERATED_KEY = Pattern.compile("mk_[A-Za-z0-9_-]+");
    private static final String SINGLE_JAR = "target/mercato.jar";
    private static final String EXTRACTED_JAR = "target/mercato/mercato.jar";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        for (Process server : servers) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
    }

    @Test
    void firstStartPrintsTheKeyOnceAndAGracefulStopLosesNoAccessLogEntry() throws Exception {
        Server first = start("first", SINGLE_JAR);
        String key = generatedKeyIn(first);
        JsonNode products =
                JSON.readTree(send(first, "/v2/products?limit=100", key, null).body());
        assertThat(products.size()).as("demo catalog").isGreaterThanOrEqualTo(10);
        aNotificationIsRefusedUntilAProviderIsConfigured(first, key);

        List<String> requestIds = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String requestId = "lifecycle-" + UUID.randomUUID();
            requestIds.add(requestId);
            assertThat(send(first, "/v2/products?limit=1", key, requestId).statusCode())
                    .isEqualTo(200);
        }
        first.process().destroy(); // SIGTERM, as a service manager or container runtime stops it
        assertThat(first.process().waitFor(60, TimeUnit.SECONDS))
                .as("stopped within the grace period")
                .isTrue();
        assertThat(first.log()).doesNotContain("Could not write").doesNotContain("\"log.level\":\"ERROR\"");
        assertThat(postmasterPid())
                .as("the embedded database stopped with the server")
                .isEmpty();

        // The restart runs the extracted layout that the package phase also makes: both forms serve the same data.
        Server second = start("second", EXTRACTED_JAR);
        assertThat(second.log()).doesNotContain("Bootstrap admin API key");
        JsonNode entries =
                JSON.readTree(send(second, "/v2/logs?limit=100", key, null).body());
        List<String> logged = new ArrayList<>();
        entries.forEach(entry -> logged.add(entry.path("request_id").asString()));
        assertThat(logged)
                .as("every request served before the stop is in the access log")
                .containsAll(requestIds);
        assertThat(JSON.readTree(send(second, "/v2/products?limit=100", key, null)
                                .body())
                        .size())
                .as("demo data is loaded into an empty catalog only")
                .isEqualTo(products.size());

        // Readiness includes the database: stop it under the server (fast shutdown) and the server reports it.
        new ProcessBuilder("kill", "-INT", postmasterPid().orElseThrow())
                .start()
                .waitFor();
        // The check waits for a pooled connection for up to the pool's timeout (30 s) before it reports.
        await().atMost(Duration.ofSeconds(90)).until(() -> status(second, "/health/readiness") == 503);
        assertThat(status(second, "/health/liveness")).isEqualTo(200);
    }

    /**
     * Out of the box no email, SMS or push provider is configured: a notification is refused at once, naming the
     * setting, instead of being accepted and failed a moment later; nothing is queued.
     */
    private void aNotificationIsRefusedUntilAProviderIsConfigured(Server server, String key) throws Exception {
        String user = JSON.readTree(send(server, "/v2/users?limit=1", key, null).body())
                .get(0)
                .get("id")
                .asString();
        HttpResponse<String> refused = client.send(
                HttpRequest.newBuilder(server.uri("/v2/notifications"))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"user_id\": \"" + user + "\", \"type\": \"email\", \"message\": \"Hello\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        JsonNode error = JSON.readTree(refused.body()).get("error");
        assertThat(error.get("code").asString()).isEqualTo("CHANNEL_NOT_CONFIGURED");
        assertThat(error.get("details").asString()).isEqualTo("spring.mail.host");
        assertThat(JSON.readTree(send(server, "/v2/notifications", key, null).body())
                        .size())
                .as("nothing queued")
                .isZero();
    }

    /** The key from the one log event that carries it; every console line is a JSON object. */
    private static String generatedKeyIn(Server server) throws IOException {
        List<String> events = new ArrayList<>();
        for (String line : server.log().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            assertThat(event.isObject()).as("a JSON console line: %s", line).isTrue();
            String message = event.path("message").asString();
            if (message.contains("Bootstrap admin API key")) {
                events.add(message);
            }
        }
        assertThat(events).hasSize(1);
        Matcher key = GENERATED_KEY.matcher(events.get(0));
        assertThat(key.find()).isTrue();
        return key.group();
    }

    private Map<String, String> environment(int port) throws IOException {
        return Map.of(
                "SERVER_PORT",
                String.valueOf(port),
                "MERCATO_DATA_DIR",
                dataDir.toString(),
                "MERCATO_EMBEDDED_DB_PORT",
                String.valueOf(freePort()),
                "MERCATO_EMBEDDED_DB_FSYNC",
                "false",
                "MERCATO_DEMO_DATA",
                "true",
                "MERCATO_LOG_FORMAT",
                "ecs");
    }

    private Server start(String name, String jarPath) throws Exception {
        File jar = new File(jarPath);
        assertThat(jar).as("built by the package phase before these tests").exists();
        int port = freePort();
        Path log = Files.createDirectories(Path.of("target", "lifecycle")).resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.getPath())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("MERCATO_ADMIN_API_KEY");
        builder.environment().putAll(environment(port));
        Process process = builder.start();
        servers.add(process);
        Server server = new Server(process, port, log);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(process.isAlive())
                            .as("the server started; see " + log)
                            .isTrue();
                    try {
                        return status(server, "/health/readiness") == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return server;
    }

    private Optional<String> postmasterPid() throws IOException {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String pid = Files.readAllLines(pidFile).get(0).trim();
        return ProcessHandle.of(Long.parseLong(pid))
                .filter(ProcessHandle::isAlive)
                .map(handle -> pid);
    }

    private HttpResponse<String> send(Server server, String path, String key, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + key);
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(Server server, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    record Server(Process process, int port, Path logFile) {

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        String log() throws IOException {
            return Files.readString(logFile);
        }
    }
}
