package dev.mercato.payments;

import static dev.mercato.shared.SqlValues.instant;
import static dev.mercato.shared.SqlValues.timestamp;

import dev.mercato.shared.Money;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class PaymentRepository extends SettlingRepository<Payment> {

    private static final String COLUMNS = "id, order_id, amount, currency, status, payment_method_id, processor, "
            + "processor_reference, decline_code, failure_message, refunded_amount, attempts, created_at, updated_at, "
            + "dispute_id, dispute_status, dispute_reason, disputed_amount";

    PaymentRepository(JdbcClient jdbc) {
        super(jdbc, "payments", Payment.PROCESSING, "decline_code");
    }

    void insert(Payment payment, RequestKey key) {
        jdbc.sql("""
                insert into payments (id, order_id, amount, currency, status, payment_method_id, processor,
                    attempts, created_at, updated_at, request_credential, request_key)
                values (:id, :orderId, :amount, :currency, :status, :method, :processor, 1, :now, :now,
                    :credential, :key)
                """)
                .param("id", payment.id())
                .param("orderId", payment.orderId())
                .param("amount", payment.amount())
                .param("currency", payment.currency())
                .param("status", payment.status())
                .param("method", payment.paymentMethodId())
                .param("processor", payment.processor())
                .param("now", timestamp(payment.createdAt()))
                .param("credential", key == null ? null : key.credentialId())
                .param("key", key == null ? null : key.key())
                .update();
    }

    /** The newest payment started since {@code since} by a request with this Idempotency-Key. */
    Optional<Payment> findByRequestKey(RequestKey key, Instant since) {
        return jdbc.sql("select " + COLUMNS + " from payments where request_credential = :credential "
                        + "and request_key = :key and created_at > :since order by created_at desc limit 1")
                .param("credential", key.credentialId())
                .param("key", key.key())
                .param("since", timestamp(since))
                .query(PaymentRepository::map)
                .optional();
    }

    @Override
    Optional<Payment> findById(String id) {
        return jdbc.sql("select " + COLUMNS + " from payments where id = :id")
                .param("id", id)
                .query(PaymentRepository::map)
                .optional();
    }

    Optional<Payment> findByIdForUpdate(String id) {
        return jdbc.sql("select " + COLUMNS + " from payments where id = :id for update")
                .param("id", id)
                .query(PaymentRepository::map)
                .optional();
    }

    /** The order's processing or succeeded payment, if any (there is at most one). */
    Optional<Payment> findLive(String orderId) {
        return jdbc.sql("select " + COLUMNS + " from payments where order_id = :orderId "
                        + "and status in ('processing', 'succeeded')")
                .param("orderId", orderId)
                .query(PaymentRepository::map)
                .optional();
    }

    Page<Payment> find(String orderId, PageParams page) {
        return find(orderId, null, page);
    }

    /** Payments of one order, or (when {@code orderIds} is not null) of those orders only, or all. */
    Page<Payment> find(String orderId, List<String> orderIds, PageParams page) {
        Map<String, Object> params = new HashMap<>();
        String from = "from payments";
        if (orderId != null) {
            from += " where order_id = :orderId";
            params.put("orderId", orderId);
        } else if (orderIds != null) {
            from += " where order_id = any(:orderIds)";
            params.put("orderIds", orderIds.toArray(String[]::new));
        }
        return SqlPaging.page(jdbc, COLUMNS, from, "created_at desc, id desc", params, PaymentRepository::map, page);
    }

    /** Adds a succeeded refund to what the payment has given back (never above what it captured: a check holds it). */
    /** The payment the processor knows as {@code reference} (a Stripe PaymentIntent id). */
    Optional<Payment> findByReference(String processor, String reference) {
        return jdbc.sql("select " + COLUMNS + " from payments where processor = :processor "
                        + "and processor_reference = :reference")
                .param("processor", processor)
                .param("reference", reference)
                .query(PaymentRepository::map)
                .optional();
    }

    /** Records the payment's dispute as it stands; false when it already stood so (nothing changed). */
    boolean recordDispute(String id, Payment.Dispute dispute) {
        return jdbc.sql(
                                "update payments set dispute_id = :disputeId, dispute_status = :status, "
                                        + "dispute_reason = :reason, disputed_amount = :amount, updated_at = now() "
                                        + "where id = :id and (dispute_id, dispute_status) is distinct from (:disputeId, :status)")
                        .param("id", id)
                        .param("disputeId", dispute.id())
                        .param("status", dispute.status())
                        .param("reason", dispute.reason())
                        .param("amount", dispute.amount())
                        .update()
                == 1;
    }

    void addRefunded(String id, BigDecimal amount) {
        jdbc.sql("update payments set refunded_amount = refunded_amount + :amount, updated_at = now() where id = :id")
                .param("id", id)
                .param("amount", amount)
                .update();
    }

    private static Payment map(ResultSet rs, int row) throws SQLException {
        String currency = rs.getString("currency");
        return new Payment(
                rs.getString("id"),
                rs.getString("order_id"),
                Money.normalize(rs.getBigDecimal("amount"), currency),
                currency,
                rs.getString("status"),
                rs.getString("payment_method_id"),
                rs.getString("processor"),
                rs.getString("processor_reference"),
                rs.getString("decline_code"),
                rs.getString("failure_message"),
                Money.normalize(rs.getBigDecimal("refunded_amount"), currency),
                rs.getInt("attempts"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                rs.getString("dispute_id") == null
                        ? null
                        : new Payment.Dispute(
                                rs.getString("dispute_id"),
                                rs.getString("dispute_status"),
                                rs.getString("dispute_reason"),
                                Money.normalize(rs.getBigDecimal("disputed_amount"), currency)));
    }
}
