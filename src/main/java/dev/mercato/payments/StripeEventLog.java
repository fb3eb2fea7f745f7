package dev.mercato.payments;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The Stripe events received, by id, so that each acts once however often Stripe sends it. */
@Repository
class StripeEventLog {

    private final JdbcClient jdbc;

    StripeEventLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Notes the event in the caller's transaction; false when it was noted before (or is being, by a concurrent one). */
    boolean firstTime(String id, String type) {
        return jdbc.sql("insert into stripe_events (id, type) values (:id, :type) on conflict (id) do nothing")
                        .param("id", id)
                        .param("type", type)
                        .update()
                == 1;
    }

    int deleteOlderThan(Instant cutoff, int batch) {
        return jdbc.sql("delete from stripe_events where id in "
                        + "(select id from stripe_events where received_at < :cutoff limit :batch)")
                .param("cutoff", Timestamp.from(cutoff))
                .param("batch", batch)
                .update();
    }
}
