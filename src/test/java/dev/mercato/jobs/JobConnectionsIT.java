package dev.mercato.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.zaxxer.hikari.HikariDataSource;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.TestProviders;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The job workers have connections of their own: with every connection of the application's pool held (as
 * request threads hold them under flat-out load), a queued notification is still sent to its gateway at once
 * (whatever the gateway answers: here the stand-in has no stub for it).
 */
class JobConnectionsIT extends ApiTestSupport {

    @Autowired
    DataSource dataSource;

    @Autowired
    Scheduler scheduler;

    @Test
    void jobsRunWhileTheApplicationsPoolIsExhausted() throws Exception {
        String user = aUser().withoutEmail().create();
        List<Connection> held = new ArrayList<>();
        scheduler.pause();
        try {
            String id = api.post("/v2/notifications", """
                    {"user_id": "%s", "type": "push", "message": "own pool"}""".formatted(user))
                    .asAdmin()
                    .send()
                    .expect(202)
                    .json()
                    .get("id")
                    .asString();
            // Every connection not in use elsewhere (the revocation listener keeps one): the pool is then empty.
            HikariDataSource application = dataSource.unwrap(HikariDataSource.class);
            int free = application.getMaximumPoolSize()
                    - application.getHikariPoolMXBean().getActiveConnections();
            for (int i = 0; i < free; i++) {
                held.add(dataSource.getConnection());
            }
            assertThat(application.getHikariPoolMXBean().getIdleConnections()).isZero();
            scheduler.resume();

            await().atMost(Duration.ofSeconds(8))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> TestProviders.HTTP.verify(
                            1, postRequestedFor(urlEqualTo("/push")).withHeader("Idempotency-Key", equalTo(id))));
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
            scheduler.resume();
        }
    }
}
