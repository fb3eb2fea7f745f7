package dev.mercato.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The {@code sign_in_failures} table: failures counted per key (an account or a client address). */
@Repository
class SignInFailureRepository {

    private final JdbcClient jdbc;

    SignInFailureRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The latest time until which any of these keys is locked, if one is locked past {@code now}. */
    Optional<Instant> lockedUntil(Collection<String> keys, Instant now) {
        return jdbc.sql(
                        "select max(locked_until) from sign_in_failures where key = any (:keys) and locked_until > :now")
                .param("keys", keys.toArray(String[]::new))
                .param("now", Timestamp.from(now))
                .query((rs, row) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
                .single();
    }

    /**
     * Counts a failure, in one statement so that servers counting at once lose nothing. A count whose last failure
     * is older than {@code forgetBefore} starts again; reaching {@code max} locks the key until {@code lockedUntil}
     * and starts the count again. In a transaction of its own: the failure counts even when the caller's
     * transaction rolls back with it (a password change refused for a wrong current password).
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void countFailure(String key, int max, Instant now, Instant forgetBefore, Instant lockedUntil) {
        jdbc.sql("""
                insert into sign_in_failures as f (key, failed_sign_ins, last_failed_at, locked_until)
                values (:key, case when :max <= 1 then 0 else 1 end, :now,
                        case when :max <= 1 then cast(:lockedUntil as timestamptz) end)
                on conflict (key) do update
                set failed_sign_ins = case when f.last_failed_at < :forgetBefore then 1 % :max
                                           when f.failed_sign_ins + 1 >= :max then 0
                                           else f.failed_sign_ins + 1 end,
                    locked_until = case when (f.last_failed_at < :forgetBefore and :max <= 1)
                                              or (f.last_failed_at >= :forgetBefore and f.failed_sign_ins + 1 >= :max)
                                         then cast(:lockedUntil as timestamptz) else f.locked_until end,
                    last_failed_at = :now""")
                .param("key", key)
                .param("max", max)
                .param("now", Timestamp.from(now))
                .param("forgetBefore", Timestamp.from(forgetBefore))
                .param("lockedUntil", Timestamp.from(lockedUntil))
                .update();
    }

    void clear(String key) {
        jdbc.sql("delete from sign_in_failures where key = :key")
                .param("key", key)
                .update();
    }
}
