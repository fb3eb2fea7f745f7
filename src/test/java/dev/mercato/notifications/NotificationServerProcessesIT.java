package dev.mercato.notifications;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.mercato.support.TestProviders.HTTP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.ServerProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Real second servers ({@link ServerProcesses}) on this test's database. Two server processes share the
 * deliveries, each delivered once; and a server killed with SIGKILL while it delivers loses nothing once a
 * server runs again.
 */
class NotificationServerProcessesIT extends ApiTestSupport {

    /** The path the test server's own push channel uses too, so that either server can deliver any notification. */
    private static final String PUSH = "/push";

    private static final int WORKER_THREADS = 4;

    @Autowired
    Scheduler scheduler;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    private ServerProcesses servers;

    @BeforeEach
    void servers() {
        servers = new ServerProcesses(dataSource);
    }

    @AfterEach
    void stopServers() throws InterruptedException {
        servers.stopAll();
        scheduler.resume();
    }

    @Test
    void twoServerProcessesDeliverFiveHundredNotificationsEachExactlyOnce() throws Exception {
        HTTP.resetAll();
        // Slow enough that this server's own workers cannot drain the queue between two polls of the other one
        // (100 ms): 500 deliveries of 50 ms on 4 threads keep a server alone busy for over 6 s.
        HTTP.stubFor(
                post(urlEqualTo(PUSH)).willReturn(aResponse().withStatus(200).withFixedDelay(50)));
        int other = startServer("sharing").port();
        String user = aUser().withoutEmail().create();

        List<String> ids = IntStream.range(0, 500)
                .parallel()
                .mapToObj(i -> api.post("/v2/notifications", """
                {"user_id": "%s", "type": "push", "message": "shared %d"}""".formatted(user, i))
                        .asAdmin()
                        .send()
                        .expect(202)
                        .json()
                        .get("id")
                        .asString())
                .toList();

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> sent(user) == 500);
        List<String> received = HTTP.getAllServeEvents().stream()
                .map(event -> event.getRequest().getHeader("Idempotency-Key"))
                .toList();
        assertThat(received).hasSize(500).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        double byOther = sentBy(other);
        assertThat(byOther)
                .as("the other process took part, and so did this one")
                .isBetween(1.0, 499.0);
    }

    @Test
    void aServerKilledWhileDeliveringLosesNothingOnceAServerRunsAgain() throws Exception {
        HTTP.resetAll();
        HTTP.stubFor(
                post(urlEqualTo(PUSH)).willReturn(aResponse().withStatus(200).withFixedDelay(300)));
        scheduler.pause();
        String user = aUser().withoutEmail().create();
        List<String> ids = IntStream.range(0, 40)
                .mapToObj(i -> api.post("/v2/notifications", """
                {"user_id": "%s", "type": "push", "message": "restart %d"}""".formatted(user, i))
                        .asAdmin()
                        .send()
                        .expect(202)
                        .json()
                        .get("id")
                        .asString())
                .toList();

        Process first = startServer("first").process();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> HTTP.getAllServeEvents().size() >= WORKER_THREADS + 2);
        first.destroyForcibly().waitFor();
        long sentBeforeTheKill = sent(user);
        assertThat(sentBeforeTheKill).as("killed mid-way").isLessThan(40);

        startServer("second");

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> sent(user) == 40);
        Map<String, Long> received = HTTP.getAllServeEvents().stream()
                .map(event -> event.getRequest().getHeader("Idempotency-Key"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        Set<String> twice = new HashSet<>(received.entrySet().stream()
                .filter(entry -> entry.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList());
        // Only what was in flight at the kill can have been sent twice (the gateway gets the same Idempotency-Key).
        assertThat(twice.size()).isLessThanOrEqualTo(WORKER_THREADS);
    }

    /** Push notifications a server process reports it sent ({@code mercato_deliveries_total}). */
    private static double sentBy(int port) throws Exception {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .header("Authorization", "Bearer " + ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(line -> line.startsWith("mercato_deliveries_total{")
                        && line.contains("channel=\"push\"")
                        && line.contains("outcome=\"sent\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private long sent(String user) {
        return jdbc.sql("select count(*) from notifications where user_id = ? and status = 'sent'")
                .param(user)
                .query(Long.class)
                .single();
    }

    /** A server on this test's database that delivers push notifications to the test's gateway stand-in. */
    private ServerProcesses.Server startServer(String name) throws Exception {
        return servers.start(
                name,
                Map.of(
                        "MERCATO_NOTIFICATIONS_PUSH_URL",
                        HTTP.baseUrl() + PUSH,
                        "MERCATO_NOTIFICATIONS_TIMEOUT",
                        "5s",
                        "MERCATO_JOBS_THREADS",
                        String.valueOf(WORKER_THREADS)));
    }
}
