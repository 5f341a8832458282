package org.pagerless.platform.engine;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Readiness data for the engine: each module {@code ok}, {@code off} (switched off by configuration), or why not. A late module degrades (the data says
 * {@code degraded} and why) but never takes the pod out of service: the other loops and the channels still work,
 * and another pod may be doing the same work.
 */
@Readiness
@ApplicationScoped
public class EngineHealth implements HealthCheck {
    @Inject
    Engine engine;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("Engine").up();
        boolean degraded = false;
        for (EngineLoop loop : engine.loops()) {
            if (!loop.isRunning()) {
                // Only configuration or shutdown stops a loop (a failing tick never does): switched off, not stalled.
                b.withData(loop.name(), "off");
                continue;
            }
            var problem = loop.health();
            degraded |= problem.isPresent();
            b.withData(loop.name(), problem.orElse("ok"));
        }
        return b.withData("status", degraded ? "degraded" : "ok").build();
    }
}
