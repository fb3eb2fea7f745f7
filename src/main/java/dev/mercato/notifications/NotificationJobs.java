package dev.mercato.notifications;

import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.mercato.jobs.RetryPolicy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The job that delivers a notification (its id is the notification's), retried by {@link RetryPolicy}. Also
 * binds {@code spring.mail.*}, which Spring binds only once a host is set, since the email channel reports
 * itself unconfigured without one.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MailProperties.class)
class NotificationJobs {

    static final TaskDescriptor<Void> DELIVERY = TaskDescriptor.of("notification-delivery");

    @Bean
    OneTimeTask<Void> notificationDeliveryTask(NotificationDelivery delivery, NotificationsProperties properties) {
        RetryPolicy retries =
                new RetryPolicy(properties.maxAttempts(), properties.retryDelay(), properties.maxRetryDelay());
        return retries.oneTimeTask(DELIVERY, delivery::deliver, delivery::giveUp);
    }
}
