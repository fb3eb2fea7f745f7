package dev.mercato.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.PollingStrategyConfig;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerProperties;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import dev.mercato.support.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** db-scheduler's starter builds the job engine from Mercato's documented settings and its fixed choices. */
class JobEngineIT extends ApiTestSupport {

    @Autowired
    DbSchedulerProperties engine;

    @Autowired
    JobsProperties jobs;

    @Autowired
    JobRunner runner;

    @Test
    void theStarterTakesMercatosJobSettings() {
        assertThat(engine.getThreads()).isEqualTo(jobs.threads());
        assertThat(engine.getPollingInterval()).isEqualTo(jobs.pollInterval());
        assertThat(engine.getHeartbeatInterval()).isEqualTo(jobs.heartbeatInterval());
        assertThat(engine.getMissedHeartbeatsLimit()).isEqualTo(jobs.missedHeartbeats());
        assertThat(engine.getShutdownMaxWait()).isEqualTo(jobs.shutdownWait());
        // The test server's own settings (ApiTestSupport), not the defaults: the mapping follows configuration.
        assertThat(jobs.pollInterval()).hasMillis(200);
    }

    @Test
    void theEngineClaimsByPriorityWithLockAndFetchAndLogsFailuresInOneLine() {
        assertThat(engine.getPollingStrategy()).isEqualTo(PollingStrategyConfig.Type.LOCK_AND_FETCH);
        assertThat(engine.isPriorityEnabled()).isTrue();
        assertThat(engine.isImmediateExecutionEnabled()).isTrue();
        assertThat(engine.isAlwaysPersistTimestampInUtc()).isTrue();
        assertThat(engine.getFailureLoggerLevel()).isEqualTo(LogLevel.WARN);
        assertThat(engine.isFailureLoggerLogStackTrace()).isFalse();
    }

    @Test
    void thisServerRunsJobsThroughMercatosRunner() {
        assertThat(runner.isRunning()).isTrue();
    }
}
