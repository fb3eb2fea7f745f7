package dev.mercato.reports;

import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.mercato.jobs.RetryPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The job that generates a report (its id is the report's), retried by {@link RetryPolicy}. */
@Configuration(proxyBeanMethods = false)
class ReportJobs {

    static final TaskDescriptor<Void> GENERATION = TaskDescriptor.of("report-generation");

    @Bean
    OneTimeTask<Void> reportGenerationTask(ReportGeneration generation, ReportsProperties properties) {
        RetryPolicy retries =
                new RetryPolicy(properties.maxAttempts(), properties.retryDelay(), properties.maxRetryDelay());
        return retries.oneTimeTask(GENERATION, generation::generate, generation::giveUp);
    }
}
