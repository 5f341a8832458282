package org.pagerless.escalation;

import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.pagerless.escalation.model.Handover;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.TaskQueries;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Checks every minute that no open task is owned by someone off duty, exports the count as the gauge
 * {@code pagerless.handover.orphans} (alert on it being above zero) and logs a warning with the task ids
 * (never patient data) whenever it is.
 */
@ApplicationScoped
public class OrphanWatch {
    private static final Logger LOG = Logger.getLogger(OrphanWatch.class);

    @Inject
    TaskQueries queries;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;
    @Inject
    MeterRegistry registry;

    private final AtomicInteger orphans = new AtomicInteger();

    void register(@Observes StartupEvent start) {
        registry.gauge("pagerless.handover.orphans", orphans);
    }

    @Scheduled(every = "${pagerless.handover.check:60s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            var found = Handover.orphans(queries.owned(), referenceData.hospital(), clock.instant());
            orphans.set(found.size());
            if (!found.isEmpty()) {
                LOG.warnf("%d open task(s) owned by off-duty staff: %s", found.size(),
                        found.stream().map(t -> t.id().toString()).toList());
            }
        } catch (RuntimeException e) {
            LOG.warnf("orphaned task check failed: %s", e.getClass().getSimpleName());
        }
    }
}
