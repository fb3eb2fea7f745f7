package dev.mercato.auth.oauth;

import static dev.mercato.shared.SqlValues.instant;
import static dev.mercato.shared.SqlValues.timestamp;

import dev.mercato.crypto.SealedValues;
import dev.mercato.crypto.SecretBox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code oauth_signing_keys} table. The private keys are sealed ({@link SecretBox}, the key's id as context):
 * whoever reads the database or a backup without the encryption key cannot sign tokens. A private key stored in
 * clear before (a PKCS#8 DER value, which starts with a SEQUENCE tag) is still read, and sealed at the next start.
 */
@Repository
class SigningKeyRepository implements SealedValues {

    /** The first byte of a DER SEQUENCE: a private key stored before keys were sealed. */
    private static final byte DER_SEQUENCE = 0x30;

    /** Serialises key creation between servers (pg_advisory_xact_lock's key; any constant of our own). */
    private static final long SCHEDULE_LOCK = 0x6d65726361746f01L;

    private final JdbcClient jdbc;
    private final SecretBox box;

    SigningKeyRepository(JdbcClient jdbc, SecretBox box) {
        this.jdbc = jdbc;
        this.box = box;
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
                """).param("now", timestamp(now)).query(this::map).list();
    }

    void insert(SigningKey key, Instant now) {
        jdbc.sql("""
                insert into oauth_signing_keys
                    (kid, algorithm, public_key, private_key, created_at, activates_at, retires_at, expires_at)
                values (:kid, 'RS256', :publicKey, :privateKey, :now, :activatesAt, :retiresAt, :expiresAt)
                """)
                .param("kid", key.kid())
                .param("publicKey", key.encodedPublicKey())
                .param("privateKey", box.seal(context(key.kid()), key.encodedPrivateKey()))
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

    @Override
    public String description() {
        return "OAuth signing keys";
    }

    @Override
    public int sealAgain() {
        int sealed = 0;
        List<Stored> rows = jdbc.sql("select kid, private_key from oauth_signing_keys")
                .query((rs, row) -> new Stored(rs.getString("kid"), rs.getBytes("private_key")))
                .list();
        for (Stored row : rows) {
            if (!box.sealedWithCurrentKey(row.privateKey())) {
                byte[] again = box.seal(context(row.kid()), privateKey(row.kid(), row.privateKey()));
                sealed += jdbc.sql("update oauth_signing_keys set private_key = :again "
                                + "where kid = :kid and private_key = :before")
                        .param("again", again)
                        .param("kid", row.kid())
                        .param("before", row.privateKey())
                        .update();
            }
        }
        return sealed;
    }

    private record Stored(String kid, byte[] privateKey) {}

    private byte[] privateKey(String kid, byte[] stored) {
        if (stored.length > 0 && stored[0] == DER_SEQUENCE) {
            return stored;
        }
        try {
            return box.open(context(kid), stored);
        } catch (SecretBox.UnreadableException e) {
            throw new IllegalStateException(
                    "The OAuth signing key " + kid + " cannot be opened: " + e.getMessage()
                            + ". Every server on one database must be given the same mercato.encryption-key.",
                    e);
        }
    }

    private static String context(String kid) {
        return "oauth-signing-key:" + kid;
    }

    private SigningKey map(ResultSet rs, int row) throws SQLException {
        String kid = rs.getString("kid");
        return SigningKey.decode(
                kid,
                rs.getBytes("public_key"),
                privateKey(kid, rs.getBytes("private_key")),
                instant(rs, "activates_at"),
                instant(rs, "retires_at"),
                instant(rs, "expires_at"));
    }
}
