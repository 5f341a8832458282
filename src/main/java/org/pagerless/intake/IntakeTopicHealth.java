package org.pagerless.intake;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Down once the intake topic's consumer has died (its client could not be made, or it failed beyond retrying): the
 * pod is restarted, and meanwhile the group's other pods take the topic's partitions. The consumer waiting for the
 * broker or the database is not dead: it is reported stalled by the Consumers readiness check.
 */
@Liveness
@ApplicationScoped
public class IntakeTopicHealth implements HealthCheck {
    @Inject
    IntakeTopicConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Intake topic").status(consumer.isConsuming()).build();
    }
}
