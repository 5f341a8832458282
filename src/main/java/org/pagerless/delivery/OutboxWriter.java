package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.Topics;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Turns notifications into outbox rows, one per step of the priority's fallback ladder, in one transaction per batch;
 * a text or call due at once that could not go is written settled ({@link SettledAtPlanning}). At least once; the
 * rows' ids come from the notification, so a replay inserts nothing. Two ways in: the {@link DeliveryPlanner} hands it
 * a batch's task notifications directly (ADR 0075), and its own consumer reads {@value Topics#NOTIFICATIONS}, where
 * conversation pushes arrive (ADR 0038) and the task notifications an older planner published.
 */
@ApplicationScoped
public class OutboxWriter {
    static final String GROUP = "pagerless-delivery-outbox";

    @Inject
    ObjectMapper json;
    @Inject
    DeliveryOutbox outbox;
    @Inject
    DeliverySettings settings;
    @Inject
    InstantSource clock;
    @Inject
    Consumers consumers;
    @Inject
    DeliveryDue due;
    @Inject
    SettledAtPlanning settledAtPlanning;
    @Inject
    DeliveryMetrics metrics;

    private ConsumerLoop loop;

    void onStart(@Observes @Priority(40) StartupEvent start) {
        loop = consumers.group("delivery-outbox", GROUP, Topics.NOTIFICATIONS, 500, this::read);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        loop.stop();
    }

    public boolean isConsuming() {
        return loop != null && loop.isAlive();
    }

    /**
     * A notification that cannot be read or stored throws: the loop parks it and writes the rest of the batch once
     * (ADR 0013).
     */
    private void read(List<ConsumerRecord<String, String>> records) throws Exception {
        List<Notification> notifications = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            notifications.add(json.readValue(record.value(), Notification.class));
        }
        write(notifications);
    }

    /**
     * Writes these notifications' rows in one transaction and wakes the lanes their first steps fall due on. Throws
     * {@link IllegalArgumentException} if one lacks what a row needs (nothing is written), {@link SQLException} if the
     * database cannot be reached (the caller's consumer retries: ids make the retry harmless).
     */
    void write(List<Notification> notifications) throws SQLException {
        for (Notification n : notifications) {
            if (n == null || n.id() == null || (n.taskId() == null && n.conversationId() == null)
                    || n.staffId() == null || n.priority() == null) {
                throw new IllegalArgumentException(
                        "notification: id, taskId (or conversationId), staffId and priority are required");
            }
        }
        if (notifications.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        // Steps due now that need no claim are written settled: in-app first steps sent (or withdrawn), texts, calls and
        // pushes that could not go (channel off, no confirmed number, no subscription) failed or withdrawn (ADRs
        // 0072, 0078, 0079).
        Map<UUID, Settlement> settled = settledAtPlanning.of(notifications, settings::ladderFor,
                settings.expireAfter(), now);
        DeliveryOutbox.Planned planned = outbox.plan(notifications, settings::ladderFor, settings.expireAfter(), now,
                settled);
        planned.settled().forEach((id, row) -> { // counted once, for the rows written (a replay writes none)
            Settlement stop = settled.get(id);
            if (stop.reasonClass() != null) {
                metrics.failure(row.channel(), stop.reasonClass());
            } else if (stop.status() == DeliveryStatus.SENT) {
                metrics.sentAt(row.channel(), row.dueAt(), now);
            }
        });
        // Each channel's lane learns when its new rows fall due (the first steps now): only those lanes wake.
        due.at(planned.earliestDue());
    }
}
