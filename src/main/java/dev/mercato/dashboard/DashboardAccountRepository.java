package dev.mercato.dashboard;

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

    /** Sets the password. */
    void setPassword(String username, String passwordHash) {
        jdbc.sql("update dashboard_accounts set password_hash = :hash, updated_at = now() where username = :username")
                .param("username", username)
                .param("hash", passwordHash)
                .update();
    }
}
