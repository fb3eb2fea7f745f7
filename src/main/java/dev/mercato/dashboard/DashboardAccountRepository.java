package dev.mercato.dashboard;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class DashboardAccountRepository {

    private final JdbcClient jdbc;

    DashboardAccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<DashboardAccount> find(String username) {
        return jdbc.sql("select username, role, password_hash from dashboard_accounts where username = :username")
                .param("username", username)
                .query((rs, row) -> new DashboardAccount(
                        rs.getString("username"), rs.getString("role"), rs.getString("password_hash")))
                .optional();
    }

    /** Creates the account unless it exists; false when it did (another server was first). */
    boolean create(String username, String role, String passwordHash) {
        return jdbc.sql("insert into dashboard_accounts (username, role, password_hash) values (:username, :role, "
                                + ":hash) on conflict (username) do nothing")
                        .param("username", username)
                        .param("role", role)
                        .param("hash", passwordHash)
                        .update()
                == 1;
    }

    /** Sets the password and unlocks the account. */
    void setPassword(String username, String passwordHash) {
        jdbc.sql("update dashboard_accounts set password_hash = :hash, updated_at = now() where username = :username")
                .param("username", username)
                .param("hash", passwordHash)
                .update();
        clearFailures(username);
    }

    /** Until when the account (the admin's name, a developer's user id) refuses sign-ins, if it does. */
    Optional<Instant> lockedUntil(String account) {
        return jdbc.sql("select locked_until from dashboard_sign_in_failures where account = :account")
                .param("account", account)
                .query((rs, row) -> Optional.ofNullable(rs.getTimestamp("locked_until")))
                .optional()
                .flatMap(locked -> locked.map(Timestamp::toInstant));
    }

    /**
     * Counts a wrong password, in one statement so that servers counting at once lose nothing; the count reaching
     * {@code max} locks the account until {@code lockedUntil} and starts the count again.
     */
    void countFailure(String account, int max, Instant lockedUntil) {
        jdbc.sql("""
                insert into dashboard_sign_in_failures as f (account, failed_sign_ins, locked_until)
                values (:account, case when :max <= 1 then 0 else 1 end,
                        case when :max <= 1 then cast(:lockedUntil as timestamptz) end)
                on conflict (account) do update
                set failed_sign_ins = case when f.failed_sign_ins + 1 >= :max then 0 else f.failed_sign_ins + 1 end,
                    locked_until = case when f.failed_sign_ins + 1 >= :max then :lockedUntil else f.locked_until end""")
                .param("account", account)
                .param("max", max)
                .param("lockedUntil", Timestamp.from(lockedUntil))
                .update();
    }

    void clearFailures(String account) {
        jdbc.sql("delete from dashboard_sign_in_failures where account = :account")
                .param("account", account)
                .update();
    }
}
