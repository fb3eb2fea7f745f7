package dev.mercato.payments;

import static dev.mercato.shared.SqlValues.timestamp;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the payments and refunds tables share: each row waits for a processor's answer while {@code open}
 * (processing, pending), is talked about by one process at a time (the one whose {@code locked_until} is in the
 * future), and is settled exactly once.
 */
abstract class SettlingRepository<T> {

    final JdbcClient jdbc;
    private final String table;
    private final String open;
    private final String codeColumn;

    SettlingRepository(JdbcClient jdbc, String table, String open, String codeColumn) {
        this.jdbc = jdbc;
        this.table = table;
        this.open = open;
        this.codeColumn = codeColumn;
    }

    abstract Optional<T> findById(String id);

    /**
     * Takes the right to call the processor about an open row whose previous attempt ended or was abandoned: only
     * one process wins, even across servers. {@code updated_at} stays when the previous attempt ended.
     */
    Optional<T> claim(String id, Instant now, Instant lockedUntil) {
        int claimed = jdbc.sql("update " + table + " set attempts = attempts + 1, locked_until = :lockedUntil "
                        + "where id = :id and status = :open and (locked_until is null or locked_until < :now)")
                .param("id", id).param("open", open).param("now", timestamp(now))
                .param("lockedUntil", timestamp(lockedUntil)).update();
        return claimed == 1 ? findById(id) : Optional.empty();
    }

    /**
     * Records an attempt whose outcome stayed unknown, with the processor's id if its answer named one; the row may
     * be claimed again after {@code retryAt}.
     */
    void postpone(String id, String reference, String message, Instant retryAt) {
        jdbc.sql("update " + table + " set locked_until = :retryAt, failure_message = :message, updated_at = now(), "
                        + "processor_reference = coalesce(cast(:reference as text), processor_reference) "
                        + "where id = :id and status = :open")
                .param("id", id).param("open", open).param("retryAt", timestamp(retryAt)).param("message", message)
                .param("reference", reference).update();
    }

    boolean succeed(String id, String reference) {
        return jdbc.sql("update " + table + " set status = 'succeeded', processor_reference = :reference, "
                        + "failure_message = null, locked_until = null, updated_at = now() "
                        + "where id = :id and status = :open")
                .param("id", id).param("open", open).param("reference", reference).update() == 1;
    }

    boolean fail(String id, String reference, String code, String message) {
        return jdbc.sql("update " + table + " set status = 'failed', processor_reference = :reference, "
                        + codeColumn + " = :code, failure_message = :message, locked_until = null, updated_at = now() "
                        + "where id = :id and status = :open")
                .param("id", id).param("open", open).param("reference", reference).param("code", code)
                .param("message", message).update() == 1;
    }
}
