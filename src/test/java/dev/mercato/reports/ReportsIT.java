package dev.mercato.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every report type over a known shop ({@link ReportDataSet}), checked figure by figure against what the data
 * itself says, in several time zones and granularities; the CSV download against the JSON; the unhappy paths.
 */
class ReportsIT extends ApiTestSupport {

    private static final JsonMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final LocalDate Q1_START = LocalDate.parse("2025-01-01");
    private static final LocalDate Q1_END = LocalDate.parse("2025-03-31");

    private static ReportDataSet data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Autowired
    Scheduler scheduler;

    @BeforeEach
    void shop() {
        synchronized (ReportsIT.class) {
            if (data == null) {
                data = new ReportDataSet(clock.instant());
                data.insert(jdbc);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"UTC,day", "UTC,week", "UTC,month", "Asia/Tokyo,month", "America/New_York,month", "Asia/Tokyo,day"})
    void salesSummaryCountsPaidShippedAndDeliveredOrdersAndTheirRefundsInTheirPeriods(String zone, String granularity) {
        JsonNode report = completed(generate("sales_summary", """
                {"start_date": "2025-01-01", "end_date": "2025-03-31", "timezone": "%s", "granularity": "%s"}""".formatted(zone, granularity)));

        List<List<Object>> expected = data.salesSummary(Q1_START, Q1_END, ZoneId.of(zone), granularity);
        assertThat(rows(report.get("id").asString(), report.get("type").asString()))
                .isEqualTo(expected);
    }

    @Test
    void theDayBoundaryMovesWithTheTimeZone() {
        // Placed 2025-01-31T23:30Z: January in UTC, February in Tokyo.
        List<List<Object>> utc = data.salesSummary(Q1_START, Q1_END, ZoneId.of("UTC"), "month");
        List<List<Object>> tokyo = data.salesSummary(Q1_START, Q1_END, ZoneId.of("Asia/Tokyo"), "month");
        assertThat(utc).isNotEqualTo(tokyo);
        assertThat(rowsOf(completed(generate("sales_summary", """
                {"start_date": "2025-01-01", "end_date": "2025-03-31", "timezone": "Asia/Tokyo",
                 "granularity": "month", "currency": "EUR"}"""))))
                .isEqualTo(
                        tokyo.stream().filter(row -> row.get(1).equals("EUR")).toList());
    }

    @ParameterizedTest
    @CsvSource({"units,10", "revenue,10", "units,1", "revenue,1"})
    void topProductsRanksByUnitsOrRevenuePerCurrency(String rankBy, int limit) {
        JsonNode report = completed(generate("top_products", """
                {"start_date": "2025-01-01", "end_date": "2025-03-31", "rank_by": "%s", "limit": %d}""".formatted(rankBy, limit)));

        assertThat(rowsOf(report)).isEqualTo(data.topProducts(Q1_START, Q1_END, ZoneId.of("UTC"), rankBy, limit));
    }

    @ParameterizedTest
    @CsvSource({"UTC,month", "UTC,total", "Asia/Tokyo,week", "America/New_York,day"})
    void userActivityCountsNewOrderingAndCallingUsers(String zone, String granularity) {
        JsonNode report = completed(generate("user_activity", """
                {"start_date": "2025-01-01", "end_date": "2025-03-31", "timezone": "%s", "granularity": "%s"}""".formatted(zone, granularity)));

        assertThat(rowsOf(report)).isEqualTo(data.userActivity(Q1_START, Q1_END, ZoneId.of(zone), granularity));
    }

    @ParameterizedTest
    @CsvSource({"UTC", "Asia/Tokyo"})
    void apiUsageCountsRequestsPerDayCredentialAndStatusClassWithTheirLatency(String zone) {
        for (String key : List.of(data.keyA, data.keyB)) {
            JsonNode report = completed(generate("api_usage", """
                    {"start_date": "2025-01-01", "end_date": "2025-03-31", "timezone": "%s", "credential_id": "%s"}""".formatted(zone, key)));

            assertThat(rowsOf(report)).isEqualTo(data.apiUsage(Q1_START, Q1_END, ZoneId.of(zone), key));
        }
    }

    @Test
    void inventoryListsLowStockWithTheRecentSalesRateAndTheDaysLeft() {
        JsonNode report = completed(generate("inventory", """
                {"threshold": 10, "days": 30}"""));

        List<List<Object>> ours = download(report.get("id").asString(), ReportType.INVENTORY).stream()
                .filter(row -> ((String) row.get(0)).endsWith(data.suffix))
                .toList();
        // Lamp: 3 left, 4 sold in 30 days (the pending order's 10 do not count). Chair: 8 left, 6 sold. Kettle: none
        // left, none sold in the window (its last sale was 40 days ago): no rate, so no days left.
        assertThat(ours)
                .containsExactly(
                        List.of(data.lamp.id(), "Lamp", 3, 4, new BigDecimal("0.13"), new BigDecimal("22.5")),
                        List.of(
                                data.chair.id(),
                                data.chair.name(),
                                8,
                                6,
                                new BigDecimal("0.20"),
                                new BigDecimal("40.0")),
                        nullLast(List.of(data.kettle.id(), "Kettle", 0, 0, new BigDecimal("0.00"))));
        assertThat(ours).noneMatch(row -> row.get(0).equals(data.cable.id()));
    }

    private static List<Object> nullLast(List<Object> values) {
        List<Object> row = new ArrayList<>(values);
        row.add(null);
        return row;
    }

    @Test
    void theCsvDownloadHoldsTheSameRowsAsTheJson() throws Exception {
        JsonNode report = completed(generate("top_products", """
                {"start_date": "2025-01-01", "end_date": "2025-03-31"}""", "csv"));
        String id = report.get("id").asString();

        Response csv =
                api.get("/v2/reports/" + id + "/download").asAdmin().send().expect(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).isEqualTo("attachment; filename=\"top_products-" + id + ".csv\"");
        assertThat(csv.body()).contains("\r\n").contains("\"Chair, \"\"Deluxe\"\"\"");
        List<CSVRecord> records = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(csv.body()))
                .getRecords();

        List<List<Object>> json = download(id, ReportType.TOP_PRODUCTS);
        assertThat(records).hasSize(json.size()).hasSizeGreaterThan(2);
        List<String> columns = ReportType.TOP_PRODUCTS.columns().stream()
                .map(ReportColumn::name)
                .toList();
        for (int i = 0; i < json.size(); i++) {
            for (int c = 0; c < columns.size(); c++) {
                Object value = json.get(i).get(c);
                assertThat(records.get(i).get(columns.get(c)))
                        .as("row %d, %s", i, columns.get(c))
                        .isEqualTo(
                                value == null
                                        ? ""
                                        : value instanceof BigDecimal d ? d.toPlainString() : value.toString());
            }
        }
    }

