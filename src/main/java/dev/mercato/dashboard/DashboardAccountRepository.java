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
        return jdbc.sql("select username, role, password_hash, failed_sign_ins, locked_until "
                        + "from dashboard_accounts where username = :username")
                .param("username", username)
                .query((rs, row) -> {
                    Timestamp locked = rs.getTimestamp("locked_until");
                    return new DashboardAccount(
                            rs.getString("username"),
                            rs.getString("role"),
                            rs.getString("password_hash"),
                            rs.getInt("failed_sign_ins"),
                            locked == null ? null : locked.toInstant());
                })
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
        jdbc.sql("update dashboard_accounts set password_hash = :hash, failed_sign_ins = 0, locked_until = null, "
                        + "updated_at = now() where username = :username")
                .param("username", username)
                .param("hash", passwordHash)
                .update();
    }

    /**
     * Counts a wrong password, in one statement so that servers counting at once lose nothing; the count reaching
     * {@code max} locks the account until {@code lockedUntil} and starts the count again.
     */
    void countFailure(String username, int max, Instant lockedUntil) {
        jdbc.sql("""
                update dashboard_accounts
                set failed_sign_ins = case when failed_sign_ins + 1 >= :max then 0 else failed_sign_ins + 1 end,
                    locked_until = case when failed_sign_ins + 1 >= :max then :lockedUntil else locked_until end,
                    updated_at = now()
                where username = :username""")
                .param("username", username)
                .param("max", max)
                .param("lockedUntil", Timestamp.from(lockedUntil))
                .update();
    }

    void clearFailures(String username) {
        jdbc.sql("update dashboard_accounts set failed_sign_ins = 0, locked_until = null where username = :username "
                        + "and (failed_sign_ins > 0 or locked_until is not null)")
                .param("username", username)
                .update();
    }
}
