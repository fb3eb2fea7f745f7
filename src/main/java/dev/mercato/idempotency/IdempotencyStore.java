package dev.mercato.idempotency;

import static dev.mercato.shared.SqlValues.instant;
import static dev.mercato.shared.SqlValues.timestamp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The table behind idempotency keys. A key is claimed atomically (insert, or take over an expired key or an
 * abandoned claim), so two servers receiving the same key at once never both run the request. Keys belong to an
 * owner, kept in the {@code credential_id} column: the credential, or {@code <client id>/<user id>} for a token
 * acting for a user.
 */
@Repository
class IdempotencyStore {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyStore.class);

    /**
     * A key held by one attempt at its request. {@code id} tells this attempt's writes from those of an attempt that
     * took the key over; {@code createdResource} is what an earlier attempt, abandoned after its work committed,
     * created (null when there was none).
     */
    record Claim(String owner, String key, String id, String createdResource) {}

    /**
     * What a key already holds: the first request's fingerprint, when it was claimed and, once it finished, its
     * response.
     */
    record Entry(
            String requestHash,
            Instant claimedAt,
            boolean completed,
            int status,
            Map<String, String> headers,
            byte[] body) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration retention;
    private final Duration lease;
    private final ServerInstance server;

    IdempotencyStore(
            JdbcClient jdbc, JsonMapper json, Clock clock, IdempotencyProperties properties, ServerInstance server) {
        this.jdbc = jdbc;
        this.server = server;
        this.json = json;
        this.clock = clock;
        this.retention = properties.retention();
        this.lease = properties.lease();
    }

    /**
     * Claims the key for a new request; empty when another attempt holds it or holds its answer. A key older than
     * the retention is forgotten, and a claim whose server died mid-request may be taken over by a retry of the same
     * request, which inherits what that attempt created: once its lease ran out, or at once when its server is known
     * to be dead ({@link ServerInstance}: no heartbeat for {@code DEAD_AFTER}).
     */
    Optional<Claim> claim(String owner, String key, String requestHash) {
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        return jdbc.sql("""
                insert into idempotency_keys (credential_id, key, request_hash, state, created_at, locked_until,
                    claim_id, claimed_by)
                values (:owner, :key, :hash, 'in_progress', :now, :lockedUntil, :claim, :server)
                on conflict (credential_id, key) do update
                    set request_hash = excluded.request_hash, state = 'in_progress', response_status = null,
                        response_headers = null, response_body = null, created_at = excluded.created_at,
                        locked_until = excluded.locked_until, claim_id = excluded.claim_id,
                        claimed_by = excluded.claimed_by,
                        resource_id = case when idempotency_keys.created_at < :expiredBefore then null
                                           else idempotency_keys.resource_id end
                    where idempotency_keys.created_at < :expiredBefore
                       or (idempotency_keys.state = 'in_progress'
                           and idempotency_keys.request_hash = excluded.request_hash
                           and (idempotency_keys.locked_until < :now
                                or (idempotency_keys.claimed_by is not null
                                    and not exists (select 1 from server_instances alive
                                                    where alive.id = idempotency_keys.claimed_by
                                                      and alive.heartbeat_at >= :aliveSince))))
                returning resource_id
                """)
                .param("owner", owner)
                .param("key", key)
                .param("hash", requestHash)
                .param("claim", id)
                .param("server", server.id())
                .param("aliveSince", timestamp(now.minus(ServerInstance.DEAD_AFTER)))
                .param("now", timestamp(now))
                .param("lockedUntil", timestamp(now.plus(lease)))
                .param("expiredBefore", timestamp(now.minus(retention)))
                .query((rs, row) -> new Claim(owner, key, id, rs.getString("resource_id")))
                .optional();
    }

    /**
     * Notes what the claimed request created, in the caller's transaction, so that the note commits exactly when
     * the creation does. False when the claim is no longer this attempt's (a retry took it over).
     */
    boolean recordCreated(Claim claim, String resourceId) {
        return jdbc.sql("""
                update idempotency_keys set resource_id = :resource
                where credential_id = :owner and key = :key and claim_id = :claim and state = 'in_progress'
                """)
                        .param("resource", resourceId)
                        .params(ownClaim(claim))
                        .update()
                == 1;
    }

    Optional<Entry> find(String owner, String key) {
        return jdbc.sql("""
                select request_hash, created_at, state, response_status, response_headers, response_body
                from idempotency_keys where credential_id = :owner and key = :key
                """)
                .param("owner", owner)
                .param("key", key)
                .query((rs, row) -> new Entry(
                        rs.getString("request_hash"),
                        instant(rs, "created_at"),
                        "completed".equals(rs.getString("state")),
                        rs.getInt("response_status"),
                        rs.getString("response_headers") == null
                                ? Map.of()
                                : json.readValue(rs.getString("response_headers"), new TypeReference<>() {}),
                        rs.getBytes("response_body")))
                .optional();
    }

    /** Stores the response to replay, unless the claim is no longer this attempt's. */
    void complete(Claim claim, int status, Map<String, String> headers, byte[] body) {
        jdbc.sql("""
                update idempotency_keys set state = 'completed', response_status = :status,
                    response_headers = :headers, response_body = :body
                where credential_id = :owner and key = :key and claim_id = :claim and state = 'in_progress'
                """)
                .param("status", status)
                .param("headers", json.writeValueAsString(headers))
                .param("body", body)
                .params(ownClaim(claim))
                .update();
    }

    /**
     * Gives up a claim whose response is not to be replayed. The key is forgotten, so that it can be used again;
     * but if the request did create something (and failed after its commit), the claim's lease is ended instead,
     * so that a retry at once answers with what was created rather than creating it again.
     */
    void release(Claim claim) {
        String owned = "credential_id = :owner and key = :key and claim_id = :claim and state = 'in_progress'";
        jdbc.sql("delete from idempotency_keys where " + owned + " and resource_id is null")
                .params(ownClaim(claim))
                .update();
        jdbc.sql("update idempotency_keys set locked_until = :now where " + owned + " and resource_id is not null")
                .param("now", timestamp(clock.instant()))
                .params(ownClaim(claim))
                .update();
    }

    private static Map<String, Object> ownClaim(Claim claim) {
        return Map.of("owner", claim.owner(), "key", claim.key(), "claim", claim.id());
    }

    @Scheduled(
            initialDelayString = IdempotencyProperties.PURGE_INTERVAL,
            fixedDelayString = IdempotencyProperties.PURGE_INTERVAL)
    int purge() {
        int deleted = jdbc.sql("delete from idempotency_keys where created_at < :cutoff")
                .param("cutoff", timestamp(clock.instant().minus(retention)))
                .update();
        if (deleted > 0) {
            log.info("Purged {} idempotency keys older than {}", deleted, retention);
        }
        return deleted;
    }
}
