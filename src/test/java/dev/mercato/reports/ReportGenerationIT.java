package dev.mercato.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.OtherServer;
import dev.mercato.support.ServerProcesses;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Generation on the job engine, as several servers share it: each report runs once while two engines compete for
 * them; a report whose statement runs past the timeout fails saying so; and a report whose server is killed while
 * it runs completes on another.
 */
class ReportGenerationIT extends ApiTestSupport {

    @Autowired
    Scheduler scheduler;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    @Qualifier("reportGenerationTask")
    OneTimeTask<Void> generationTask;

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
    void twoEnginesCompetingForReportsRunEachOnce() {
        Scheduler nodeB = OtherServer.jobEngine(dataSource, generationTask);
        nodeB.start();
        try {
            List<String> ids = IntStream.range(0, 12)
                    .parallel()
                    .mapToObj(i -> generate("inventory", "{\"threshold\": " + i + "}"))
                    .toList();

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> ids.stream().allMatch(id -> "completed".equals(status(id))));
            for (String id : ids) {
                assertThat(jdbc.sql("select attempts from reports where id = ?")
                                .param(id)
                                .query(Integer.class)
                                .single())
                        .as("runs of " + id)
                        .isEqualTo(1);
                assertThat(jdbc.sql("select count(*) from report_rows where report_id = ?")
                                .param(id)
                                .query(Integer.class)
                                .single())
                        .isEqualTo(jdbc.sql("select row_count from reports where id = ?")
                                .param(id)
                                .query(Integer.class)
                                .single());
            }
        } finally {
            nodeB.stop();
        }
    }

    @Test
    void aReportPastTheStatementTimeoutFailsSayingSoAndIsAnnounced() throws Exception {
        String id;
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                // The report needs the order lines; while this lock is held its statement waits, past the 3 s timeout.
                statement.execute("lock table order_items in access exclusive mode");
            }
            id = generate("top_products", "{\"start_date\": \"2025-01-01\", \"end_date\": \"2025-12-31\"}");

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> "failed".equals(status(id)));
            blocker.rollback();
        }

        var report = api.get("/v2/reports/" + id).asAdmin().send().expect(200).json();
        assertThat(report.get("error").asString()).contains("longer than 3 s");
        assertThat(report.get("completed_at").asString()).isNotBlank();
        assertThat(jdbc.sql("select attempts from reports where id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .as("a timeout is not retried")
                .isEqualTo(1);
        assertThat(jdbc.sql("select payload ->> 'error' from domain_events where type = 'report.failed' "
                                + "and payload ->> 'report_id' = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .contains("longer than 3 s");
        api.get("/v2/reports/" + id + "/download").asAdmin().send().expectError(409, "REPORT_FAILED");
    }

    @Test
    void aReportWhoseServerIsKilledWhileItRunsCompletesOnAnother() throws Exception {
        scheduler.pause();
        ServerProcesses.Server first = servers.start("reports-first", Map.of());
        String id;
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                // Holds the report mid-way on the first server, whose statement timeout (60 s) is far off.
                statement.execute("lock table order_items in access exclusive mode");
            }
            id = generate("sales_summary", "{\"start_date\": \"2025-01-01\", \"end_date\": \"2025-12-31\"}");
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> "running".equals(status(id)));

            first.process().destroyForcibly().waitFor();
            blocker.rollback();
        }
        assertThat(status(id)).isEqualTo("running");

        scheduler.resume(); // this server: it finds the job's heartbeat gone silent and runs it again

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "completed".equals(status(id)));
        assertThat(jdbc.sql("select attempts from reports where id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from domain_events where type = 'report.completed' "
                                + "and payload ->> 'report_id' = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .as("completed once")
                .isEqualTo(1);
    }

    private String generate(String type, String parameters) {
        return api.post("/v2/reports/generate", """
                {"type": "%s", "parameters": %s}""".formatted(type, parameters))
                .asAdmin()
                .send()
                .expect(202)
                .json()
                .get("id")
                .asString();
    }

    private String status(String id) {
        return jdbc.sql("select status from reports where id = ?")
                .param(id)
                .query(String.class)
                .single();
    }
}
