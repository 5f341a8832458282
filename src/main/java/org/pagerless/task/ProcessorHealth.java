package org.pagerless.task;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Not ready while the task processor is not consuming: a pod that cannot route pages must not take them. */
@Readiness
@ApplicationScoped
public class ProcessorHealth implements HealthCheck {

    @Inject
    TaskProcessor processor;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Task command processor").status(processor.isConsuming()).build();
    }
}
