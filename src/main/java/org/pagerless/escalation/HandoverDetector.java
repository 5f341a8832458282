package org.pagerless.escalation;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import org.pagerless.escalation.model.Handover;
import org.pagerless.platform.Jdbc;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.platform.engine.Engine;
import org.pagerless.platform.engine.EngineLoop;
import org.pagerless.platform.engine.EngineModule;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.CommandGateway;
import org.pagerless.task.TaskQueries;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Runs this pod's {@link HandoverCheck} as the engine module {@code handover}: just after the next instant the rota may
 * move someone off a role (plus the settle time), and at least every {@code pagerless.handover.tick} (10 s by default,
 * the reference data's refresh: a rota edit is seen within that anyway). Every pod runs one; they share the roles safely (ADR 0010). The state is in the database, so a
 * restart resumes where it stopped; a failed check marks nothing checked and the engine retries it on the next tick.
 */
@ApplicationScoped
public class HandoverDetector implements EngineModule {
    @Inject
    Jdbc jdbc;
    @Inject
    HandoverStore store;
    @Inject
    ReferenceData referenceData;
    @Inject
    TaskQueries queries;
    @Inject
    CommandGateway gateway;
    @Inject
    InstantSource clock;
    @Inject
    Engine engine;

    @ConfigProperty(name = "pagerless.handover.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "pagerless.handover.settle", defaultValue = "5s")
    Duration settle;
    @ConfigProperty(name = "pagerless.handover.tick", defaultValue = "10s")
    Duration every;

    private EngineLoop loop;
    private HandoverCheck check;

    void onStart(@Observes @Priority(40) StartupEvent start) {
        loop = engine.loop(this);
        if (enabled) {
            start();
        }
    }

    @Override
    public String name() {
        return "handover";
    }

    @Override
    public Duration every() {
        return every;
    }

    @Override
    public Next tick(Instant now) throws Exception {
        if (check == null) {
            check = newCheck();
        }
        check.check();
        // Sleep until the next instant the rota may move someone off a role (seen once it is settle behind the clock),
        // at most `every`: a rota edit made meanwhile (here or on another pod, seen through ReferenceData) is found then.
        Instant checkedUntil = now.minus(settle);
        return Handover.nextChange(referenceData.hospital(), checkedUntil, checkedUntil.plus(every))
                .map(change -> Next.at(change.plus(settle).plusMillis(1), now)).orElse(Next.regular());
    }

    /** A further detector over the same table, e.g. to show that two detectors hand over once. */
    public HandoverCheck newCheck() {
        return new HandoverCheck(jdbc, store, referenceData::hospital, queries::heldFor, gateway::submitAll,
                clock, settle);
    }

    /** Starts checking; handovers due while stopped are found on the first check. */
    public void start() {
        loop.start();
    }

    /** Stops checking, after a check in flight finishes; the watch rows stay for the next start. */
    public void stop() {
        loop.stop();
    }
}
