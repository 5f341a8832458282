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
 * other consumers and channels keep working); {@code degraded} is true and the data says why: a consumer stalled
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
        for (ConsumerLoop loop : consumers.all()) {
            String stalled = consumers.stalledReason(loop);
            if (stalled != null) {
                problems.put(loop.name(), "stalled: " + stalled);
            }
        }
        parked.waiting().forEach((consumer, n) -> problems.merge(consumer,
                n + " parked record" + (n == 1 ? "" : "s") + " waiting (/api/v1/admin/parked)", (a, b) -> a + "; " + b));
        HealthCheckResponseBuilder health = HealthCheckResponse.named("Consumers").up()
                .withData("degraded", !problems.isEmpty());
        problems.forEach(health::withData);
        return health.build();
    }
}
