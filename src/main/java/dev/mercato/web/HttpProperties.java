package dev.mercato.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP conventions ({@code mercato.http.*}); public because the published API documents state the limit too.
 *
 * @param maxBodySize the largest request body accepted; a larger one is refused with 413
 * @param maxConcurrentRequestsPerAddress requests one client address may have in progress at once; more are
 *     refused with 429 at once, so that a few clients sending bodies slowly cannot hold every worker thread
 * @param drainDelay on shutdown, how long the server keeps serving after its readiness went down and before it
 *     stops taking requests: long enough for a load balancer that polls readiness to stop sending here (see
 *     docs/deployment.md); 0 where no balancer is in front
 */
@ConfigurationProperties("mercato.http")
public record HttpProperties(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("25") int maxConcurrentRequestsPerAddress,
        @DefaultValue("0s") Duration drainDelay) {

    public HttpProperties {
        if (maxBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("mercato.http.max-body-size must be positive, not " + maxBodySize);
        }
        if (maxConcurrentRequestsPerAddress < 1) {
            throw new IllegalArgumentException("mercato.http.max-concurrent-requests-per-address must be positive, not "
                    + maxConcurrentRequestsPerAddress);
        }
        if (drainDelay.isNegative()) {
            throw new IllegalArgumentException("mercato.http.drain-delay must not be negative, not " + drainDelay);
        }
    }
}
