package org.pagerless.platform.engine;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The pod's background engine: every {@link EngineModule} runs in an {@link EngineLoop} made here, so all loops
 * share one way of ticking, logging failures, exporting metrics and reporting health ({@link EngineHealth}).
 * Loops are stopped at shutdown.
 */
@ApplicationScoped
public class Engine {
    @Inject
    InstantSource clock;
    @Inject
    MeterRegistry registry;

    /** A module is reported late when it has not ticked successfully for this many of its intervals. */
    @ConfigProperty(name = "pagerless.engine.late-after-intervals", defaultValue = "10")
    int lateAfterIntervals;
    /** ... and never sooner than this, so short intervals do not make a brief blip look like a stall. */
    @ConfigProperty(name = "pagerless.engine.late-after-min", defaultValue = "30s")
    Duration lateAfterMin;

    private final List<EngineLoop> loops = new CopyOnWriteArrayList<>();

    /** A loop for {@code module}, not yet started. */
    public EngineLoop loop(EngineModule module) {
        Duration late = module.every().multipliedBy(lateAfterIntervals);
        EngineLoop loop = new EngineLoop(module, clock, late.compareTo(lateAfterMin) < 0 ? lateAfterMin : late,
                registry);
        loops.add(loop);
        return loop;
    }

    List<EngineLoop> loops() {
        return loops;
    }

    void onStop(@Observes ShutdownEvent stop) {
        loops.forEach(EngineLoop::stop);
    }
}
