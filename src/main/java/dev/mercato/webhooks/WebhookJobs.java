package dev.mercato.webhooks;

import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.mercato.integrations.TargetGuard;
import dev.mercato.jobs.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The job that delivers one webhook (its id is the delivery's), retried by {@link RetryPolicy}. */
@Configuration(proxyBeanMethods = false)
class WebhookJobs {

    static final TaskDescriptor<Void> DELIVERY = TaskDescriptor.of("webhook-delivery");

    @Bean
    TargetGuard webhookTargetGuard(WebhooksProperties properties) {
        return new TargetGuard(properties.allowPrivateTargets());
    }

    @Bean(destroyMethod = "close")
    WebhookSender webhookSender(TargetGuard guard, WebhooksProperties properties) {
        return new WebhookSender(guard, properties.timeout());
    }

    @Bean
    WebhookAttempts webhookAttempts(
            WebhookRepository repository,
            WebhookSender sender,
            MeterRegistry meters,
            Clock clock,
            WebhooksProperties properties) {
        return new WebhookAttempts(repository, sender, meters, clock, properties.maxAttempts());
    }

    @Bean
    OneTimeTask<Void> webhookDeliveryTask(WebhookAttempts attempts, WebhooksProperties properties) {
        RetryPolicy retries =
                new RetryPolicy(properties.maxAttempts(), properties.retryDelay(), properties.maxRetryDelay());
        return retries.oneTimeTask(DELIVERY, attempts::deliver, attempts::giveUp);
    }
}
