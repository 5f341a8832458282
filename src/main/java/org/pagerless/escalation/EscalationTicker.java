package org.pagerless.escalation;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.task.CommandGateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Runs this pod's {@link TimerTicker} in a {@link TickerLoop}: at the next due time, and at least every
 * {@code pagerless.escalation.tick} (250 ms by default). Every pod runs one; they share the work safely.
 */
@ApplicationScoped
public class EscalationTicker {
    private static final Logger LOG = Logger.getLogger(EscalationTicker.class);

    @Inject
    DataSource dataSource;
    @Inject
    TimerStore store;
    @Inject
    CommandGateway gateway;
    @Inject
    InstantSource clock;
    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "pagerless.escalation.tick", defaultValue = "250ms")
    Duration every;
    @ConfigProperty(name = "pagerless.escalation.batch", defaultValue = "500")
    int batchSize;
    @ConfigProperty(name = "pagerless.escalation.ticker.enabled", defaultValue = "true")
    boolean enabled;

    private TickerLoop loop;
    private Timer lateness;
    private volatile long lastFailureLog;

    void onStart(@Observes @Priority(40) StartupEvent start) {
        lateness = Timer.builder("pagerless.timers.lateness")
                .description("From a timer's due time to the broker having its EscalationDue command")
                .publishPercentileHistogram().register(registry);
        loop = new TickerLoop(newTicker(batchSize), every, this::failed);
        if (enabled) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        stop();
    }

    /** A further claimant over the same table, e.g. to show that concurrent claimants never fire a timer twice. */
    public TimerTicker newTicker(int batch) {
        return new TimerTicker(dataSource, store, gateway::submitAll, clock, batch,
                late -> lateness.record(late.isNegative() ? Duration.ZERO : late));
    }

    /** Starts ticking; timers that fell due while stopped fire on the first tick. */
    public void start() {
        loop.start();
    }

    /** Stops ticking and waits for a tick in flight to finish; the timer rows stay for the next start. */
    public void stop() {
        loop.stop();
    }

    private void failed(Exception e) {
        // Nothing was deleted: the same timers fire on a later tick. Log at most every 10 s.
        long now = System.nanoTime();
        if (now - lastFailureLog > TimeUnit.SECONDS.toNanos(10)) {
            lastFailureLog = now;
            LOG.warnf("escalation timers not fired, retrying: %s", e.toString());
        }
    }
}
