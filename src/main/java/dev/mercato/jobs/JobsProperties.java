package dev.mercato.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The background-job engine ({@code mercato.jobs.*}).
 *
 * @param enabled whether this server runs jobs at all (it still queues them); off for a server that only serves
 *     the API while others do the work
 * @param threads jobs run at once on this server
 * @param pollInterval how often this server looks for due jobs queued by other servers (its own start at once)
 * @param heartbeatInterval how often a running job says it is alive
 * @param missedHeartbeats after this many missed heartbeats (4 or more) a job is taken as lost with its server and run again
 * @param shutdownWait how long a stopping server waits for running jobs to finish
 */
@ConfigurationProperties("mercato.jobs")
public record JobsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("8") int threads,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("15s") Duration heartbeatInterval,
        @DefaultValue("4") int missedHeartbeats,
        @DefaultValue("20s") Duration shutdownWait) {}
