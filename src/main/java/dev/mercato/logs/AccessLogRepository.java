package dev.mercato.logs;

import static dev.mercato.shared.SqlValues.instant;
import static dev.mercato.shared.SqlValues.timestamp;

import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (query.from() != null) {
            conditions.add("occurred_at >= :from");
            params.put("from", timestamp(query.from()));
        }
        if (query.to() != null) {
            conditions.add("occurred_at <= :to");
            params.put("to", timestamp(query.to()));
        }
        if (query.level() != null) {
            conditions.add("level = :level");
            params.put("level", query.level());
        }
        String from = "from access_logs" + (conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions));
        return SqlPaging.page(jdbc, COLUMNS, from, "occurred_at desc, id desc", params, AccessLogRepository::map, page);
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
