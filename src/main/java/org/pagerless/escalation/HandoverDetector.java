package org.pagerless.escalation;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.CommandGateway;
import org.pagerless.task.TaskQueries;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Runs this pod's {@link HandoverCheck} every {@code pagerless.handover.tick} (1 s by default). Every pod runs one;
 * they share the roles safely (ADR 0010). The state is in the database, so a restart resumes where it stopped.
 */
@ApplicationScoped
public class HandoverDetector {
    private static final Logger LOG = Logger.getLogger(HandoverDetector.class);

    @Inject
    DataSource dataSource;
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

    @ConfigProperty(name = "pagerless.handover.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "pagerless.handover.settle", defaultValue = "5s")
    Duration settle;

    private final Object checking = new Object();
    private HandoverCheck check;
    private volatile long lastFailureLog;

    @Scheduled(every = "${pagerless.handover.tick:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        synchronized (checking) {
            if (!enabled) {
                return;
            }
            if (check == null) {
                check = newCheck();
            }
            try {
                check.check();
            } catch (Exception e) {
                // Nothing was marked checked: the same handovers are found on a later tick. Log at most every 10 s.
                long now = System.nanoTime();
                if (now - lastFailureLog > TimeUnit.SECONDS.toNanos(10)) {
                    lastFailureLog = now;
                    LOG.warnf("handovers not checked, retrying: %s", e.getClass().getSimpleName());
                }
            }
        }
    }

    /** A further detector over the same table, e.g. to show that two detectors hand over once. */
    public HandoverCheck newCheck() {
        return new HandoverCheck(dataSource, store, referenceData::hospital, queries::heldFor, gateway::submitAll,
                clock, settle);
    }

    /** Starts checking; handovers due while stopped are found on the first check. */
    public void start() {
        synchronized (checking) {
            enabled = true;
        }
    }

    /** Stops checking, after a check in flight finishes; the watch rows stay for the next start. */
    public void stop() {
        synchronized (checking) {
            enabled = false;
        }
    }
}