    @Test
    void aCompletedReportShowsItsRowsAPageAtATime() {
        JsonNode first = completed(generate("sales_summary", """
                {"start_date": "2025-01-01", "end_date": "2025-03-31", "granularity": "day"}"""));
        String id = first.get("id").asString();
        assertThat(first.get("row_count").asInt()).isEqualTo(90 * 2);
        assertThat(first.get("result").get("total_rows").asInt()).isEqualTo(180);
        assertThat(first.get("result").get("rows")).hasSize(20);
        assertThat(first.get("generated_at").asString()).isNotBlank();
        assertThat(first.get("download_url").asString()).isEqualTo("/v2/reports/" + id + "/download");

        Response page = api.get("/v2/reports/" + id + "?limit=100&offset=100")
                .asAdmin()
                .send()
                .expect(200);
        assertThat(page.header("X-Total-Count")).isEqualTo("180");
        assertThat(page.header("Link")).contains("rel=\"prev\"").doesNotContain("rel=\"next\"");
        assertThat(page.json().get("result").get("rows")).hasSize(80);
        assertThat(page.json()
                        .get("result")
                        .get("rows")
                        .get(0)
                        .get("period_start")
                        .asString())
                .isEqualTo("2025-02-20");
    }

    @Test
    void theSameIdempotencyKeyGeneratesOneReport() {
        String key = UUID.randomUUID().toString();
        String body = """
                {"type": "inventory", "parameters": {"threshold": 5}}""";
        Response first = api.post("/v2/reports/generate", body)
                .asAdmin()
                .header("Idempotency-Key", key)
                .send()
                .expect(202);
        Response again = api.post("/v2/reports/generate", body)
                .asAdmin()
                .header("Idempotency-Key", key)
                .send()
                .expect(202);

        String id = first.json().get("id").asString();
        assertThat(again.json().get("id").asString()).isEqualTo(id);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Location")).isEqualTo("/v2/reports/" + id);
        assertThat(jdbc.sql("select count(*) from reports where created_at = (select created_at from reports "
                                + "where id = ?)")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(first.json().get("parameters").get("days").asInt())
                .as("defaults filled in")
                .isEqualTo(30);
    }

    @Test
    void aCompletedReportIsAnnouncedToWebhooksAndListedAmongTheRuns() {
        String id = completed(generate("inventory", "{}")).get("id").asString();

        assertThat(jdbc.sql("select payload ->> 'row_count' from domain_events where type = 'report.completed' "
                                + "and payload ->> 'report_id' = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .isNotNull();
        Response runs = api.get("/v2/reports/runs?type=inventory&status=completed")
                .asAdmin()
                .send()
                .expect(200);
        assertThat(runs.json().get(0).get("type").asString()).isEqualTo("inventory");
        assertThat(runs.json().findValuesAsString("id")).contains(id);
        assertThat(runs.json().get(0).has("result")).isFalse();
    }

    @Test
    void theTypesAreListedWithTheirParametersAndColumns() {
        JsonNode types = api.get("/v2/reports").asAdmin().send().expect(200).json();

        assertThat(types.valueStream().map(type -> type.get("type").asString()))
                .containsExactly("sales_summary", "top_products", "user_activity", "inventory", "api_usage");
        JsonNode topProducts = types.get(1);
        JsonNode limit = topProducts.get("parameters").get(4 + 1);
        assertThat(limit.get("name").asString()).isEqualTo("limit");
        assertThat(limit.get("type").asString()).isEqualTo("integer");
        assertThat(limit.get("default").asInt()).isEqualTo(10);
        assertThat(limit.get("maximum").asInt()).isEqualTo(100);
        assertThat(types.get(0).get("parameters").get(0).get("required").asBoolean())
                .isTrue();
        assertThat(types.get(0).get("columns").findValuesAsString("name")).contains("net_revenue");
    }

    @Test
    void aReportThatHasNotCompletedCannotBeDownloaded() {
        scheduler.pause();
        try {
            String id = generate("inventory", "{}").json().get("id").asString();
            JsonNode pending =
                    api.get("/v2/reports/" + id).asAdmin().send().expect(200).json();
            assertThat(pending.get("status").asString()).isEqualTo("pending");
            assertThat(pending.has("result")).isFalse();

            api.get("/v2/reports/" + id + "/download").asAdmin().send().expectError(409, "REPORT_NOT_READY");
        } finally {
            scheduler.resume();
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"type\": \"profit\"}|type",
                "{\"type\": \"sales_summary\", \"parameters\": {\"end_date\": \"2025-01-31\"}}|parameters.start_date",
                "{\"type\": \"sales_summary\", \"parameters\": {\"start_date\": \"2025-01-01\", \"end_date\": "
                        + "\"2025-01-31\", \"region\": \"EU\"}}|parameters.region",
                "{\"type\": \"sales_summary\", \"parameters\": {\"start_date\": \"2025-02-30\", \"end_date\": "
                        + "\"2025-03-31\"}}|parameters.start_date",
                "{\"type\": \"sales_summary\", \"parameters\": {\"start_date\": 20250101, \"end_date\": "
                        + "\"2025-03-31\"}}|parameters.start_date",
                "{\"type\": \"sales_summary\", \"parameters\": {\"start_date\": \"2025-03-01\", \"end_date\": "
                        + "\"2025-02-01\"}}|parameters.end_date",
                "{\"type\": \"sales_summary\", \"parameters\": {\"start_date\": \"2024-01-01\", \"end_date\": "
                        + "\"2025-01-01\"}}|parameters.end_date",
                "{\"type\": \"sales_summary\", \"parameters\": {\"start_date\": \"2025-01-01\", \"end_date\": "
                        + "\"2025-01-31\", \"timezone\": \"Mars/Olympus\"}}|parameters.timezone",
                "{\"type\": \"sales_summary\", \"parameters\": {\"start_date\": \"2025-01-01\", \"end_date\": "
                        + "\"2025-01-31\", \"granularity\": \"hour\"}}|parameters.granularity",
                "{\"type\": \"sales_summary\", \"parameters\": {\"start_date\": \"2025-01-01\", \"end_date\": "
                        + "\"2025-01-31\", \"currency\": \"XYZ\"}}|parameters.currency",
                "{\"type\": \"top_products\", \"parameters\": {\"start_date\": \"2025-01-01\", \"end_date\": "
                        + "\"2025-01-31\", \"limit\": 101}}|parameters.limit",
                "{\"type\": \"top_products\", \"parameters\": {\"start_date\": \"2025-01-01\", \"end_date\": "
                        + "\"2025-01-31\", \"limit\": \"5\"}}|parameters.limit",
                "{\"type\": \"inventory\", \"parameters\": {\"days\": 2.5}}|parameters.days",
                "{\"type\": \"inventory\", \"format\": \"xlsx\"}|format",
            })
    void anInvalidRequestIsRefusedNamingWhatIsWrong(String body, String details) {
        JsonNode error = api.post("/v2/reports/generate", body).asAdmin().send().expectError(400, "INVALID_PARAMETER");

        assertThat(error.get("details").asString()).startsWith(details);
    }

    @Test
    void unknownReportsAndFiltersAreRefused() {
        api.get("/v2/reports/rpt_nothing").asAdmin().send().expectError(404, "NOT_FOUND");
        api.get("/v2/reports/rpt_nothing/download").asAdmin().send().expectError(404, "NOT_FOUND");
        api.get("/v2/reports/runs?status=done").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.get("/v2/reports/runs?type=profit").asAdmin().send().expectError(400, "INVALID_PARAMETER");
    }

    // Helpers.

    private Response generate(String type, String parameters) {
        return generate(type, parameters, "json");
    }

    private Response generate(String type, String parameters, String format) {
        return api.post("/v2/reports/generate", """
                {"type": "%s", "parameters": %s, "format": "%s"}""".formatted(type, parameters, format))
                .asAdmin()
                .send()
                .expect(202);
    }

    /** The report once it completed. */
    private JsonNode completed(Response accepted) {
        assertThat(accepted.json().get("status").asString()).isEqualTo("pending");
        String id = accepted.json().get("id").asString();
        JsonNode[] report = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    report[0] = EXACT.readTree(api.get("/v2/reports/" + id)
                            .asAdmin()
                            .send()
                            .expect(200)
                            .body());
                    return !report[0].get("status").asString().matches("pending|running");
                });
        assertThat(report[0].get("status").asString()).as(report[0].toString()).isEqualTo("completed");
        return report[0];
    }

    /** All rows of a completed report, from its JSON download, as lists of values in column order. */
    private List<List<Object>> rowsOf(JsonNode report) {
        return rows(report.get("id").asString(), report.get("type").asString());
    }

    private List<List<Object>> rows(String id, String type) {
        return download(id, ReportType.of(type).orElseThrow());
    }

    /** The JSON download's rows, each as its values in the type's column order (null where absent). */
    private List<List<Object>> download(String id, ReportType type) {
        Response response = api.get("/v2/reports/" + id + "/download?format=json")
                .asAdmin()
                .send()
                .expect(200);
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode row : EXACT.readTree(response.body())) {
            List<Object> values = new ArrayList<>();
            assertThat(row.propertyNames())
                    .isSubsetOf(type.columns().stream().map(ReportColumn::name).toList());
            type.columns().forEach(column -> values.add(value(row.get(column.name()))));
            rows.add(values);
        }
        return rows;
    }

    private static Object value(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asInt();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        return node.asString();
    }
}
