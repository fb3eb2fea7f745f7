package dev.mercato.webhooks;

import dev.mercato.crypto.SealedValues;
import dev.mercato.crypto.SecretBox;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
import dev.mercato.shared.SqlWhere;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Webhook subscriptions and their deliveries. A subscription's signing secret is stored sealed ({@link SecretBox},
 * the subscription's id as context) as {@code sealed:<base64>}: deliveries need it in clear to sign, so it cannot be
 * a hash, and a copy of the database alone cannot forge them. It is opened only to sign a delivery: subscriptions
 * read back carry none, so one whose secret does not open (sealed under a key this server lacks, or copied from
 * another row) is still listed, and only its deliveries fail. A secret stored in clear before is still read, and
 * sealed at the next start.
 */
@Repository
class WebhookRepository implements SealedValues {

    private static final String SEALED = "sealed:";

    private static final String SUBSCRIPTION_COLUMNS = "id, url, events, created_by, created_at";
    private static final String DELIVERY_COLUMNS = "id, subscription_id, event_id, event_type, payload, status, "
            + "attempts, last_status_code, last_error, created_at, updated_at, delivered_at";

    private final JdbcClient jdbc;
    private final SecretBox box;

    WebhookRepository(JdbcClient jdbc, SecretBox box) {
        this.jdbc = jdbc;
        this.box = box;
    }

    void insert(Webhook webhook) {
        jdbc.sql("""
                insert into webhook_subscriptions (id, url, events, secret, created_by, created_at)
                values (:id, :url, cast(:events as text[]), :secret, :createdBy, :createdAt)
                """)
                .param("id", webhook.id())
                .param("url", webhook.url())
                .param("events", webhook.events().toArray(String[]::new))
                .param("secret", seal(webhook.id(), webhook.secret()))
                .param("createdBy", webhook.createdBy())
                .param("createdAt", Timestamp.from(webhook.createdAt()))
                .update();
    }

    Optional<Webhook> findById(String id) {
        return jdbc.sql("select " + SUBSCRIPTION_COLUMNS + " from webhook_subscriptions where id = :id")
                .param("id", id)
                .query(WebhookRepository::mapWebhook)
                .optional();
    }

