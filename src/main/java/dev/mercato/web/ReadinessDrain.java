package dev.mercato.web;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Holds a shutdown (SIGTERM) for {@code mercato.http.drain-delay} while the server still serves. Spring Boot reports
 * readiness down as soon as the application starts closing, before any component stops; this component stops
 * first of all, so a load balancer that polls readiness has the delay to stop sending here before the web server's
 * graceful shutdown refuses new requests. Without it, what the balancer sent before its next check would be refused.
 */
@Component
class ReadinessDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReadinessDrain.class);

    private final Duration delay;
    private volatile boolean running;

    ReadinessDrain(HttpProperties properties) {
        this.delay = properties.drainDelay();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        if (!delay.isZero()) {
            log.info("Not ready any more; serving for {} ms more before stopping", delay.toMillis());
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped just before the web server's graceful shutdown (phase {@code DEFAULT_PHASE - 1024}). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1023;
    }
}
