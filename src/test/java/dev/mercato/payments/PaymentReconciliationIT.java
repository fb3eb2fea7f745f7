package dev.mercato.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.mercato.events.DomainEvents;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.OtherServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reconciliation jobs across servers: two job engines on one database settle each unknown payment exactly once, and a
 * payment whose server died while asking the processor about it is settled by another.
 */
class PaymentReconciliationIT extends ApiTestSupport {

    @Autowired
    Scheduler scheduler;

    @Autowired
    CustomTask<Void> paymentReconciliationTask;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DomainEvents events;

    private Scheduler nodeB;

    @AfterEach
    void restore() {
        scheduler.resume();
        if (nodeB != null) {
            nodeB.stop();
        }
    }

    @Test
    void twoServersSettleEachUnknownPaymentExactlyOnce() {
        AtomicInteger ranOnB = new AtomicInteger();
        // Node B: another server's job engine over the same database, running the same reconciliation.
        nodeB = OtherServer.jobEngine(
                dataSource, Tasks.custom(PaymentReconciler.PAYMENTS).execute((instance, context) -> {
                    ranOnB.incrementAndGet();
                    return paymentReconciliationTask.execute(instance, context);
                }));
        List<String> ids = IntStream.range(0, 40).mapToObj(i -> unanswered()).toList();
        nodeB.start();

        // Their retry delay passes for all of them at once, on both servers.
        jdbc.sql("update scheduled_tasks set execution_time = now() where task_name = 'payment-reconciliation' "
                        + "and task_instance = any(:ids)")
                .param("ids", ids.toArray(String[]::new))
                .update();
        scheduler.triggerCheckForDueExecutions();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> jdbc.sql("select count(*) from payments where id = any(:ids) and status = 'succeeded'")
                                .param("ids", ids.toArray(String[]::new))
                                .query(Long.class)
                                .single()
                        == ids.size());
        for (String id : ids) {
            assertThat(attempts(id)).as("asked about once after the first call").isEqualTo(2);
            assertThat(events.of(id)).extracting("type").containsExactly("payment.succeeded");
        }
        assertThat(jdbc.sql("select count(*) from scheduled_tasks where task_instance = any(:ids)")
                        .param("ids", ids.toArray(String[]::new))
                        .query(Long.class)
                        .single())
                .as("jobs gone")
                .isZero();
        assertThat(ranOnB.get()).as("node B took part").isBetween(1, ids.size() - 1);
    }

    @Test
    void aPaymentWhoseServerDiedWhileAskingIsSettledByAnother() {
        String id = unanswered();
        scheduler.pause();
        // What a server killed while asking the processor leaves behind: the job claimed by it, its heartbeat long
        // stopped, the attempt counted.
        jdbc.sql("""
                update scheduled_tasks set picked = true, picked_by = 'crashed-node', execution_time = now(),
                    last_heartbeat = now() - interval '1 hour'
                where task_name = 'payment-reconciliation' and task_instance = :id""").param("id", id).update();
        jdbc.sql("update payments set attempts = 2 where id = :id")
                .param("id", id)
                .update();

        scheduler.resume();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.sql("select status from payments where id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single()
                        .equals("succeeded"));
        assertThat(attempts(id)).isEqualTo(3);
        assertThat(events.of(id)).extracting("type").containsExactly("payment.succeeded");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> jdbc.sql("select count(*) from scheduled_tasks where task_instance = :id")
                                .param("id", id)
                                .query(Long.class)
                                .single()
                        == 0);
    }

    /** A payment whose first call got no answer; asking again finds it succeeded. */
    private String unanswered() {
        String productId = aProduct().priced("12.00", "USD").withStock(10).create();
        String orderId = placeOrder(aUser().create(), productId, 1)
                .expect(201)
                .json()
                .get("id")
                .asString();
        return api.post("/v2/payments", """
                {"order_id": "%s", "payment_method_id": "pm_card_timeoutThenSucceeds", "amount": 12.00,
                 "currency": "USD"}""".formatted(orderId))
                .asAdmin()
                .send()
                .expectError(502, "PAYMENT_PROCESSOR_UNAVAILABLE")
                .get("details")
                .asString();
    }

    private int attempts(String id) {
        return jdbc.sql("select attempts from payments where id = :id")
                .param("id", id)
                .query(Integer.class)
                .single();
    }
}
