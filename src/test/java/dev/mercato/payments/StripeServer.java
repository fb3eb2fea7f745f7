package dev.mercato.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import dev.mercato.support.Api;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import dev.mercato.support.ServerProcesses;
import dev.mercato.support.TestProviders;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A Mercato server process started as a merchant runs Stripe ({@code mercato.payments.processor=stripe}), its Stripe
 * API at a {@link StripeStandIn}, on the test server's database; what the tests ask of it over HTTP, and its
 * reconciliation jobs made due in the shared job table as if their retry delay had passed ({@link #retryNow}). Its
 * retry delay is longer than any test, so that no job runs on its own in the middle of one.
 */
final class StripeServer {

    static final int MAX_ATTEMPTS = 8;
    /** How long the server waits for Stripe's answer (its read timeout); a slower answer is no answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(4);
    /** How long after the last call an intent or refund that Stripe does not show is taken as never made. */
    static final Duration SEARCH_LAG = Duration.ofMinutes(10);

    /** A payment, by its id and its order's. */
    record OrderPayment(String id, String orderId) {}

    final StripeStandIn stripe = new StripeStandIn();
    private final ServerProcesses processes;
    private final JdbcClient jdbc;
    Api api;

    StripeServer(DataSource dataSource) {
        this.processes = new ServerProcesses(dataSource);
        this.jdbc = JdbcClient.create(dataSource);
    }

    void start() throws Exception {
        stripe.start();
        int port = processes
                .start(
                        "stripe",
                        Map.ofEntries(
                                Map.entry("MERCATO_PAYMENTS_PROCESSOR", "stripe"),
                                Map.entry("MERCATO_PAYMENTS_STRIPE_API_KEY", "sk_test_e2e"),
                                Map.entry("MERCATO_PAYMENTS_STRIPE_API_BASE", stripe.baseUrl()),
                                Map.entry("MERCATO_PAYMENTS_STRIPE_TIMEOUT", TIMEOUT.toSeconds() + "s"),
                                Map.entry("MERCATO_PAYMENTS_RETRY_DELAY", "10m"),
                                Map.entry("MERCATO_PAYMENTS_MAX_ATTEMPTS", String.valueOf(MAX_ATTEMPTS)),
                                Map.entry("MERCATO_PAYMENTS_STRIPE_SEARCH_LAG", SEARCH_LAG.toMinutes() + "m"),
                                Map.entry(
                                        "MERCATO_PAYMENTS_STRIPE_WEBHOOK_SECRET", ApiTestSupport.STRIPE_WEBHOOK_SECRET),
                                // The test server's mail server: its engine also takes the emails these payments
                                // cause, and delivers them rather than failing them for want of a provider.
                                Map.entry("SPRING_MAIL_HOST", "127.0.0.1"),
                                Map.entry(
                                        "SPRING_MAIL_PORT",
                                        String.valueOf(
                                                TestProviders.SMTP.getSmtp().getPort()))))
                .port();
        api = Api.forPort(port);
    }

    /** Stops the server and the stand-in, also after a start that failed half-way. */
    void stop() throws InterruptedException {
        processes.stopAll();
        stripe.stop();
    }

    // ---- over HTTP ----

    static String payBody(String orderId) {
        return """
                {"order_id": "%s", "payment_method_id": "pm_card_visa", "amount": 25.00, "currency": "USD"}""".formatted(orderId);
    }

    /** The payment or refund that a 502 {@code PAYMENT_PROCESSOR_UNAVAILABLE} names: its outcome is not known. */
    static String unsettled(Response response) {
        return response.expectError(502, "PAYMENT_PROCESSOR_UNAVAILABLE")
                .get("details")
                .asString();
    }

    Api.Call paying(String orderId) {
        return api.post("/v2/payments", payBody(orderId)).asAdmin();
    }

    Response pay(String orderId) {
        return paying(orderId).send();
    }

    Response refund(OrderPayment payment, String body) {
        return refunding(payment, body).send();
    }

    Response refund(OrderPayment payment, String body, String idempotencyKey) {
        return refunding(payment, body)
                .header("Idempotency-Key", idempotencyKey)
                .send();
    }

    private Api.Call refunding(OrderPayment payment, String body) {
        return api.post("/v2/payments/" + payment.id() + "/refunds", body).asAdmin();
    }

    Response changeStatus(String orderId, String status) {
        return api.patch("/v2/orders/" + orderId, "{\"status\": \"" + status + "\"}")
                .asAdmin()
                .send();
    }

    Response cancel(String orderId) {
        return changeStatus(orderId, "cancelled");
    }

    JsonNode payment(OrderPayment payment) {
        return read("/v2/payments/" + payment.id());
    }

    BigDecimal refundedAmount(OrderPayment payment) {
        return payment(payment).get("refunded_amount").decimalValue();
    }

    JsonNode refundsOf(OrderPayment payment) {
        return read("/v2/payments/" + payment.id() + "/refunds");
    }

    JsonNode onlyPaymentOf(String orderId) {
        JsonNode all = read("/v2/payments?order_id=" + orderId);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    String orderStatus(String orderId) {
        return read("/v2/orders/" + orderId).get("status").asString();
    }

    private JsonNode read(String path) {
        return api.get(path).asAdmin().send().expect(200).json();
    }

    /** Database connections the server has taken from its pool, as its metrics report them now. */
    double activeConnections() {
        List<Double> active = api.get("/metrics")
                .asAdmin()
                .unvalidated()
                .send()
                .expect(200)
                .body()
                .lines()
                .filter(line -> line.startsWith("hikaricp_connections_active{"))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .toList();
        assertThat(active).as("the pool's gauge").isNotEmpty();
        return active.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Waits until Stripe has received {@code count} POSTs to {@code path} (their answers may still be on the way). */
    void awaitRequests(String path, int count) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> stripe.count(RequestMethod.POST, path) >= count);
        assertThat(stripe.count(RequestMethod.POST, path)).isEqualTo(count);
    }

    // ---- what the API does not show, as recorded ----

    /** The PaymentIntent's id kept on the payment. */
    String intentOf(OrderPayment payment) {
        return column("payments", "processor_reference", payment.id(), String.class);
    }

    /** Stripe's refund id kept on the refund. */
    String referenceOfRefund(String refundId) {
        return column("refunds", "processor_reference", refundId, String.class);
    }

    int attempts(OrderPayment payment) {
        return column("payments", "attempts", payment.id(), Integer.class);
    }

    private <T> T column(String table, String column, String id, Class<T> type) {
        return jdbc.sql("select " + column + " from " + table + " where id = :id")
                .param("id", id)
                .query(type)
                .single();
    }

    // ---- time, as the server's job engine sees it ----

    /** As if the retry delay had passed: the server runs the payment's reconciliation job, its next attempt. */
    void retryNow(OrderPayment payment) {
        runJobNow(PaymentReconciler.PAYMENTS, "payments", payment.id());
    }

    /** The refund's reconciliation job's next attempt, as if its retry delay had passed. */
    void retryRefundNow(String refundId) {
        runJobNow(PaymentReconciler.REFUNDS, "refunds", refundId);
    }

    /** The attempt after which an unknown outcome is given up. */
    void lastAttempt(OrderPayment payment) {
        setAttempts(payment, MAX_ATTEMPTS - 1);
        retryNow(payment);
        assertThat(attempts(payment)).isEqualTo(MAX_ATTEMPTS);
    }

    void setAttempts(OrderPayment payment, int attempts) {
        jdbc.sql("update payments set attempts = :attempts where id = :id")
                .param("attempts", attempts)
                .param("id", payment.id())
                .update();
    }

    /** As if the search lag had passed since the last call about the payment. */
    void searchLagPassed(OrderPayment payment) {
        searchLagPassed("payments", payment.id());
    }

    /** As if the search lag had passed since the last call about the refund. */
    void refundSearchLagPassed(String refundId) {
        searchLagPassed("refunds", refundId);
    }

    private void searchLagPassed(String table, String id) {
        jdbc.sql("update " + table + " set updated_at = now() - :minutes * interval '1 minute' where id = :id")
                .param("minutes", SEARCH_LAG.toMinutes() + 1)
                .param("id", id)
                .update();
    }

    /**
     * Makes the row's job due now and waits until the server's engine (polling every 100 ms) has run it once: one more
     * attempt counted on the row, and the job no longer running (gone once settled, else put off again).
     */
    private void runJobNow(TaskDescriptor<Void> task, String table, String id) {
        int before = column(table, "attempts", id, Integer.class);
        int due = jdbc.sql("update scheduled_tasks set execution_time = now() "
                        + "where task_name = :task and task_instance = :id and not picked")
                .param("task", task.getTaskName())
                .param("id", id)
                .update();
        assertThat(due).as("the pending %s job of %s", task.getTaskName(), id).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> column(table, "attempts", id, Integer.class) > before && !running(task, id));
    }

    private boolean running(TaskDescriptor<Void> task, String id) {
        return jdbc.sql("select count(*) from scheduled_tasks "
                                + "where task_name = :task and task_instance = :id and picked")
                        .param("task", task.getTaskName())
                        .param("id", id)
                        .query(Long.class)
                        .single()
                > 0;
    }
}
