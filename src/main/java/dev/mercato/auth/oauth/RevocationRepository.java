package dev.mercato.auth.oauth;

import static dev.mercato.shared.SqlValues.instant;
import static dev.mercato.shared.SqlValues.timestamp;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code oauth_revoked_tokens} and {@code oauth_revoked_clients} tables. Each new revocation is announced
 * with {@code NOTIFY} in the same transaction, so other servers hear of it exactly when it is committed.
 */
@Repository
class RevocationRepository {

    static final String CHANNEL = "mercato_oauth_revocations";

    private final JdbcClient jdbc;

    RevocationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a revoked token; false when it was already recorded (then nobody is notified again). */
    boolean revokeToken(String jti, String clientId, Instant expiresAt) {
        Revocation revocation = Revocation.token(jti, expiresAt);
        return !jdbc.sql("""
                with inserted as (
                    insert into oauth_revoked_tokens (jti, client_id, expires_at) values (:jti, :clientId, :expiresAt)
                    on conflict (jti) do nothing
                    returning jti)
                select pg_notify(:channel, :payload) from inserted
                """)
                .param("jti", jti)
                .param("clientId", clientId)
                .param("expiresAt", timestamp(expiresAt))
                .param("channel", CHANNEL)
                .param("payload", revocation.payload())
                .query()
                .listOfRows()
                .isEmpty();
    }

    /** Records that every token of a deleted client is revoked until {@code expiresAt}. */
    void revokeClient(String clientId, Instant expiresAt) {
        jdbc.sql("""
                insert into oauth_revoked_clients (client_id, expires_at) values (:clientId, :expiresAt)
                on conflict (client_id) do update set expires_at = excluded.expires_at
                """)
                .param("clientId", clientId)
                .param("expiresAt", timestamp(expiresAt))
                .update();
        jdbc.sql("select pg_notify(:channel, :payload)")
                .param("channel", CHANNEL)
                .param("payload", Revocation.client(clientId, expiresAt).payload())
                .query()
                .singleRow();
    }

    List<Revocation> findUnexpired(Instant now) {
        return jdbc.sql("""
                select 'TOKEN' as kind, jti as id, expires_at from oauth_revoked_tokens where expires_at > :now
                union all
                select 'CLIENT', client_id, expires_at from oauth_revoked_clients where expires_at > :now
                """)
                .param("now", timestamp(now))
                .query((rs, row) -> new Revocation(
                        Revocation.Kind.valueOf(rs.getString("kind")), rs.getString("id"), instant(rs, "expires_at")))
                .list();
    }

    int deleteExpired(Instant now) {
        return jdbc.sql("delete from oauth_revoked_tokens where expires_at <= :now")
                        .param("now", timestamp(now))
                        .update()
                + jdbc.sql("delete from oauth_revoked_clients where expires_at <= :now")
                        .param("now", timestamp(now))
                        .update();
    }
}
