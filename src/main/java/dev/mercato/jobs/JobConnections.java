package dev.mercato.jobs;

import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The job workers' own connections. Request threads can hold every connection of the application's pool under
 * flat-out load, and a job that waits for one delivers late. So the job engine's threads (the workers, the thread
 * that fetches due jobs, the one that beats their heartbeats) are {@link JobThread}s, and the application's data
 * source sends their {@code getConnection()} to a small pool of their own ({@code mercato-jobs}, as many
 * connections as workers and three more) while every other thread keeps the application's pool. Code is unchanged:
 * a job's transaction, and a request's, each stays on one pool, since a thread gets its connections from one.
 */
final class JobConnections {

    static final int SPARE = 3;

    private JobConnections() {}

    /** A thread of the job engine. */
    static final class JobThread extends Thread {

        JobThread(Runnable runnable, String name) {
            super(runnable, name);
            setDaemon(true);
        }
    }

    static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> new JobThread(runnable, prefix + count.incrementAndGet());
    }

    /** The starter's executors, on job threads. */
    static DbSchedulerCustomizer executors(int workers) {
        return new DbSchedulerCustomizer() {
            @Override
            public Optional<ExecutorService> executorService() {
                return Optional.of(Executors.newFixedThreadPool(workers, threads("mercato-job-")));
            }

            @Override
            public Optional<ExecutorService> dueExecutor() {
                return Optional.of(Executors.newSingleThreadExecutor(threads("mercato-job-due-")));
            }

            @Override
            public Optional<ScheduledExecutorService> housekeeperExecutor() {
                return Optional.of(Executors.newScheduledThreadPool(1, threads("mercato-job-housekeeper-")));
            }
        };
    }

    /** Wraps the application's pool, the bean named {@code dataSource}, with the routing to the jobs' pool. */
    static BeanPostProcessor routing(int workers) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource application && name.equals("dataSource")) {
                    return new Routed(application, jobsPool(application, workers + SPARE));
                }
                return bean;
            }
        };
    }

    private static HikariDataSource jobsPool(HikariDataSource application, int size) {
        HikariDataSource jobs = new HikariDataSource();
        jobs.setPoolName("mercato-jobs");
        jobs.setJdbcUrl(application.getJdbcUrl());
        jobs.setUsername(application.getUsername());
        jobs.setPassword(application.getPassword());
        if (application.getDriverClassName() != null) {
            jobs.setDriverClassName(application.getDriverClassName());
        }
        jobs.setDataSourceProperties(application.getDataSourceProperties());
        jobs.setMaximumPoolSize(size);
        jobs.setMinimumIdle(1);
        jobs.setConnectionTimeout(application.getConnectionTimeout());
        return jobs;
    }

    /**
     * The application's data source: its pool for every thread but the job engine's. Unwraps (for metrics and
     * health) to the application's pool.
     */
    static final class Routed extends DelegatingDataSource implements AutoCloseable {

        private final HikariDataSource jobs;

        Routed(HikariDataSource application, HikariDataSource jobs) {
            super(application);
            this.jobs = jobs;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return Thread.currentThread() instanceof JobThread ? jobs.getConnection() : super.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return Thread.currentThread() instanceof JobThread
                    ? jobs.getConnection(username, password)
                    : super.getConnection(username, password);
        }

        DataSource jobsPool() {
            return jobs;
        }

        @Override
        public void close() {
            jobs.close();
            ((HikariDataSource) obtainTargetDataSource()).close();
        }
    }
}
