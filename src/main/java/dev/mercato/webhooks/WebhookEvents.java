package dev.mercato.webhooks;

import dev.mercato.events.DomainEvents;
import dev.mercato.orders.OrderPlaced;
import dev.mercato.orders.OrderStatusChanged;
import dev.mercato.payments.PaymentFailed;
import dev.mercato.payments.PaymentRefunded;
import dev.mercato.payments.PaymentSucceeded;
import dev.mercato.reports.ReportCompleted;
import dev.mercato.reports.ReportFailed;
import dev.mercato.shared.Money;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns the domain's typed events into the events webhooks publish: the type ({@code order.created}) and the
 * snake_case payload documented in docs/webhooks.md. Listens in the transaction that caused the event, records it
 * in the event log there and queues its deliveries, so the event and its deliveries exist exactly when the change
 * committed: a rolled-back order leaves no event and delivers nothing.
 */
@Component
class WebhookEvents {

    private final DomainEvents log;
    private final WebhookDispatcher dispatcher;

    WebhookEvents(DomainEvents log, WebhookDispatcher dispatcher) {
        this.log = log;
        this.dispatcher = dispatcher;
    }

    @EventListener
    void on(OrderPlaced placed) {
        publish(
                EventType.ORDER_CREATED,
                placed.orderId(),
                order(placed.orderId(), placed.userId(), placed.totalAmount(), placed.currency()));
    }

    @EventListener
    void on(OrderStatusChanged changed) {
        publish(
                EventType.ofOrderStatus(changed.status()),
                changed.orderId(),
                order(changed.orderId(), changed.userId(), changed.totalAmount(), changed.currency()));
    }

    @EventListener
    void on(PaymentSucceeded succeeded) {
        publish(
                EventType.PAYMENT_SUCCEEDED,
                succeeded.paymentId(),
                payment(succeeded.paymentId(), succeeded.orderId(), succeeded.amount(), succeeded.currency()));
    }

    @EventListener
    void on(PaymentFailed failed) {
        Map<String, Object> payload = payment(failed.paymentId(), failed.orderId(), failed.amount(), failed.currency());
        if (failed.declineCode() != null) {
            payload.put("decline_code", failed.declineCode());
        }
        publish(EventType.PAYMENT_FAILED, failed.paymentId(), payload);
    }

    @EventListener
    void on(PaymentRefunded refunded) {
        Map<String, Object> payload =
                payment(refunded.paymentId(), refunded.orderId(), refunded.amount(), refunded.currency());
        payload.put("refund_id", refunded.refundId());
        payload.put("refund_amount", Money.normalize(refunded.refundAmount(), refunded.currency()));
        publish(EventType.PAYMENT_REFUNDED, refunded.paymentId(), payload);
    }

    @EventListener
    void on(ReportCompleted completed) {
        Map<String, Object> payload = report(completed.reportId(), completed.type(), "completed");
        payload.put("row_count", completed.rowCount());
        payload.put("generated_at", completed.generatedAt().toString());
        publish(EventType.REPORT_COMPLETED, completed.reportId(), payload);
    }

    @EventListener
    void on(ReportFailed failed) {
        Map<String, Object> payload = report(failed.reportId(), failed.type(), "failed");
        payload.put("error", failed.error());
        publish(EventType.REPORT_FAILED, failed.reportId(), payload);
    }

    private void publish(EventType type, String aggregateId, Map<String, Object> payload) {
        dispatcher.dispatch(log.record(type.wireName(), aggregateId, payload));
    }

    private static Map<String, Object> order(String orderId, String userId, BigDecimal total, String currency) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("order_id", orderId);
        payload.put("user_id", userId);
        payload.put("total_amount", Money.normalize(total, currency));
        payload.put("currency", currency);
        return payload;
    }

    private static Map<String, Object> payment(String paymentId, String orderId, BigDecimal amount, String currency) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("payment_id", paymentId);
        payload.put("order_id", orderId);
        payload.put("amount", Money.normalize(amount, currency));
        payload.put("currency", currency);
        return payload;
    }

    private static Map<String, Object> report(String reportId, String type, String status) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("report_id", reportId);
        payload.put("type", type);
        payload.put("status", status);
        return payload;
    }
}
