package dev.mercato.notifications;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.mercato.support.TestProviders.HTTP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Orders;
import dev.mercato.support.OtherServer;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The background workers under the conditions they exist for: two servers sharing the queue, a server dying
 * mid-delivery, a server down while work piles up, priorities, and the emails orders and payments send.
 */
class NotificationWorkersIT extends ApiTestSupport {

    private static final String PUSH = "/push";

    @Autowired
    Scheduler scheduler;

    @Autowired
    NotificationDelivery delivery;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    private Scheduler nodeB;

    @BeforeEach
    void gateway() {
        HTTP.resetAll();
        HTTP.stubFor(post(urlEqualTo(PUSH)).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void restore() {
        scheduler.resume();
        if (nodeB != null) {
            nodeB.stop();
        }
    }

    @Test
    void twoServersDeliverFiveHundredNotificationsEachExactlyOnce() {
        AtomicInteger ranOnB = new AtomicInteger();
        // Node B: another server's job engine over the same database, running the same delivery code.
        nodeB = OtherServer.jobEngine(
                dataSource, Tasks.oneTime(NotificationJobs.DELIVERY).execute((instance, context) -> {
                    ranOnB.incrementAndGet();
                    delivery.deliver(instance.getId());
                }));
        nodeB.start();
        String user = aUser().withoutEmail().create();

        List<String> ids = IntStream.range(0, 500)
                .parallel()
                .mapToObj(i -> sendPush(user, "bulk " + i, "normal"))
                .toList();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jdbc.sql("select count(*) from notifications where user_id = ? and status = 'sent'")
                                .param(user)
                                .query(Long.class)
                                .single()
                        == 500);
        assertThat(jdbc.sql("select count(*) from notifications where user_id = ? and attempts = 1")
                        .param(user)
                        .query(Long.class)
                        .single())
                .as("no notification attempted twice")
                .isEqualTo(500);
        List<String> delivered = HTTP.getAllServeEvents().stream()
                .map(event -> event.getRequest().getHeader("Idempotency-Key"))
                .toList();
        assertThat(delivered).hasSize(500).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(ranOnB.get()).as("both servers took part").isBetween(1, 499);
    }

    @Test
    void aJobWhoseServerDiedMidDeliveryIsRunAgain() {
        String user = aUser().withoutEmail().create();
        scheduler.pause();
        String id = sendPush(user, "interrupted", "normal");
        // What a server killed while sending leaves behind: the job claimed by it, its heartbeat long stopped,
        // the notification mid-attempt.
        jdbc.sql("""
                update scheduled_tasks set picked = true, picked_by = 'crashed-node',
                    last_heartbeat = now() - interval '1 hour'
                where task_name = 'notification-delivery' and task_instance = ?""").param(id).update();
        jdbc.sql("update notifications set status = 'sending', attempts = 1 where id = ?")
                .param(id)
                .update();

        scheduler.resume();

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("sent"));
        assertThat(jdbc.sql("select attempts from notifications where id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
        HTTP.verify(1, postRequestedFor(urlEqualTo(PUSH)));
    }

    @Test
    void notificationsQueuedWhileNoServerRunsJobsAreAllDeliveredWhenOneDoes() throws Exception {
        String user = aUser().withoutEmail().create();
        scheduler.pause();
        List<String> ids = IntStream.range(0, 20)
                .mapToObj(i -> sendPush(user, "while down " + i, "normal"))
                .toList();
        Thread.sleep(500);
        assertThat(HTTP.getAllServeEvents())
                .as("nothing runs while the workers are down")
                .isEmpty();

        scheduler.resume();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> ids.stream().allMatch(id -> status(id).equals("sent")));
        HTTP.verify(20, postRequestedFor(urlEqualTo(PUSH)));
    }

    @Test
    void highPriorityJumpsTheQueue() {
        HTTP.resetAll();
        HTTP.stubFor(
                post(urlEqualTo(PUSH)).willReturn(aResponse().withStatus(200).withFixedDelay(200)));
        String user = aUser().withoutEmail().create();
        scheduler.pause();
        List<String> low = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            low.add(sendPush(user, "low " + i, "low"));
        }
        String high = sendPush(user, "urgent", "high");

        scheduler.resume();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> HTTP.getAllServeEvents().size() == 25);
        List<String> order = HTTP.getAllServeEvents().stream()
                .sorted(Comparator.comparing(event -> event.getRequest().getLoggedDate()))
                .map(ServeEvent::getRequest)
                .map(request -> request.getHeader("Idempotency-Key"))
                .toList();
        // Queued last, it is in the first batch a worker claims (8 at a time), not behind the 24 older ones.
        assertThat(order.indexOf(high)).isLessThan(8);
        assertThat(order.indexOf(low.get(23))).isGreaterThan(order.indexOf(high));
    }

    @Test
    void anOrderAndItsPaymentEmailTheCustomer() throws Exception {
        String email = NotificationsIT.unique() + "@example.com";
        String user = aUser().withEmail(email).create();
        String product = aProduct().priced("12.50", "USD").withStock(3).create();

        String order = api.post("/orders", Orders.v1Body(user, product, 2))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
        api.post("/payments", """
                {"orderId": "%s", "paymentMethodId": "pm_card_visa", "amount": 25.00, "currency": "USD"}""".formatted(order)).asAdmin().send().expect(200);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> NotificationsIT.messagesTo(email).size() == 2);
        List<String> subjects = new ArrayList<>();
        for (MimeMessage message : NotificationsIT.messagesTo(email)) {
            subjects.add(message.getSubject());
        }
        assertThat(subjects).containsExactlyInAnyOrder("Order " + order + " confirmed", "Receipt for order " + order);
        assertThat(jdbc.sql("select source from notifications where user_id = ? order by created_at")
                        .param(user)
                        .query(String.class)
                        .list())
                .containsExactly("order.created", "payment.succeeded");
    }

    @Test
    void anOrderThatRollsBackSendsNothing() throws Exception {
        String email = NotificationsIT.unique() + "@example.com";
        String user = aUser().withEmail(email).create();
        String product = aProduct().priced("1.00", "USD").withStock(1).create();

        api.post("/orders", Orders.v1Body(user, product, 2)).asAdmin().send().expectError(409, "INSUFFICIENT_STOCK");

        Thread.sleep(500);
        assertThat(jdbc.sql("select count(*) from notifications where user_id = ?")
                        .param(user)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(NotificationsIT.messagesTo(email)).isEmpty();
    }

    private String status(String id) {
        return jdbc.sql("select status from notifications where id = ?")
                .param(id)
                .query(String.class)
                .single();
    }

    private String sendPush(String user, String message, String priority) {
        return api.post("/v2/notifications", """
                {"user_id": "%s", "type": "push", "message": "%s", "priority": "%s"}""".formatted(user, message, priority))
                .asAdmin()
                .send()
                .expect(202)
                .json()
                .get("id")
                .asString();
    }
}
