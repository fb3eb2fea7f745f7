package dev.mercato.notifications;

import dev.mercato.orders.OrderPlaced;
import dev.mercato.orders.OrderService;
import dev.mercato.payments.PaymentSucceeded;
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

    OrderEmails(
            NotificationService notifications,
            EmailChannel email,
            OrderService orders,
            NotificationsProperties properties) {
        this.notifications = notifications;
        this.email = email;
        this.orders = orders;
        this.enabled = properties.orderEmails();
    }

    @EventListener
    void on(OrderPlaced placed) {
        if (sending()) {
            notifications.sendEmailIfPossible(
                    placed.userId(),
                    "Order " + placed.orderId() + " confirmed",
                    "Thank you for your order " + placed.orderId() + ".\n\nTotal: " + placed.totalAmount() + " "
                            + placed.currency() + ".\n\nWe will let you know when it ships.",
                    "order.created");
        }
    }

    @EventListener
    void on(PaymentSucceeded paid) {
        if (sending()) {
            orders.ownerOf(paid.orderId())
                    .ifPresent(userId -> notifications.sendEmailIfPossible(
                            userId,
                            "Receipt for order " + paid.orderId(),
                            "We received your payment of " + paid.amount() + " "
                                    + paid.currency() + " for order " + paid.orderId() + ".\n\nPayment: "
                                    + paid.paymentId()
                                    + ".",
                            "payment.succeeded"));
        }
    }

    private boolean sending() {
        return enabled && email.unavailableReason().isEmpty();
    }
}
