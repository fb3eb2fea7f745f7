package dev.mercato.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseUnavailableTest {

    @Test
    void aConnectionFailureAnywhereInTheCausesIsTheDatabaseOutOfReach() {
        assertThat(DatabaseUnavailable.is(new IllegalStateException(new SQLException("gone", "08006"))))
                .isTrue();
        assertThat(DatabaseUnavailable.is(new SQLException("read-only transaction", "25006")))
                .isTrue();
        assertThat(DatabaseUnavailable.is(new SQLException("duplicate key", "23505")))
                .isFalse();
    }

    /**
     * A primary lost mid-transaction: the pool closes the broken connection, and the rollback that follows (Spring's,
     * or the rate limiter's own) fails on it without an SQLSTATE.
     */
    @Test
    void aRollbackThatFailedOnAConnectionThePoolClosedIsTheDatabaseOutOfReach() {
        assertThat(DatabaseUnavailable.is(new TransactionSystemException(
                        "JDBC rollback failed", new SQLException("Connection is closed"))))
                .isTrue();
        assertThat(DatabaseUnavailable.is(new RuntimeException(new SQLException("Connection is closed"))))
                .isTrue();
        assertThat(DatabaseUnavailable.is(
                        new TransactionSystemException("JDBC rollback failed", new SQLException("other"))))
                .isFalse();
    }

    @Test
    void aRollbackExceptionStandsForTheApplicationExceptionItOverrode() {
        TransactionSystemException overriding = new TransactionSystemException("rollback failed");
        overriding.initApplicationException(new DataAccessResourceFailureException("I/O error"));
        assertThat(DatabaseUnavailable.is(overriding)).isTrue();

        TransactionSystemException other = new TransactionSystemException("rollback failed");
        other.initApplicationException(new DataIntegrityViolationException("duplicate key"));
        assertThat(DatabaseUnavailable.is(other)).isFalse();
    }

    @Test
    void aTransactionFailureWithoutAnSqlCauseIsAFault() {
        assertThat(DatabaseUnavailable.is(new TransactionSystemException("could not commit")))
                .isFalse();
        assertThat(DatabaseUnavailable.is(new IllegalStateException("bug"))).isFalse();
    }
}
