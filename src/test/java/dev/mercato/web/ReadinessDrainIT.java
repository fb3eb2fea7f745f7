package dev.mercato.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.ServerProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * On SIGTERM a server process of the built jar reports itself not ready at once and keeps serving API requests
 * for its drain delay, then stops: a load balancer polling readiness has time to stop sending to it first.
 */
class ReadinessDrainIT extends ApiTestSupport {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Autowired
    DataSource dataSource;

    @Test
    void readinessGoesDownFirstAndRequestsAreServedUntilTheDrainDelayEnds() throws Exception {
        try (ServerProcesses servers = new ServerProcesses(dataSource)) {
            ServerProcesses.Server server = servers.start("readiness-drain", Map.of("MERCATO_HTTP_DRAIN_DELAY", "4s"));
            assertThat(status(server, "/health/readiness")).isEqualTo(200);

            long signalled = System.nanoTime();
            server.process().destroy(); // SIGTERM

            await().atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> status(server, "/health/readiness") == 503);
            // Still serving: an API request is answered as ever (401 without a credential, not refused).
            assertThat(status(server, "/v2/products")).isEqualTo(401);
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(3));

            assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        }
    }

    private static int status(ServerProcesses.Server server, String path) throws Exception {
        return CLIENT.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
