package org.pagerless.escalation;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.escalation.model.Handover;
import org.pagerless.platform.engine.Engine;
import org.pagerless.platform.engine.EngineModule;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.TaskQueries;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The engine module {@code orphans}: checks every minute ({@code pagerless.handover.check}) that no open task is owned
 * by someone off duty, exports the count as the gauge {@code pagerless.handover.orphans} (alert on it being above
 * zero) and logs a warning with the task ids (never patient data) whenever it is.
 */
@ApplicationScoped
public class OrphanWatch implements EngineModule {
    private static final Logger LOG = Logger.getLogger(OrphanWatch.class);

    @Inject
    TaskQueries queries;
    @Inject
    ReferenceData referenceData;
    @Inject
    MeterRegistry registry;
    @Inject
    Engine engine;

    @ConfigProperty(name = "pagerless.handover.check", defaultValue = "60s")
    Duration every;

    private final AtomicInteger orphans = new AtomicInteger();

    void onStart(@Observes @Priority(40) StartupEvent start) {
        registry.gauge("pagerless.handover.orphans", orphans);
        engine.loop(this).start();
    }

    @Override
    public String name() {
        return "orphans";
    }

    @Override
    public Duration every() {
        return every;
    }

    @Override
    public Next tick(Instant now) {
        var found = Handover.orphans(queries.owned(), referenceData.hospital(), now);
        orphans.set(found.size());
        if (!found.isEmpty()) {
            LOG.warnf("%d open task(s) owned by off-duty staff: %s", found.size(),
                    found.stream().map(t -> t.id().toString()).toList());
        }
        return Next.regular();
    }
}
