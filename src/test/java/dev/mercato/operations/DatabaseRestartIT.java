package dev.mercato.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mercato.support.ServerProcesses;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * PostgreSQL stopped and started again under a stream of writes, with a server process of the built jar on it
 * (its own database, not the suite's): while it is gone every request is answered 503 DATABASE_UNAVAILABLE with
 * Retry-After, never a 500 or a hang; readiness goes DOWN within seconds and UP again; the pool recovers without a
 * restart; and every write acknowledged before, during and after is in the database.
 */
class DatabaseRestartIT {

    private static final String ADMIN_KEY = "restart_admin_key_0123456789_abcdefghijklmnop";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private EmbeddedPostgres postgres;
    private ServerProcesses servers;

    /** One answer to a write: the status, and the product id, code and Retry-After it carried. */
    private record Answer(int status, String productId, String code, String retryAfter) {}

    @AfterEach
    void stop() throws Exception {
        if (servers != null) {
            servers.stopAll();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void writesDuringARestartAre503AndEveryAcknowledgedOneIsKept() throws Exception {
        // A directory of its own, never cleaned by the library: its close would delete a directory it cleaned.
        Path data = Files.createDirectories(Path.of("target", "restart-postgres-" + UUID.randomUUID()));
        int dbPort = freePort();
        postgres = startPostgres(data, dbPort);
        servers = new ServerProcesses(postgres.getPostgresDatabase());
        int port = servers.start(
                        "database-restart",
                        Map.of(
                                "MERCATO_ADMIN_API_KEY", ADMIN_KEY,
                                "MERCATO_RATE_LIMIT_REQUESTS_PER_MINUTE", "1000000",
                                "MERCATO_HTTP_MAX_CONCURRENT_REQUESTS_PER_ADDRESS", "1000"))
                .port();

        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            writers.submit(() -> {
                while (writing.get()) {
                    answers.add(createProduct(port));
                }
                return null;
            });
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> successes(answers) >= 20);

        postgres.close();
        long stoppedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> status(port, "/health/readiness") == 503);
        Duration readinessDown = Duration.ofNanos(System.nanoTime() - stoppedAt);
        await().atMost(Duration.ofSeconds(20)).until(() -> unavailable(answers) >= 4);
        assertThat(status(port, "/health/liveness")).as("alive all along").isEqualTo(200);

        postgres = startPostgres(data, dbPort);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> status(port, "/health/readiness") == 200);
        long before = successes(answers);
        await().atMost(Duration.ofSeconds(30)).until(() -> successes(answers) >= before + 20);
        writing.set(false);
        writers.shutdown();
        assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(readinessDown)
                .as("readiness DOWN soon after the database went")
                .isLessThan(Duration.ofSeconds(6));
        List<Answer> all = List.copyOf(answers);
        assertThat(all)
                .allSatisfy(answer ->
                        assertThat(answer.status()).as(answer.toString()).isIn(201, 503));
        assertThat(all).filteredOn(answer -> answer.status() == 503).allSatisfy(answer -> {
            assertThat(answer.code()).isEqualTo("DATABASE_UNAVAILABLE");
            assertThat(answer.retryAfter()).isEqualTo("2");
        });
        List<String> acknowledged = all.stream()
                .filter(answer -> answer.status() == 201)
                .map(Answer::productId)
                .toList();
        List<String> stored = JdbcClient.create(postgres.getPostgresDatabase())
                .sql("select id from products")
                .query(String.class)
                .list();
        assertThat(stored).containsAll(acknowledged);
    }

    private static Answer createProduct(int port) {
        String body = """
                {"name": "restart %s", "price": 9.99, "currency": "USD", "stock": 5}""".formatted(UUID.randomUUID());
        try {
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/products"))
                            .timeout(Duration.ofSeconds(20))
                            .header("Authorization", "Bearer " + ADMIN_KEY)
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", UUID.randomUUID().toString())
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(response.body());
            return new Answer(
                    response.statusCode(),
                    json.has("id") ? json.get("id").asString() : null,
                    json.has("error") ? json.get("error").get("code").asString() : null,
                    response.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            return new Answer(-1, null, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-2, null, null, null);
        }
    }

    private static long successes(ConcurrentLinkedQueue<Answer> answers) {
        return answers.stream().filter(answer -> answer.status() == 201).count();
    }

    private static long unavailable(ConcurrentLinkedQueue<Answer> answers) {
        return answers.stream().filter(answer -> answer.status() == 503).count();
    }

    private static int status(int port, String path) {
        try {
            return CLIENT.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -2;
        }
    }

    private static EmbeddedPostgres startPostgres(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(true)
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
