package dev.mercato.payments;

import static dev.mercato.shared.SqlValues.instant;
import static dev.mercato.shared.SqlValues.timestamp;

import dev.mercato.shared.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class RefundRepository extends SettlingRepository<Refund> {

    /** A refund with its payment's currency (refunds are always in it). */
    private static final String SELECT = "select r.id, r.payment_id, r.amount, p.currency, r.reason, r.status, "
            + "r.failure_code, r.failure_message, r.processor_reference, r.cancels_order, r.attempts, r.created_at, "
            + "r.updated_at from refunds r join payments p on p.id = r.payment_id ";

    RefundRepository(JdbcClient jdbc) {
        super(jdbc, "refunds", Refund.PENDING, "failure_code");
    }

    void insert(Refund refund, RequestKey key) {
        jdbc.sql("""
                insert into refunds (id, payment_id, amount, reason, status, cancels_order, attempts,
                    created_at, updated_at, request_credential, request_key)
                values (:id, :paymentId, :amount, :reason, :status, :cancelsOrder, 1, :now, :now,
                    :credential, :key)
                """)
                .param("id", refund.id())
                .param("paymentId", refund.paymentId())
                .param("amount", refund.amount())
                .param("reason", refund.reason())
                .param("status", refund.status())
                .param("cancelsOrder", refund.cancelsOrder())
                .param("now", timestamp(refund.createdAt()))
                .param("credential", key == null ? null : key.credentialId())
                .param("key", key == null ? null : key.key())
                .update();
    }

    @Override
    Optional<Refund> findById(String id) {
        return jdbc.sql(SELECT + "where r.id = :id")
                .param("id", id)
                .query(RefundRepository::map)
                .optional();
    }

    /** The refund the processor knows as {@code reference} (a Stripe refund id). */
    Optional<Refund> findByReference(String reference) {
        return jdbc.sql(SELECT + "where r.processor_reference = :reference")
                .param("reference", reference)
                .query(RefundRepository::map)
                .optional();
    }

    /**
     * A refund the processor had accepted, failed after all (Stripe fails some refunds days later, such as to a
     * closed card account); false when it was not a succeeded refund.
     */
    boolean failAfterSuccess(String id, String code, String message) {
        return jdbc.sql("update refunds set status = 'failed', failure_code = :code, failure_message = :message, "
                                + "updated_at = now() where id = :id and status = 'succeeded'")
                        .param("id", id)
                        .param("code", code)
                        .param("message", message)
                        .update()
                == 1;
    }

    /** The payment's refund in flight, if any (there is at most one). */
    Optional<Refund> findPending(String paymentId) {
        return jdbc.sql(SELECT + "where r.payment_id = :paymentId and r.status = 'pending'")
                .param("paymentId", paymentId)
                .query(RefundRepository::map)
                .optional();
    }

    /** The newest refund asked for since {@code since} by a request with this Idempotency-Key. */
    Optional<Refund> findByRequestKey(RequestKey key, Instant since) {
        return jdbc.sql(SELECT + "where r.request_credential = :credential and r.request_key = :key "
                        + "and r.created_at > :since order by r.created_at desc limit 1")
                .param("credential", key.credentialId())
                .param("key", key.key())
                .param("since", timestamp(since))
                .query(RefundRepository::map)
                .optional();
    }

    List<Refund> refundsOf(String paymentId) {
        return jdbc.sql(SELECT + "where r.payment_id = :paymentId order by r.created_at, r.id")
                .param("paymentId", paymentId)
                .query(RefundRepository::map)
                .list();
    }

    private static Refund map(ResultSet rs, int row) throws SQLException {
        String currency = rs.getString("currency");
        return new Refund(
                rs.getString("id"),
                rs.getString("payment_id"),
                Money.normalize(rs.getBigDecimal("amount"), currency),
                currency,
                rs.getString("reason"),
                rs.getString("status"),
                rs.getString("failure_code"),
                rs.getString("failure_message"),
                rs.getString("processor_reference"),
                rs.getBoolean("cancels_order"),
                rs.getInt("attempts"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
