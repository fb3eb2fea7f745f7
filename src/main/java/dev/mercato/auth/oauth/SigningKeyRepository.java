package dev.mercato.auth.oauth;

import static dev.mercato.shared.SqlValues.instant;
import static dev.mercato.shared.SqlValues.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code oauth_signing_keys} table. */
@Repository
class SigningKeyRepository {

    /** Serialises key creation between servers (pg_advisory_xact_lock's key; any constant of our own). */
    private static final long SCHEDULE_LOCK = 0x6d65726361746f01L;

    private final JdbcClient jdbc;

    SigningKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Holds until the surrounding transaction ends; another server deciding about keys waits for it. */
    void lockSchedule() {
        jdbc.sql("select pg_advisory_xact_lock(:key)")
                .param("key", SCHEDULE_LOCK)
                .query()
                .singleRow();
    }

    List<SigningKey> findUnexpired(Instant now) {
        return jdbc.sql("""
                select kid, public_key, private_key, activates_at, retires_at, expires_at
                from oauth_signing_keys where expires_at > :now order by activates_at
                """)
                .param("now", timestamp(now))
                .query(SigningKeyRepository::map)
                .list();
    }

    void insert(SigningKey key, Instant now) {
        jdbc.sql("""
                insert into oauth_signing_keys
                    (kid, algorithm, public_key, private_key, created_at, activates_at, retires_at, expires_at)
                values (:kid, 'RS256', :publicKey, :privateKey, :now, :activatesAt, :retiresAt, :expiresAt)
                """)
                .param("kid", key.kid())
                .param("publicKey", key.encodedPublicKey())
                .param("privateKey", key.encodedPrivateKey())
                .param("now", timestamp(now))
                .param("activatesAt", timestamp(key.activatesAt()))
                .param("retiresAt", timestamp(key.retiresAt()))
                .param("expiresAt", timestamp(key.expiresAt()))
                .update();
    }

    int deleteExpired(Instant now) {
        return jdbc.sql("delete from oauth_signing_keys where expires_at <= :now")
                .param("now", timestamp(now))
                .update();
    }

    private static SigningKey map(ResultSet rs, int row) throws SQLException {
        return SigningKey.decode(
                rs.getString("kid"),
                rs.getBytes("public_key"),
                rs.getBytes("private_key"),
                instant(rs, "activates_at"),
                instant(rs, "retires_at"),
                instant(rs, "expires_at"));
    }
}
