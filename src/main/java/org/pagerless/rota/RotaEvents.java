package org.pagerless.rota;

import java.time.InstantSource;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.Topics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code pagerless.rota-events.v1}: every write to the rota or the reference data publishes a {@link RotaChanged}
 * (key = the role it concerns, or {@value #REFERENCE_DATA}); every pod reads the topic from the end, with no consumer
 * group (like the task-event feed), and reloads {@link ReferenceData} at once, so new resolutions on all pods see a
 * change within a second or so. The periodic refresh stays as the safety net for an event that never came (the
 * broker was down when the write was committed): the write itself is in the database and is never lost.
 */
@ApplicationScoped
public class RotaEvents {
    private static final Logger LOG = Logger.getLogger(RotaEvents.class);
    /** The key of a change that is not about one role (staff, wards, teams, leave). */
    public static final String REFERENCE_DATA = "reference-data";

    /** Something in the rota or the reference data changed: {@code change} says what, e.g. "shift.created". */
    public record RotaChanged(String eventId, String type, String key, String change, String by, String at) {
    }

    @Inject
    Kafka kafka;
    @Inject
    ReferenceData referenceData;
    @Inject
    ObjectMapper json;
    @Inject
    InstantSource clock;
    @Inject
    MeterRegistry registry;
    @Inject
    Consumers consumers;

    private volatile ConsumerLoop tail;

    /**
     * Call after a write has been committed: reloads this pod's copy at once (so the caller's next read sees it), then
     * tells the other pods. A broker failure is logged, not thrown: the write stands and other pods pick it up at
     * their next periodic refresh.
     */
    public void changed(String key, String change, String by) {
        referenceData.refresh();
        reloads("write").increment();
        RotaChanged event = new RotaChanged(UUID.randomUUID().toString(), "RotaChanged",
                key == null ? REFERENCE_DATA : key, change, by, clock.instant().toString());
        String value;
        try {
            value = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        kafka.sendAsync(new ProducerRecord<>(Topics.ROTA_EVENTS, event.key(), value)).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warnf("rota change %s not published; other pods reload at their next refresh", change);
            }
        });
    }

    /**
     * As {@link #changed}, for a reactive caller (the rota's admin resources, once their transaction has committed):
     * the reload reads the database over JDBC, so it runs on a worker thread, never on the event loop; the answer
     * comes once this pod's copy is reloaded, back on the caller's Vert.x context if it was on one, and the event is
     * sent without waiting for the broker.
     */
    public Uni<Void> announce(String key, String change, String by) {
        Context caller = Vertx.currentContext();
        Uni<Void> reload = Uni.createFrom().<Void>item(() -> {
            changed(key, change, by);
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return caller == null ? reload : reload.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /** After the reference data is first loaded (priority 10), before anything routes tasks. */
    void onStart(@Observes @Priority(12) StartupEvent start) {
        tail = consumers.tail("rota-event-feed", Topics.ROTA_EVENTS, 100, records -> {
            // Every record must be a rota change (anything else is parked: ADR 0013); then one reload covers every
            // change in the batch: it reads the whole rota as it is now. The database being down fails the reload,
            // and the loop retries it.
            for (var record : records) {
                RotaChanged change = json.readValue(record.value(), RotaChanged.class);
                if (change == null || !"RotaChanged".equals(change.type())) {
                    throw new IllegalArgumentException("type: is not RotaChanged");
                }
            }
            referenceData.refresh();
            reloads("event").increment(records.size());
        });
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (tail != null) {
            tail.stop();
        }
    }

    private Counter reloads(String cause) {
        return Counter.builder("pagerless.rota.reloads").description("Reloads of the in-memory rota, by cause")
                .tag("cause", cause).register(registry);
    }
}
