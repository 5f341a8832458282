package org.pagerless.platform;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Not ready while the broker does not answer: the cluster's brokers asked on the connection the start's topic check
 * opened ({@link Kafka#brokers}). Quarkus's own Kafka check made an admin client of its own, during the start (~0.1 s
 * of its ready time, docs/benchmarks.md, stop 44), and waited for its answer without a bound. An answer later than
 * {@link #PATIENCE} is DOWN with the reason, well inside a probe's default one-second timeout.
 */
@Readiness
@ApplicationScoped
public class BrokerHealth implements HealthCheck {
    /** The check's name, as Quarkus's Kafka check named it: what dashboards and alerts already look for. */
    static final String NAME = "Kafka connection health check";
    static final Duration PATIENCE = Duration.ofMillis(500);

    @Inject
    Kafka kafka;

    @Override
    public HealthCheckResponse call() {
        try {
            return HealthCheckResponse.named(NAME).up().withData("nodes", kafka.brokers(PATIENCE)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        } catch (ExecutionException e) {
            return down(String.valueOf(e.getCause().getMessage()));
        } catch (TimeoutException e) {
            return down("no answer within " + PATIENCE.toMillis() + " ms");
        }
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.named(NAME).down().withData("reason", reason).build();
    }
}
