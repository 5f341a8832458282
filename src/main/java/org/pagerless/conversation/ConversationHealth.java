package org.pagerless.conversation;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Not ready while messages are not being stored or task events not turned into thread lines: a stalled consumer shows. */
@Readiness
@ApplicationScoped
public class ConversationHealth implements HealthCheck {
    @Inject
    ConversationWriter writer;
    @Inject
    TaskThreadLines lines;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Conversations").status(writer.isConsuming() && lines.isConsuming())
                .withData("writer", writer.isConsuming()).withData("taskLines", lines.isConsuming()).build();
    }
}
