package org.pagerless.task;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.platform.engine.Engine;
import org.pagerless.platform.engine.EngineModule;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.WaitingAge;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The engine module {@code unaccepted}: every {@code pagerless.tasks.unaccepted.check} counts the open tasks nobody
 * has accepted yet, by priority and how long they have waited ({@link WaitingAge}), and exports the counts as the
 * gauge {@code pagerless_tasks_unaccepted{priority,age}}. Every pod counts the same rows (the dashboard takes the
 * max over pods). Every priority and band is exported from the start, 0 until a task waits in it.
 */
@ApplicationScoped
public class UnacceptedWatch implements EngineModule {
    @Inject
    TaskQueries queries;
    @Inject
    MeterRegistry registry;
    @Inject
    Engine engine;

    @ConfigProperty(name = "pagerless.tasks.unaccepted.check", defaultValue = "15s")
    Duration every;

    private final Map<Priority, Map<WaitingAge, AtomicInteger>> counts = new EnumMap<>(Priority.class);

    @PostConstruct
    void registerGauges() {
        for (Priority priority : Priority.values()) {
            Map<WaitingAge, AtomicInteger> bands = new EnumMap<>(WaitingAge.class);
            for (WaitingAge age : WaitingAge.values()) {
                AtomicInteger count = new AtomicInteger();
                bands.put(age, count);
                Gauge.builder("pagerless.tasks.unaccepted", count, AtomicInteger::get)
                        .description("Open tasks nobody has accepted yet, by how long they have waited")
                        .tag("priority", priority.code()).tag("age", age.tag()).register(registry);
            }
            counts.put(priority, bands);
        }
    }

    void onStart(@Observes @jakarta.annotation.Priority(40) StartupEvent start) {
        engine.loop(this).start();
    }

    @Override
    public String name() {
        return "unaccepted";
    }

    @Override
    public Duration every() {
        return every;
    }

    @Override
    public Next tick(Instant now) {
        queries.waitingForAcceptance(now)
                .forEach((priority, bands) -> bands.forEach((age, n) -> counts.get(priority).get(age).set(n)));
        return Next.regular();
    }
}
