package org.pagerless.escalation;

import java.time.Duration;
import java.time.InstantSource;

import org.pagerless.platform.Jdbc;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.platform.engine.Engine;
import org.pagerless.platform.engine.EngineLoop;
import org.pagerless.task.CommandGateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Runs this pod's {@link TimerTicker} as the engine module {@code escalation} ({@link TimerModule}): at the next due
 * time (of the table, or of a timer this pod's processor has just armed), and at least every
 * {@code pagerless.escalation.tick} (2 s by default: a timer armed on another pod less than that before it falls
 * due, whose own ticker stopped meanwhile). Every pod runs one; they share the work safely. Up to
 * {@code pagerless.escalation.in-flight} batches (2) await the broker at once while the next due timers are claimed
 * (ADR 0077). Failures are logged, counted and reported by the engine ({@code EngineLoop}).
 */
@ApplicationScoped
public class EscalationTicker {

    @Inject
    Jdbc jdbc;
    @Inject
    TimerStore store;
    @Inject
    CommandGateway gateway;
    @Inject
    InstantSource clock;
    @Inject
    MeterRegistry registry;
    @Inject
    Engine engine;

    @ConfigProperty(name = "pagerless.escalation.tick", defaultValue = "2s")
    Duration every;
    @ConfigProperty(name = "pagerless.escalation.batch", defaultValue = "500")
    int batchSize;
    @ConfigProperty(name = "pagerless.escalation.in-flight", defaultValue = "2")
    int inFlight;
    @ConfigProperty(name = "pagerless.escalation.ticker.enabled", defaultValue = "true")
    boolean enabled;

    private EngineLoop loop;
    private TimerTicker live;
    private Timer lateness;

    void onStart(@Observes @Priority(40) StartupEvent start) {
        lateness = Timer.builder("pagerless.timers.lateness")
                .description("From a timer's due time to the broker having its EscalationDue command")
                .publishPercentileHistogram().register(registry);
        live = ticker(batchSize, inFlight);
        TimerModule timers = new TimerModule(live, every);
        loop = engine.loop(timers);
        timers.wakingWith(loop::wake);
        store.onArmed(timers::armed);
        if (enabled) {
            start();
        }
    }

    /**
     * A further claimant over the same table, each batch finished before its tick returns: e.g. to show that
     * concurrent claimants never fire a timer twice.
     */
    public TimerTicker newTicker(int batch) {
        return ticker(batch, 1);
    }

    private TimerTicker ticker(int batch, int batchesInFlight) {
        return new TimerTicker(jdbc, store, gateway::sendAll, clock, batch, batchesInFlight,
                late -> lateness.record(late.isNegative() ? Duration.ZERO : late));
    }

    /** Starts ticking; timers that fell due while stopped fire on the first tick. */
    public void start() {
        loop.start();
    }

    /** Stops ticking and waits for a tick and its batches in flight to finish; the timer rows stay for the next start. */
    public void stop() {
        loop.stop();
        live.drain();
    }
}
