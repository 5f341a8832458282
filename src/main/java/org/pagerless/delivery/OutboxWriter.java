package org.pagerless.delivery;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Topics;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Turns notifications into outbox rows, one per step of the priority's fallback ladder, in one
 * transaction per batch. At least once; the rows' ids come from the notification, so a replay inserts nothing.
 */
@ApplicationScoped
public class OutboxWriter {
    private static final Logger LOG = Logger.getLogger(OutboxWriter.class);
    static final String GROUP = "pagerless-delivery-outbox";

    @Inject
    Kafka kafka;
    @Inject
    ObjectMapper json;
    @Inject
    DeliveryOutbox outbox;
    @Inject
    DeliverySettings settings;
    @Inject
    InstantSource clock;
    @Inject
    DeliveryDispatcher dispatcher;

    private ConsumerLoop loop;

    void onStart(@Observes @Priority(40) StartupEvent start) {
        loop = new ConsumerLoop("delivery-outbox", () -> kafka.consumer(GROUP, "delivery-outbox", 500),
                Topics.NOTIFICATIONS, this::write);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        loop.stop();
    }

    public boolean isConsuming() {
        return loop != null && loop.isAlive();
    }

    private void write(ConsumerRecords<String, String> records) throws Exception {
        List<Notification> notifications = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                notifications.add(json.readValue(record.value(), Notification.class));
            } catch (Exception e) {
                LOG.errorf("unreadable notification skipped at %s-%d offset %d", record.topic(), record.partition(),
                        record.offset());
            }
        }
        if (outbox.plan(notifications, settings::ladderFor, settings.expireAfter(), clock.instant()) > 0) {
            dispatcher.wake(); // the first steps are due now: no waiting for the dispatcher's next tick
        }
    }
}
