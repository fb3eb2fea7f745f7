package dev.mercato.reports;

import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
import dev.mercato.shared.SqlWhere;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

@Repository
class ReportRepository {

    private static final String COLUMNS = "id, type, parameters::text as parameters, format, status, row_count, error, "
            + "created_by, created_at, started_at, generated_at, completed_at, updated_at";

    /** Rows fetched at a time while a download streams them. */
    private static final int FETCH_SIZE = 500;

    /** Parameters and rows as stored: numbers stay exact (BigDecimal), never binary floats. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final Duration retention;
    private final Map<ReportType, String> statements = new EnumMap<>(ReportType.class);

    ReportRepository(JdbcClient jdbc, DataSource dataSource, ReportsProperties properties) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(FETCH_SIZE);
        this.retention = properties.retention();
        for (ReportType type : ReportType.values()) {
            statements.put(type, statement(type));
        }
    }

    void insert(Report report) {
        jdbc.sql("""
                insert into reports (id, type, parameters, format, status, created_by, created_at, updated_at)
                values (:id, :type, cast(:parameters as jsonb), :format, :status, :createdBy, :createdAt, :createdAt)
                """)
                .param("id", report.id())
                .param("type", report.type().wireName())
                .param("parameters", JSON.writeValueAsString(report.parameters()))
                .param("format", report.format())
                .param("status", report.status())
                .param("createdBy", report.createdBy())
                .param("createdAt", Timestamp.from(report.createdAt()))
                .update();
    }

    Optional<Report> findById(String id) {
        return jdbc.sql("select " + COLUMNS + " from reports where id = :id")
                .param("id", id)
                .query(this::map)
                .optional();
    }

    Page<Report> find(String type, String status, PageParams page) {
        SqlWhere where = new SqlWhere().and("type = :type", "type", type).and("status = :status", "status", status);
        return SqlPaging.page(
                jdbc,
                COLUMNS,
                "from reports" + where.sql(),
                "created_at desc, id desc",
                where.params(),
                this::map,
                page);
    }

    /**
     * Starts a generation run: {@code running}, one more attempt. Empty when the report is no longer waiting for one
     * (completed, failed, or purged).
     */
    Optional<Report> start(String id, Instant now) {
        return jdbc.sql("update reports set status = 'running', attempts = attempts + 1, started_at = :now, "
                        + "updated_at = :now where id = :id and status in ('pending', 'running') returning "
                        + COLUMNS)
                .param("id", id)
                .param("now", Timestamp.from(now))
                .query(this::map)
                .optional();
    }

    /**
     * Locks the report for the rest of the transaction, so that only one run can store its rows; false when it is
     * not running any more (another run finished it first).
     */
    boolean lockRunning(String id) {
        return jdbc.sql("select status from reports where id = :id for update")
                .param("id", id)
                .query(String.class)
                .optional()
                .filter(Report.RUNNING::equals)
                .isPresent();
    }

    /** Runs the report's statement and stores its rows, in the statement's order; returns how many. */
    int insertRows(Report report, Map<String, Object> bound) {
        // row_number() over () numbers the rows as the ordered subquery yields them.
        String sql = "insert into report_rows (report_id, row_number, data) "
                + "select :report_id, row_number() over (), to_jsonb(r) from (" + statements.get(report.type())
                + ") r";
        return jdbc.sql(sql).params(bound).param("report_id", report.id()).update();
    }

    /** Applies {@code set local} settings to the transaction that runs a report. */
    void setLocal(String setting, String value) {
        jdbc.sql("select set_config(:setting, :value, true)")
                .param("setting", setting)
                .param("value", value)
                .query(String.class)
                .single();
    }

    void complete(String id, int rowCount, Instant generatedAt, Instant now) {
        jdbc.sql("update reports set status = 'completed', row_count = :rows, generated_at = :generatedAt, "
                        + "completed_at = :now, updated_at = :now where id = :id")
                .param("id", id)
                .param("rows", rowCount)
                .param("generatedAt", Timestamp.from(generatedAt))
                .param("now", Timestamp.from(now))
                .update();
    }

    /** Fails a report that has not completed; false when there was none to fail. */
    boolean fail(String id, String error, Instant now) {
        return jdbc.sql("update reports set status = 'failed', error = :error, completed_at = :now, updated_at = :now "
                                + "where id = :id and status in ('pending', 'running')")
                        .param("id", id)
                        .param("error", error)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    /** One page of a report's rows, each a JSON object in the stored key order. */
    List<Map<String, Object>> rows(String id, PageParams page) {
        return jdbc.sql("select data::text from report_rows where report_id = :id and row_number > :offset "
                        + "order by row_number limit :limit")
                .param("id", id)
                .param("offset", page.offset())
                .param("limit", page.limit())
                .query((rs, row) -> parse(rs.getString(1)))
                .list();
    }

    /** Hands every row of a report to {@code row}, in order, reading them a batch at a time. */
    void eachRow(String id, Consumer<Map<String, Object>> row) {
        streaming.query(
                "select data::text from report_rows where report_id = ? order by row_number",
                rs -> {
                    row.accept(parse(rs.getString(1)));
                },
                id);
    }

    /** Deletes up to {@code batch} reports created before {@code cutoff}, with their rows; returns how many. */
    int deleteOlderThan(Instant cutoff, int batch) {
        return jdbc.sql("delete from reports where id in "
                        + "(select id from reports where created_at < :cutoff limit :batch)")
                .param("cutoff", Timestamp.from(cutoff))
                .param("batch", batch)
                .update();
    }

    private static Map<String, Object> parse(String json) {
        return JSON.readValue(json, OBJECT);
    }

    private Report map(ResultSet rs, int row) throws SQLException {
        ReportType type = ReportType.of(rs.getString("type"))
                .orElseThrow(() -> new IllegalStateException("Unknown report type in the database"));
        Map<String, Object> stored = parse(rs.getString("parameters"));
        Map<String, Object> parameters = new LinkedHashMap<>();
        type.parameters().stream()
                .map(ReportParameter::name)
                .filter(stored::containsKey)
                .forEach(name -> parameters.put(name, stored.get(name)));
        Instant createdAt = rs.getTimestamp("created_at").toInstant();
        return new Report(
                rs.getString("id"),
                type,
                parameters,
                rs.getString("format"),
                rs.getString("status"),
                (Integer) rs.getObject("row_count"),
                rs.getString("error"),
                rs.getString("created_by"),
                createdAt,
                instant(rs, "started_at"),
                instant(rs, "generated_at"),
                instant(rs, "completed_at"),
                rs.getTimestamp("updated_at").toInstant(),
                createdAt.plus(retention));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static String statement(ReportType type) {
        try {
            return new ClassPathResource(type.sqlResource(), ReportRepository.class)
                    .getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("The SQL statement of report type " + type.wireName() + " is missing", e);
        }
    }
}
