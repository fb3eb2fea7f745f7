package dev.mercato.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * A request that failed because the database could not be reached (refused or lost connections, a pool with none
 * to give within its timeout, a server shutting down or restarting, a primary that stepped down): 503
 * {@code DATABASE_UNAVAILABLE} with {@code Retry-After}, never a 500. A lost connection rolls its transaction back,
 * so nothing was committed, except when the connection was lost during the commit itself: then the commit may have
 * been applied. A retry with the same {@code Idempotency-Key} is exactly-once either way: it answers with what
 * the first attempt created ({@code IdempotentCreation}), or does the work.
 */
public final class DatabaseUnavailable {

    static final String CODE = "DATABASE_UNAVAILABLE";
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    /**
     * SQLSTATE class 08 (connection exceptions) and 57P01-57P03 (admin shutdown, crash shutdown, cannot connect
     * now); 25006 (read-only transaction) is a standby answering as primary was demoted.
     */
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "25006");

    /** HikariCP's message for a connection it has closed. */
    private static final String CLOSED_BY_POOL = "Connection is closed";

    private DatabaseUnavailable() {}

    /** Whether {@code failure}, or anything that caused it, is the database being out of reach. */
    public static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException) {
                return true;
            }
            // A rollback that failed after the work failed: it stands for that failure.
            if (cause instanceof TransactionSystemException rollback
                    && rollback.getApplicationException() != null
                    && is(rollback.getApplicationException())) {
                return true;
            }
            // The pool closes a connection it saw break; what then uses it (typically the rollback after the
            // failure, which hides the failure itself) gets this, without an SQLSTATE.
            if (cause instanceof SQLException closed
                    && closed.getSQLState() == null
                    && CLOSED_BY_POOL.equals(closed.getMessage())) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    static ResponseEntity<ApiError> response() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of(
                        CODE,
                        "The database cannot be reached just now; nothing was done. Retry in a few seconds (with the "
                                + "same Idempotency-Key, if you sent one).",
                        ""));
    }
}
