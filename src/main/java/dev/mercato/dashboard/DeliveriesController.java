package dev.mercato.dashboard;

import dev.mercato.notifications.Notification;
import dev.mercato.notifications.NotificationService;
import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.webhooks.Webhook;
import dev.mercato.webhooks.WebhookDelivery;
import dev.mercato.webhooks.WebhookService;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deliveries page: webhook deliveries (with {@code integrations:read}) and notifications (with
 * {@code notifications:write}, the scope their API needs), each a table filtered by status, each row with a page of
 * its own showing what was sent; retrying one that has not arrived, and sending a subscription a test event (with
 * {@code integrations:write}). The shop's, not per developer. Retries and tests go through the modules' services,
 * and so through the same delivery jobs as the API's.
 */
@Hidden
@Controller
@DashboardPage
@RequestMapping(DeliveriesController.PATH)
class DeliveriesController {

    static final String PATH = "/dashboard/deliveries";
    static final int PAGE_SIZE = 20;

    private final WebhookService webhooks;
    private final NotificationService notifications;
    private final JsonMapper json;

    DeliveriesController(WebhookService webhooks, NotificationService notifications, JsonMapper json) {
        this.webhooks = webhooks;
        this.notifications = notifications;
        this.json = json;
    }

    /** The page's query: each table's status filter (null: all) and offset. */
    record Query(String webhookStatus, int webhookOffset, String notificationStatus, int notificationOffset) {

        /** This page's address with one table moved to another offset, the other table left as it is. */
        String withWebhookOffset(int offset) {
            return new Query(webhookStatus, offset, notificationStatus, notificationOffset).link();
        }

        String withNotificationOffset(int offset) {
            return new Query(webhookStatus, webhookOffset, notificationStatus, offset).link();
        }

        private String link() {
            UriComponentsBuilder link = UriComponentsBuilder.fromPath(PATH);
            if (webhookStatus != null) {
                link.queryParam("webhookStatus", webhookStatus);
            }
            if (webhookOffset > 0) {
                link.queryParam("webhookOffset", webhookOffset);
            }
            if (notificationStatus != null) {
                link.queryParam("notificationStatus", notificationStatus);
            }
            if (notificationOffset > 0) {
                link.queryParam("notificationOffset", notificationOffset);
            }
            return link.build().toUriString();
        }
    }

    /**
     * One page of a table: its rows, the filter, and the links to the newer and older pages (null when there are
     * none).
     */
    record Listing<T>(List<T> rows, long total, int offset, String status, String newer, String older) {

        static <T> Listing<T> of(Page<T> page, int offset, String status, IntFunction<String> at) {
            return new Listing<>(
                    page.items(),
                    page.total(),
                    offset,
                    status,
                    offset > 0 ? at.apply(Math.max(0, offset - PAGE_SIZE)) : null,
                    offset + page.items().size() < page.total() ? at.apply(offset + PAGE_SIZE) : null);
        }

        public long first() {
            return rows.isEmpty() ? 0 : offset + 1;
        }

        public long last() {
            return offset + rows.size();
        }
    }

    @GetMapping
    String list(
            @AuthenticationPrincipal Caller caller,
            @RequestParam(required = false) String webhookStatus,
            @RequestParam(required = false) String webhookOffset,
            @RequestParam(required = false) String notificationStatus,
            @RequestParam(required = false) String notificationOffset,
            Model model) {
        boolean seesWebhooks = caller.has(Scope.INTEGRATIONS_READ);
        boolean seesNotifications = caller.has(Scope.NOTIFICATIONS_WRITE);
        if (!seesWebhooks && !seesNotifications) {
            throw new ForbiddenException(
                    "INSUFFICIENT_SCOPE",
                    "This page needs the 'integrations:read' scope (webhook deliveries) or the 'notifications:write' "
                            + "scope (notifications), and you hold neither. Ask the admin for them.",
                    Scope.INTEGRATIONS_READ.value());
        }
        Query query = new Query(
                status("webhookStatus", webhookStatus, WebhookDelivery.STATUSES),
                offset("webhookOffset", webhookOffset),
                status("notificationStatus", notificationStatus, Notification.STATUSES),
                offset("notificationOffset", notificationOffset));
        if (seesWebhooks) {
            Page<WebhookDelivery> page = webhooks.allDeliveries(
                    caller, query.webhookStatus(), PageParams.of(PAGE_SIZE, query.webhookOffset()));
            model.addAttribute(
                    "webhooks",
                    Listing.of(page, query.webhookOffset(), query.webhookStatus(), query::withWebhookOffset));
            model.addAttribute("subscriptions", subscriptionsOf(caller, page.items()));
            model.addAttribute("webhookStatuses", WebhookDelivery.STATUSES);
        }
        if (seesWebhooks && caller.has(Scope.INTEGRATIONS_WRITE)) {
            model.addAttribute(
                    "testable",
                    webhooks.list(caller, PageParams.of(PageParams.MAX_LIMIT, 0))
                            .items());
        }
        if (seesNotifications) {
            Page<Notification> page = notifications.list(
                    caller, null, query.notificationStatus(), PageParams.of(PAGE_SIZE, query.notificationOffset()));
            model.addAttribute(
                    "notifications",
                    Listing.of(
                            page,
                            query.notificationOffset(),
                            query.notificationStatus(),
                            query::withNotificationOffset));
            model.addAttribute("notificationStatuses", Notification.STATUSES);
        }
        return "dashboard/deliveries";
    }

