package dev.mercato.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerStarter;
import org.springframework.context.SmartLifecycle;

/** Runs jobs on this server when it is to run them at all, from start-up until the web server drains. */
class JobRunner implements DbSchedulerStarter, SmartLifecycle {

    private final Scheduler scheduler;
    private final boolean enabled;
    private volatile boolean running;

    JobRunner(Scheduler scheduler, boolean enabled) {
        this.scheduler = scheduler;
        this.enabled = enabled;
    }

    @Override
    public void doStart() {
        if (enabled) {
            scheduler.start();
        }
    }

    @Override
    public void start() {
        doStart();
        running = true;
    }

    @Override
    public void stop() {
        if (enabled) {
            scheduler.stop();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // The web server's graceful shutdown runs in this phase too: jobs stop while requests drain.
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
