package dev.mercato.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.DashboardSession;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.JsonNode;

/**
 * The reports pages as a browser uses them: a report generated from its form, followed, shown as a table and a
 * chart, downloaded as the API downloads it; what the reports scopes allow a developer; bad input on the form.
 */
class DashboardReportsIT extends ApiTestSupport {

    private static final String PASSWORD = "Granite-Kettle-94-Meadow";

    private DashboardSession admin;

    @BeforeEach
    void signInTheAdmin() {
        admin = dashboard().signedIn("admin", ADMIN_PASSWORD);
    }

    @Test
    void aReportGeneratedFromItsFormShowsTheApisRowsAndDownloadsTheApisCsv() {
        aProduct().named("Low stock lamp " + System.nanoTime()).withStock(2).create();
        String form = admin.get("/dashboard/reports/new?type=inventory").body();
        assertThat(form)
                .contains("name=\"threshold\"")
                .contains("type=\"number\"")
                .contains("min=\"0\"");

        HttpResponse<String> generated = admin.submit(
                "/dashboard/reports/new?type=inventory",
                "/dashboard/reports",
                "type",
                "inventory",
                "threshold",
                "5",
                "days",
                "");

        assertThat(generated.statusCode()).isEqualTo(302);
        String page = generated.headers().firstValue("Location").orElseThrow();
        String id = page.substring(page.lastIndexOf('/') + 1);
        assertThat(id).startsWith("rpt_");
        JsonNode report = completed(id);
        assertThat(report.get("parameters").get("threshold").asInt()).isEqualTo(5);
        assertThat(report.get("parameters").get("days").asInt())
                .as("the default")
                .isEqualTo(30);

        String shown =
                HtmlUtils.htmlUnescape(admin.get("/dashboard/reports/" + id).body());
        JsonNode rows = api.get("/v2/reports/" + id + "/rows?limit=25")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(rows.size()).isPositive();
        for (JsonNode row : rows) {
            assertThat(shown).contains(row.get("product_name").asString());
        }
        assertThat(shown)
                .contains("id=\"report-chart\"")
                .contains("data-chart=")
                .contains("Download CSV");

        HttpResponse<String> csv = admin.get("/dashboard/reports/" + id + "/download?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("inventory-" + id + ".csv");
        assertThat(csv.body())
                .isEqualTo(api.get("/v2/reports/" + id + "/download?format=csv")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .body());
        assertThat(admin.get("/dashboard/reports?type=inventory&status=completed")
                        .body())
                .contains(id);
        assertThat(admin.get("/dashboard/reports/" + id + "/status").body()).contains("\"completed\"");
    }

    @Test
    void invalidParametersAreAnsweredOnTheFormAndCreateNothing() {
        long before = runs();
        String[][] cases = {
            {"type", "sales_summary", "start_date", "2025-02-30", "end_date", "2025-03-01"},
            {"type", "sales_summary", "start_date", "2025-03-01", "end_date", "2025-02-01"},
            {"type", "sales_summary", "end_date", "2025-03-01"},
            {"type", "inventory", "threshold", "-1"},
            {"type", "inventory", "days", "many"},
            {"type", "sales_summary", "start_date", "2025-01-01", "end_date", "2025-01-31", "timezone", "Mars/Base"},
        };
        for (String[] fields : cases) {
            HttpResponse<String> answer =
                    admin.submit("/dashboard/reports/new?type=" + fields[1], "/dashboard/reports", fields);
            assertThat(answer.statusCode()).as(String.join(" ", fields)).isEqualTo(400);
            assertThat(answer.body())
                    .as(String.join(" ", fields))
                    .contains("id=\"form-error\"")
                    .contains("<form");
        }
        assertThat(admin.submit("/dashboard/reports", "/dashboard/reports", "type", "no_such_type")
                        .statusCode())
                .isEqualTo(404);
        assertThat(runs()).isEqualTo(before);
        assertThat(admin.get("/dashboard/reports/rpt_nothing").statusCode()).isEqualTo(404);
        assertThat(admin.get("/dashboard/reports?page=0").statusCode()).isEqualTo(400);
        assertThat(admin.get("/dashboard/reports/rpt_nothing/download?format=xml")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void theReportsScopesDecideWhatADeveloperMayDo() {
        String reader = "reader-" + System.nanoTime();
        aDeveloper(reader, PASSWORD, "reports:read");
        DashboardSession readOnly = dashboard().signedIn(reader, PASSWORD);
        assertThat(readOnly.get("/dashboard/reports").statusCode()).isEqualTo(200);
        assertThat(readOnly.get("/dashboard/reports").body()).doesNotContain("Generate a report");
        assertThat(readOnly.get("/dashboard/reports/new?type=inventory").statusCode())
                .isEqualTo(403);
        long before = runs();
        HttpResponse<String> forged = readOnly.submit("/dashboard/reports", "/dashboard/reports", "type", "inventory");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("reports:write");
        assertThat(runs()).isEqualTo(before);

        String writer = "writer-" + System.nanoTime();
        aDeveloper(writer, PASSWORD, "reports:read", "reports:write");
        HttpResponse<String> generated = dashboard()
                .signedIn(writer, PASSWORD)
                .submit("/dashboard/reports/new?type=inventory", "/dashboard/reports", "type", "inventory");
        assertThat(generated.statusCode()).isEqualTo(302);

        String outsider = "outsider-" + System.nanoTime();
        aDeveloper(outsider, PASSWORD, "products:read");
        DashboardSession none = dashboard().signedIn(outsider, PASSWORD);
        for (String path :
                new String[] {"/dashboard/reports", "/dashboard/reports/rpt_x", "/dashboard/reports/rpt_x/status"}) {
            assertThat(none.get(path).statusCode()).as(path).isEqualTo(403);
        }
    }

    private long runs() {
        return Long.parseLong(
                api.get("/v2/reports/runs?limit=1").asAdmin().send().expect(200).header("X-Total-Count"));
    }

    private JsonNode completed(String id) {
        JsonNode[] report = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    report[0] = api.get("/v2/reports/" + id)
                            .asAdmin()
                            .send()
                            .expect(200)
                            .json();
                    return !report[0].get("status").asString().matches("pending|running");
                });
        assertThat(report[0].get("status").asString()).isEqualTo("completed");
        return report[0];
    }
}
