package dev.mercato.payments;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the payments and refunds tables share: each row waits for a processor's answer while {@code open}
 * (processing, pending), counts the calls made about it, and is settled exactly once (every settling update is
 * conditional on the row still being open).
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
     * Counts the attempt about to be made at an open row and returns the row as it stands; empty once it is settled.
     * Who may make the attempt is decided before: the reconciliation job of the row, which db-scheduler runs on one
     * server at a time, or a request that took the job's due run (see {@code Jobs.takeDue}).
     */
    Optional<T> countAttempt(String id) {
        int counted = jdbc.sql("update " + table + " set attempts = attempts + 1 where id = :id and status = :open")
                .param("id", id)
                .param("open", open)
                .update();
        return counted == 1 ? findById(id) : Optional.empty();
    }

    /** Records an attempt whose outcome stayed unknown, with the processor's id if its answer named one. */
    void postpone(String id, String reference, String message) {
        jdbc.sql("update " + table + " set failure_message = :message, updated_at = now(), "
                        + "processor_reference = coalesce(cast(:reference as text), processor_reference) "
                        + "where id = :id and status = :open")
                .param("id", id)
                .param("open", open)
                .param("message", message)
                .param("reference", reference)
                .update();
    }

    boolean succeed(String id, String reference) {
        return jdbc.sql("update " + table + " set status = 'succeeded', processor_reference = :reference, "
                                + "failure_message = null, updated_at = now() "
                                + "where id = :id and status = :open")
                        .param("id", id)
                        .param("open", open)
                        .param("reference", reference)
                        .update()
                == 1;
    }

    boolean fail(String id, String reference, String code, String message) {
        return jdbc.sql("update " + table + " set status = 'failed', processor_reference = :reference, "
                                + codeColumn + " = :code, failure_message = :message, updated_at = now() "
                                + "where id = :id and status = :open")
                        .param("id", id)
                        .param("open", open)
                        .param("reference", reference)
                        .param("code", code)
                        .param("message", message)
                        .update()
                == 1;
    }
}
