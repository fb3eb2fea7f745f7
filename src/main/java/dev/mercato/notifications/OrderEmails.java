package dev.mercato.notifications;

import dev.mercato.events.DomainEvent;
import dev.mercato.orders.OrderService;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Emails a customer an order confirmation ({@code order.created}) and a payment receipt
 * ({@code payment.succeeded}) when email is configured and {@code mercato.notifications.order-emails} is on.
 * Runs in the transaction that records the event, so the email is queued exactly when the order or payment
 * commits (a rolled-back order sends nothing).
 */
@Component
class OrderEmails {

    private final NotificationService notifications;
    private final EmailChannel email;
    private final OrderService orders;
    private final boolean enabled;

    OrderEmails(NotificationService notifications, EmailChannel email, OrderService orders,
            NotificationsProperties properties) {
        this.notifications = notifications;
        this.email = email;
        this.orders = orders;
        this.enabled = properties.orderEmails();
    }

    @EventListener
    void on(DomainEvent event) {
        if (!enabled || email.unavailableReason().isPresent()) {
            return;
        }
        Map<String, Object> data = event.payload();
        switch (event.type()) {
            case "order.created" -> notifications.sendEmailIfPossible(String.valueOf(data.get("user_id")),
                    "Order " + data.get("order_id") + " confirmed",
                    "Thank you for your order " + data.get("order_id") + ".\n\nTotal: " + data.get("total_amount")
                            + " " + data.get("currency") + ".\n\nWe will let you know when it ships.",
                    event.type());
            case "payment.succeeded" -> orders.ownerOf(String.valueOf(data.get("order_id"))).ifPresent(userId ->
                    notifications.sendEmailIfPossible(userId, "Receipt for order " + data.get("order_id"),
                            "We received your payment of " + data.get("amount") + " " + data.get("currency")
                                    + " for order " + data.get("order_id") + ".\n\nPayment: " + data.get("payment_id")
                                    + ".", event.type()));
            default -> {
                // Other events send no email.
            }
        }
    }
}
