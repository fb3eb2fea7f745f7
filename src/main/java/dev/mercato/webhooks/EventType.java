package dev.mercato.webhooks;

import java.util.Arrays;
import java.util.List;

/**
 * The types of event webhooks carry: the one list that subscriptions are checked against, that the OpenAPI
 * documents publish, and that every recorded event's type comes from.
 */
enum EventType {
    ORDER_CREATED("order.created"),
    ORDER_PAID("order.paid"),
    ORDER_SHIPPED("order.shipped"),
    ORDER_DELIVERED("order.delivered"),
    ORDER_CANCELLED("order.cancelled"),
    PAYMENT_SUCCEEDED("payment.succeeded"),
    PAYMENT_FAILED("payment.failed"),
    PAYMENT_REFUNDED("payment.refunded"),
    PAYMENT_REFUND_FAILED("payment.refund_failed"),
    PAYMENT_DISPUTED("payment.disputed"),
    PAYMENT_DISPUTE_CLOSED("payment.dispute_closed"),
    REPORT_COMPLETED("report.completed"),
    REPORT_FAILED("report.failed");

    /** What a subscription names to receive every type. */
    static final String ALL = "*";

    /**
     * The event sent to one subscription when asked for ({@code POST /v2/webhooks/{id}/test}), whatever it subscribes
     * to; no subscription names it.
     */
    static final String TEST = "webhook.test";

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static List<String> wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).toList();
    }

    /** The type of an order's move to {@code status} ({@code paid}, {@code shipped}, ...). */
    static EventType ofOrderStatus(String status) {
        return Arrays.stream(values())
                .filter(type -> type.wireName.equals("order." + status))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No event type for order status " + status));
    }
}
