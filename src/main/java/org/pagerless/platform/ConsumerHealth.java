package org.pagerless.platform;

import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whether every consumer is moving and nothing is parked. Never takes the pod out of service (status stays UP: the
 * other consumers and channels keep working); like the engine's check, the data says {@code status: degraded} and,
 * for each consumer, {@code ok} or why not: stalled
 * (records waiting, no progress for {@code pagerless.consumers.stall-after}) or parked records waiting for an admin.
 * A consumer that has died is reported DOWN by its own feature's check (task processor, delivery).
 */
@Readiness
@ApplicationScoped
public class ConsumerHealth implements HealthCheck {
    @Inject
    Consumers consumers;
    @Inject
    ParkedRecords parked;

    @Override
    public HealthCheckResponse call() {
        Map<String, String> problems = new TreeMap<>();
        for (TrackedConsumer loop : consumers.all()) {
            String stalled = consumers.stalledReason(loop);
            if (stalled != null) {
                problems.put(loop.name(), "stalled: " + stalled);
            }
        }
        parked.waiting().forEach((consumer, n) -> problems.merge(consumer,
                n + " parked record" + (n == 1 ? "" : "s") + " waiting (/api/v1/admin/parked)", (a, b) -> a + "; " + b));
        HealthCheckResponseBuilder health = HealthCheckResponse.named("Consumers").up();
        for (TrackedConsumer loop : consumers.all()) {
            health.withData(loop.name(), problems.getOrDefault(loop.name(), "ok"));
        }
        return health.withData("status", problems.isEmpty() ? "ok" : "degraded").build();
    }
}