    /** The subscriptions of these ids, by id (those that exist). */
    Map<String, Webhook> findAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbc
                .sql("select " + SUBSCRIPTION_COLUMNS + " from webhook_subscriptions where id = any(:ids)")
                .param("ids", ids.toArray(String[]::new))
                .query(WebhookRepository::mapWebhook)
                .list()
                .stream()
                .collect(Collectors.toMap(Webhook::id, Function.identity()));
    }

    boolean exists(String id) {
        return jdbc.sql("select exists (select 1 from webhook_subscriptions where id = :id)")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    Page<Webhook> find(PageParams page) {
        return SqlPaging.page(
                jdbc,
                SUBSCRIPTION_COLUMNS,
                "from webhook_subscriptions",
                "created_at desc, id desc",
                Map.of(),
                WebhookRepository::mapWebhook,
                page);
    }

    /** Deletes the subscription and, by cascade, its deliveries (pending ones then stop). */
    boolean delete(String id) {
        return jdbc.sql("delete from webhook_subscriptions where id = :id")
                        .param("id", id)
                        .update()
                > 0;
    }

    /** The subscriptions that receive events of {@code eventType}, by id. */
    List<String> subscribersOf(String eventType) {
        return jdbc.sql("select id from webhook_subscriptions where events && array[:type, '*']::text[] order by id")
                .param("type", eventType)
                .query(String.class)
                .list();
    }

    /** One pending delivery per (delivery id, subscription id) pair, all of the same event and body. */
    void insertDeliveries(
            List<String> ids,
            List<String> subscriptionIds,
            String eventId,
            String eventType,
            String payload,
            Instant now) {
        jdbc.sql("""
                insert into webhook_deliveries (id, subscription_id, event_id, event_type, payload, status, attempts,
                    created_at, updated_at)
                select d.id, d.subscription_id, :eventId, :eventType, :payload, 'pending', 0, :now, :now
                from unnest(cast(:ids as text[]), cast(:subscriptionIds as text[])) as d (id, subscription_id)
                """)
                .param("ids", ids.toArray(String[]::new))
                .param("subscriptionIds", subscriptionIds.toArray(String[]::new))
                .param("eventId", eventId)
                .param("eventType", eventType)
                .param("payload", payload)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** A subscription's deliveries, newest first. */
    Page<WebhookDelivery> deliveries(String subscriptionId, PageParams page) {
        return SqlPaging.page(
                jdbc,
                DELIVERY_COLUMNS,
                "from webhook_deliveries where subscription_id = :id",
                "created_at desc, id desc",
                Map.of("id", subscriptionId),
                WebhookRepository::mapDelivery,
                page);
    }

    /** Every subscription's deliveries, newest first, of one status or all. */
    Page<WebhookDelivery> allDeliveries(String status, PageParams page) {
        SqlWhere where = new SqlWhere().and("status = :status", "status", status);
        return SqlPaging.page(
                jdbc,
                DELIVERY_COLUMNS,
                "from webhook_deliveries" + where.sql(),
                "created_at desc, id desc",
                where.params(),
                WebhookRepository::mapDelivery,
                page);
    }

    Optional<WebhookDelivery> findDelivery(String id) {
        return jdbc.sql("select " + DELIVERY_COLUMNS + " from webhook_deliveries where id = :id")
                .param("id", id)
                .query(WebhookRepository::mapDelivery)
                .optional();
    }

    /** The delivery, its row locked until the transaction ends: retries of one delivery are made one at a time. */
    Optional<WebhookDelivery> lockDelivery(String id) {
        return jdbc.sql("select " + DELIVERY_COLUMNS + " from webhook_deliveries where id = :id for update")
                .param("id", id)
                .query(WebhookRepository::mapDelivery)
                .optional();
    }

    /** A failed delivery retried by hand: pending again, for a new round of attempts counted from the ones it had. */
    void reopen(String id, Instant now) {
        jdbc.sql("""
                update webhook_deliveries set status = 'pending', attempts_before_retry = attempts, updated_at = :now
                where id = :id and status = 'failed'
                """).param("id", id).param("now", Timestamp.from(now)).update();
    }

    /**
     * Starts an attempt: one more attempt on a pending delivery, with its subscription's URL and secret. Empty when
     * the delivery is no longer pending (a job run again after its server died) or is gone with its subscription.
     */
    Optional<WebhookDelivery.Attempt> startAttempt(String id, Instant now) {
        return jdbc.sql("""
                with started as (
                    update webhook_deliveries set attempts = attempts + 1, updated_at = :now
                    where id = :id and status = 'pending'
                    returning %s)
                select started.*, s.url, s.secret
                from started join webhook_subscriptions s on s.id = started.subscription_id
                """.formatted(DELIVERY_COLUMNS + ", attempts - attempts_before_retry as round"))
                .param("id", id)
                .param("now", Timestamp.from(now))
                .query((rs, row) -> new WebhookDelivery.Attempt(
                        mapDelivery(rs, row),
                        rs.getString("url"),
                        secret(rs.getString("subscription_id"), rs.getString("secret")),
                        rs.getInt("round")))
                .optional();
    }

    void markSucceeded(String id, int statusCode, Instant now) {
        jdbc.sql("""
                update webhook_deliveries set status = 'succeeded', last_status_code = :code, last_error = null,
                    delivered_at = :now, updated_at = :now
                where id = :id and status = 'pending'
                """)
                .param("id", id)
                .param("code", statusCode)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** After a failed attempt: still {@code pending} to be retried, or {@code failed} when none is left. */
    void markAttemptFailed(String id, Integer statusCode, String error, boolean finalFailure, Instant now) {
        jdbc.sql("""
                update webhook_deliveries set status = :status, last_status_code = :code, last_error = :error,
                    updated_at = :now
                where id = :id and status = 'pending'
                """)
                .param("id", id)
                .param("status", finalFailure ? WebhookDelivery.FAILED : WebhookDelivery.PENDING)
                .param("code", statusCode, java.sql.Types.INTEGER)
                .param("error", error)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** The job gave up on a delivery still pending (it could not run its last attempt to the end). */
    void markFailed(String id, String error, Instant now) {
        jdbc.sql("""
                update webhook_deliveries set status = 'failed', last_error = coalesce(:error, last_error),
                    updated_at = :now
                where id = :id and status = 'pending'
                """)
                .param("id", id)
                .param("error", error)
                .param("now", Timestamp.from(now))
                .update();
    }

    @Override
    public String description() {
        return "webhook signing secrets";
    }

    @Override
    public int sealAgain() {
        int sealed = 0;
        List<Map.Entry<String, String>> rows = jdbc.sql("select id, secret from webhook_subscriptions")
                .query((rs, row) -> Map.entry(rs.getString("id"), rs.getString("secret")))
                .list();
        for (Map.Entry<String, String> row : rows) {
            String stored = row.getValue();
            if (stored.startsWith(SEALED)
                    && box.sealedWithCurrentKey(Base64.getDecoder().decode(stored.substring(SEALED.length())))) {
                continue;
            }
            String clear;
            try {
                clear = secret(row.getKey(), stored);
            } catch (SecretBox.UnreadableException e) {
                continue; // under a key this server lacks: its deliveries fail and say so
            }
            sealed += jdbc.sql("update webhook_subscriptions set secret = :again where id = :id and secret = :before")
                    .param("again", seal(row.getKey(), clear))
                    .param("id", row.getKey())
                    .param("before", stored)
                    .update();
        }
        return sealed;
    }

    private String seal(String id, String secret) {
        return SEALED
                + Base64.getEncoder().encodeToString(box.seal(context(id), secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** The secret in clear, from its stored form. */
    private String secret(String id, String stored) {
        if (!stored.startsWith(SEALED)) {
            return stored;
        }
        byte[] sealed = Base64.getDecoder().decode(stored.substring(SEALED.length()));
        return new String(box.open(context(id), sealed), StandardCharsets.UTF_8);
    }

    private static String context(String id) {
        return "webhook:" + id;
    }

    private static Webhook mapWebhook(ResultSet rs, int row) throws SQLException {
        String[] events = (String[]) rs.getArray("events").getArray();
        return new Webhook(
                rs.getString("id"),
                rs.getString("url"),
                Arrays.asList(events),
                null, // shown only when created; opened only to sign a delivery (startAttempt)
                rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static WebhookDelivery mapDelivery(ResultSet rs, int row) throws SQLException {
        int code = rs.getInt("last_status_code");
        Integer lastStatusCode = rs.wasNull() ? null : code;
        Timestamp deliveredAt = rs.getTimestamp("delivered_at");
        return new WebhookDelivery(
                rs.getString("id"),
                rs.getString("subscription_id"),
                rs.getString("event_id"),
                rs.getString("event_type"),
                rs.getString("payload"),
                rs.getString("status"),
                rs.getInt("attempts"),
                lastStatusCode,
                rs.getString("last_error"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                deliveredAt == null ? null : deliveredAt.toInstant());
    }
}
