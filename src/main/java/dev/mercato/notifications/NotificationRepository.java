package dev.mercato.notifications;

import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
import dev.mercato.shared.SqlWhere;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class NotificationRepository {

    private static final String COLUMNS = "id, user_id, type, priority, subject, message, recipient, status, attempts, "
            + "last_error, source, created_at, updated_at, sent_at";

    private final JdbcClient jdbc;

    NotificationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Notification n, String createdBy) {
        jdbc.sql("""
                insert into notifications (id, user_id, type, priority, subject, message, recipient, status, attempts,
                    source, created_by, created_at, updated_at)
                values (:id, :userId, :type, :priority, :subject, :message, :recipient, :status, 0, :source,
                    :createdBy, :createdAt, :createdAt)
                """)
                .param("id", n.id())
                .param("userId", n.userId())
                .param("type", n.type())
                .param("priority", n.priority())
                .param("subject", n.subject())
                .param("message", n.message())
                .param("recipient", n.recipient())
                .param("status", n.status())
                .param("source", n.source())
                .param("createdBy", createdBy)
                .param("createdAt", Timestamp.from(n.createdAt()))
                .update();
    }

    Optional<Notification> findById(String id) {
        return jdbc.sql("select " + COLUMNS + " from notifications where id = :id")
                .param("id", id)
                .query(NotificationRepository::map)
                .optional();
    }

    /** The notification, its row locked until the transaction ends: retries of one are made one at a time. */
    Optional<Notification> lock(String id) {
        return jdbc.sql("select " + COLUMNS + " from notifications where id = :id for update")
                .param("id", id)
                .query(NotificationRepository::map)
                .optional();
    }

    /** A failed notification retried by hand: queued again, for a new round of attempts counted from the ones it had. */
    void reopen(String id, Instant now) {
        jdbc.sql("update notifications set status = 'queued', attempts_before_retry = attempts, updated_at = :now "
                        + "where id = :id and status = 'failed'")
                .param("id", id)
                .param("now", Timestamp.from(now))
                .update();
    }

    Page<Notification> find(String userId, String status, PageParams page) {
        SqlWhere where =
                new SqlWhere().and("user_id = :userId", "userId", userId).and("status = :status", "status", status);
        String from = "from notifications" + where.sql();
        return SqlPaging.page(
                jdbc, COLUMNS, from, "created_at desc, id desc", where.params(), NotificationRepository::map, page);
    }

    /**
     * A notification being attempted. {@code round} counts the attempts since it was accepted or last retried by hand,
     * this one included: the retry policy's limit applies to it.
     */
    record Attempt(Notification notification, int round) {}

    /**
     * Starts an attempt: {@code sending}, one more attempt, unless it was already sent or failed (a job run again
     * after its server died mid-way finds it so). Empty then.
     */
    Optional<Attempt> startAttempt(String id, Instant now) {
        return jdbc.sql("update notifications set status = 'sending', attempts = attempts + 1, updated_at = :now "
                        + "where id = :id and status in ('queued', 'sending') returning " + COLUMNS
                        + ", attempts - attempts_before_retry as round")
                .param("id", id)
                .param("now", Timestamp.from(now))
                .query((rs, row) -> new Attempt(map(rs, row), rs.getInt("round")))
                .optional();
    }

    void markSent(String id, Instant now) {
        jdbc.sql("update notifications set status = 'sent', last_error = null, sent_at = :now, updated_at = :now "
                        + "where id = :id")
                .param("id", id)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** After a failed attempt: {@code queued} again to be retried, or {@code failed} when none is left. */
    void markAttemptFailed(String id, String error, boolean finalFailure, Instant now) {
        jdbc.sql("update notifications set status = :status, last_error = :error, updated_at = :now "
                        + "where id = :id and status <> 'sent'")
                .param("id", id)
                .param("status", finalFailure ? Notification.FAILED : Notification.QUEUED)
                .param("error", error)
                .param("now", Timestamp.from(now))
                .update();
    }

    private static Notification map(ResultSet rs, int row) throws SQLException {
        Timestamp sentAt = rs.getTimestamp("sent_at");
        return new Notification(
                rs.getString("id"),
                rs.getString("user_id"),
                rs.getString("type"),
                rs.getString("priority"),
                rs.getString("subject"),
                rs.getString("message"),
                rs.getString("recipient"),
                rs.getString("status"),
                rs.getInt("attempts"),
                rs.getString("last_error"),
                rs.getString("source"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                sentAt == null ? null : sentAt.toInstant());
    }
}