    @GetMapping("/webhooks/{id}")
    String webhookDelivery(@AuthenticationPrincipal Caller caller, @PathVariable String id, Model model) {
        DashboardPages.require(caller, Scope.INTEGRATIONS_READ);
        WebhookDelivery delivery = webhooks.delivery(caller, id);
        model.addAttribute("delivery", delivery);
        model.addAttribute("subscription", webhooks.get(caller, delivery.subscriptionId()));
        model.addAttribute("body", pretty(delivery.payload()));
        model.addAttribute("mayRetry", delivery.retryable() && caller.has(Scope.INTEGRATIONS_WRITE));
        return "dashboard/webhook-delivery";
    }

    @PostMapping("/webhooks/{id}/retry")
    String retryWebhookDelivery(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, RedirectAttributes flash) {
        DashboardPages.require(caller, Scope.INTEGRATIONS_WRITE);
        return retried(() -> webhooks.retry(caller, id), PATH + "/webhooks/" + id, flash);
    }

    @PostMapping("/webhooks/test")
    String sendTestEvent(
            @AuthenticationPrincipal Caller caller,
            @RequestParam(required = false) String subscription,
            RedirectAttributes flash) {
        DashboardPages.require(caller, Scope.INTEGRATIONS_WRITE);
        if (subscription == null || subscription.isBlank()) {
            throw FormFields.invalid("subscription", "Pick the subscription to send the test event to.");
        }
        WebhookDelivery delivery = webhooks.sendTest(caller, subscription.strip());
        flash.addFlashAttribute(
                "done", "A webhook.test event is on its way: this page shows its delivery. Refresh to follow it.");
        return "redirect:" + PATH + "/webhooks/" + delivery.id();
    }

    @GetMapping("/notifications/{id}")
    String notification(@AuthenticationPrincipal Caller caller, @PathVariable String id, Model model) {
        DashboardPages.require(caller, Scope.NOTIFICATIONS_WRITE);
        Notification notification = notifications.get(caller, id);
        model.addAttribute("notification", notification);
        model.addAttribute("mayRetry", notification.retryable());
        return "dashboard/notification";
    }

    @PostMapping("/notifications/{id}/retry")
    String retryNotification(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, RedirectAttributes flash) {
        DashboardPages.require(caller, Scope.NOTIFICATIONS_WRITE);
        return retried(() -> notifications.retry(caller, id), PATH + "/notifications/" + id, flash);
    }

    /**
     * Retries, then back to the page, which says that an attempt is due, or why there is none (one that arrived in
     * the meantime, say): a refusal of the retry is the page's news, not an error page.
     */
    private static String retried(Runnable retry, String page, RedirectAttributes flash) {
        try {
            retry.run();
            flash.addFlashAttribute("done", "An attempt is due now: this page shows its outcome once it is made.");
        } catch (ConflictException refused) {
            flash.addFlashAttribute("problem", refused.getMessage());
        }
        return "redirect:" + page;
    }

    /** The subscriptions of a page of deliveries, by id, in one query. */
    private Map<String, Webhook> subscriptionsOf(Caller caller, List<WebhookDelivery> deliveries) {
        return webhooks.findAll(
                caller,
                deliveries.stream()
                        .map(WebhookDelivery::subscriptionId)
                        .distinct()
                        .toList());
    }

    /** The body as sent, indented for reading; as it is when it is not JSON. */
    private String pretty(String payload) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(payload));
        } catch (JacksonException notJson) {
            return payload;
        }
    }

    /** A status filter: one of {@code statuses}, or null (blank) for all. */
    private static String status(String field, String value, List<String> statuses) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!statuses.contains(value)) {
            throw InvalidRequestException.field(
                    field, "There is no status '" + value + "'; the statuses are " + String.join(", ", statuses) + ".");
        }
        return value;
    }

    private static int offset(String field, String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(value.strip());
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw InvalidRequestException.field(field, "The offset must be a whole number, 0 or more.");
    }
}
