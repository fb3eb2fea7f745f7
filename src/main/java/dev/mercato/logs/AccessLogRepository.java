package dev.mercato.logs;

import static dev.mercato.web.SqlValues.instant;
import static dev.mercato.web.SqlValues.timestamp;

import dev.mercato.web.Page;
import dev.mercato.web.PageParams;
import dev.mercato.web.SqlPaging;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    void insert(List<AccessLogEntry> entries) {
        batch.batchUpdate("insert into access_logs (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                entries, entries.size(), (statement, entry) -> {
                    statement.setString(1, entry.id());
                    statement.setTimestamp(2, timestamp(entry.timestamp()));
                    statement.setString(3, entry.level());
                    statement.setString(4, entry.message());
                    statement.setString(5, entry.method());
                    statement.setString(6, entry.path());
                    statement.setInt(7, entry.status());
                    statement.setInt(8, (int) Math.min(Integer.MAX_VALUE, entry.durationMs()));
                    statement.setString(9, entry.requestId());
                    statement.setString(10, entry.credentialId());
                    statement.setString(11, entry.userId());
                    statement.setString(12, entry.ipAddress());
                });
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
                .param("cutoff", timestamp(cutoff)).param("batch", batchSize).update();
    }

    private static AccessLogEntry map(ResultSet rs, int row) throws SQLException {
        return new AccessLogEntry(rs.getString("id"), instant(rs, "occurred_at"), rs.getString("level"),
                rs.getString("message"), rs.getString("method"), rs.getString("path"), rs.getInt("status"),
                rs.getLong("duration_ms"), rs.getString("request_id"), rs.getString("credential_id"),
                rs.getString("user_id"), rs.getString("ip_address"));
    }
}
