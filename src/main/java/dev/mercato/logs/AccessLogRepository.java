package dev.mercato.logs;

import static dev.mercato.shared.SqlValues.instant;
import static dev.mercato.shared.SqlValues.timestamp;

import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
import dev.mercato.shared.SqlWhere;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AccessLogRepository {

    private static final String COLUMNS = "id, occurred_at, level, message, method, path, status, duration_ms, "
            + "request_id, credential_id, user_id, ip_address";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    AccessLogRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * One {@code COPY} per batch rather than a multi-row insert: PostgreSQL parses, plans and checks nothing per
     * row, which is most of what a log row costs it, on the same cores that serve the requests being logged.
     */
    void insert(List<AccessLogEntry> entries) {
        StringBuilder csv = new StringBuilder(entries.size() * 256);
        for (AccessLogEntry entry : entries) {
            csv.append(csv(entry.id()))
                    .append(',')
                    .append(entry.timestamp())
                    .append(',')
                    .append(csv(entry.level()))
                    .append(',')
                    .append(csv(entry.message()))
                    .append(',')
                    .append(csv(entry.method()))
                    .append(',')
                    .append(csv(entry.path()))
                    .append(',')
                    .append(entry.status())
                    .append(',')
                    .append(Math.min(Integer.MAX_VALUE, entry.durationMs()))
                    .append(',')
                    .append(csv(entry.requestId()))
                    .append(',')
                    .append(csv(entry.credentialId()))
                    .append(',')
                    .append(csv(entry.userId()))
                    .append(',')
                    .append(csv(entry.ipAddress()))
                    .append('\n');
        }
        batch.execute((ConnectionCallback<Long>) connection -> {
            try {
                return connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "copy access_logs (" + COLUMNS + ") from stdin (format csv)",
                                new StringReader(csv.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A CSV field: quoted with its quotes doubled, or nothing at all for SQL null. */
    private static String csv(String value) {
        return value == null ? "" : '"' + value.replace("\"", "\"\"") + '"';
    }

    Page<AccessLogEntry> find(LogQuery query, PageParams page) {
        SqlWhere where = where(query);
        return SqlPaging.page(
                jdbc,
                COLUMNS,
                "from access_logs" + where.sql(),
                "occurred_at desc, id desc",
                where.params(),
                AccessLogRepository::map,
                page);
    }

    /**
     * The query's requests per UTC hour or day ({@code unit} is {@code hour} or {@code day}), oldest first, in one
     * query; hours or days without requests are left out.
     */
    List<TrafficBucket> traffic(LogQuery query, String unit) {
        SqlWhere where = where(query);
        return jdbc.sql("""
                select date_trunc(cast(:unit as text), occurred_at at time zone 'UTC') as bucket,
                       count(*) filter (where status between 200 and 299) as status_2xx,
                       count(*) filter (where status between 300 and 399) as status_3xx,
                       count(*) filter (where status between 400 and 499) as status_4xx,
                       count(*) filter (where status between 500 and 599) as status_5xx,
                       percentile_cont(0.5) within group (order by duration_ms) as p50_ms,
                       percentile_cont(0.95) within group (order by duration_ms) as p95_ms
                from access_logs""" + where.sql() + " group by 1 order by 1")
                .params(where.params())
                .param("unit", unit)
                .query((rs, row) -> new TrafficBucket(
                        rs.getObject("bucket", LocalDateTime.class).toInstant(ZoneOffset.UTC),
                        rs.getLong("status_2xx"),
                        rs.getLong("status_3xx"),
                        rs.getLong("status_4xx"),
                        rs.getLong("status_5xx"),
                        rs.getDouble("p50_ms"),
                        rs.getDouble("p95_ms")))
                .list();
    }

    private static SqlWhere where(LogQuery query) {
        StatusRange status = query.status();
        Set<String> credentials = query.credentialIds();
        return new SqlWhere()
                .and("occurred_at >= :from", "from", timestamp(query.from()))
                .and("occurred_at <= :to", "to", timestamp(query.to()))
                .and("level = :level", "level", query.level())
                .and("status >= :statusFrom", "statusFrom", status == null ? null : status.from())
                .and("status <= :statusTo", "statusTo", status == null ? null : status.to())
                // strpos rather than like: nothing in what the user typed is a wildcard.
                .and("strpos(path, :path) > 0", "path", query.path())
                .and(
                        "credential_id = any(:credentials)",
                        "credentials",
                        credentials == null ? null : credentials.toArray(String[]::new));
    }

    int deleteOlderThan(Instant cutoff, int batchSize) {
        return jdbc.sql("""
                delete from access_logs where id in (
                    select id from access_logs where occurred_at < :cutoff limit :batch)
                """)
                .param("cutoff", timestamp(cutoff))
                .param("batch", batchSize)
                .update();
    }

    private static AccessLogEntry map(ResultSet rs, int row) throws SQLException {
        return new AccessLogEntry(
                rs.getString("id"),
                instant(rs, "occurred_at"),
                rs.getString("level"),
                rs.getString("message"),
                rs.getString("method"),
                rs.getString("path"),
                rs.getInt("status"),
                rs.getLong("duration_ms"),
                rs.getString("request_id"),
                rs.getString("credential_id"),
                rs.getString("user_id"),
                rs.getString("ip_address"));
    }
}
