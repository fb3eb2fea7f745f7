package dev.mercato.support;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.Task;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/** Another server's job engine over the test server's database, named node-b, not started yet. */
public final class OtherServer {

    private OtherServer() {}

    public static Scheduler jobEngine(DataSource dataSource, Task<?> task) {
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), List.of(task))
                .schedulerName(new SchedulerName.Fixed("node-b"))
                .threads(8)
                .pollingInterval(Duration.ofMillis(50))
                .pollUsingLockAndFetch(0.5, 1.0)
                .enablePriority()
                .build();
    }
}
