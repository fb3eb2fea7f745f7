package dev.mercato.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import java.time.Clock;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The job engine: db-scheduler over the application's database, built by its Spring Boot starter from
 * {@code mercato.jobs.*} ({@link JobEngineSettings}). Every server queues jobs; every server with
 * {@code mercato.jobs.enabled} runs them, claiming due ones with {@code FOR UPDATE SKIP LOCKED} (so no job
 * runs twice at once) highest priority first, and heart-beating the ones it runs (so a job whose server died
 * is run again elsewhere). Features contribute their tasks as beans.
 */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

    @Bean
    Jobs jobs(Scheduler scheduler, JdbcClient jdbc, Clock clock, JobsProperties properties) {
        return new Jobs(scheduler, jdbc, clock, properties.enabled());
    }

    /**
     * Takes the place of the starter's own starter, which would start every server's scheduler: this one starts it
     * only where {@code mercato.jobs.enabled}, and stops it (letting running jobs finish) while the web server
     * drains, before the connection pool closes.
     */
    @Bean
    JobRunner jobRunner(Scheduler scheduler, JobsProperties properties) {
        return new JobRunner(scheduler, properties.enabled());
    }

    /** The job engine's threads, whose connections come from a pool of their own ({@link JobConnections}). */
    @Bean
    DbSchedulerCustomizer jobThreads(JobsProperties properties) {
        return JobConnections.executors(properties.threads());
    }

    @Bean
    static BeanPostProcessor jobConnections(Environment environment) {
        int workers = Binder.get(environment)
                .bindOrCreate("mercato.jobs", JobsProperties.class)
                .threads();
        return JobConnections.routing(workers);
    }

    /** The starter's scheduler would be stopped again when the context closes, with a warning at every shutdown. */
    @Bean
    static BeanFactoryPostProcessor schedulerStoppedByJobRunner() {
        return beanFactory -> {
            if (beanFactory.containsBeanDefinition("scheduler")) {
                beanFactory.getBeanDefinition("scheduler").setDestroyMethodName("");
            }
        };
    }
}
