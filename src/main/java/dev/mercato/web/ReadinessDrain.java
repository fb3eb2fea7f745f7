package dev.mercato.web;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The first step of a shutdown (SIGTERM): readiness goes down at once, and the server keeps serving for
 * {@code mercato.http.drain-delay} before the web server's graceful shutdown stops taking requests. A load balancer
 * that polls readiness stops sending here meanwhile; without the delay, what it sent between the signal and its
 * next check would be refused.
 */
@Component
class ReadinessDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReadinessDrain.class);

    private final ApplicationEventPublisher events;
    private final Duration delay;
    private volatile boolean running;

    ReadinessDrain(ApplicationEventPublisher events, HttpProperties properties) {
        this.events = events;
        this.delay = properties.drainDelay();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
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
