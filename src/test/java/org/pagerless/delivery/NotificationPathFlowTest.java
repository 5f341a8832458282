package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pagerless.support.Deliveries.raiseFor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.platform.Topics;
import org.pagerless.support.Broker;
import org.pagerless.support.Deliveries;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * How a page's notifications reach the outbox (ADR 0075): the planner writes them straight in, with no record on
 * {@value Topics#NOTIFICATIONS}; a task notification that an older planner published there (a rolling upgrade) is still
 * written, and the same notification arriving both ways is written once. Pages Ruth Ali, whom no other flow test pages.
 */
@QuarkusTest
class NotificationPathFlowTest extends FlowTest {
    static final String NURSE = "ruth.ali";

    @Inject
    ObjectMapper json;
    @Inject
    DeliverySettings settings;

    @Test
    void aPagesNotificationsAreWrittenStraightIntoTheOutboxWithNoRecordOnTheTopic() throws Exception {
        String id = raiseFor(NURSE, "urgent");
        await().atMost(Duration.ofSeconds(20)).until(() -> !Deliveries.deliveries(NURSE, id, "in-app").isEmpty());

        // Before ADR 0075 the row was written only after its record had been acknowledged on the topic: once the row
        // is there, any record about the task would already be too.
        assertThat(Broker.valuesIn(Topics.NOTIFICATIONS)).noneMatch(value -> value.contains(id));
        assertThat(rows("select count(*) from delivery where task_id = ? and staff_id = ?", UUID.fromString(id), NURSE))
                .as("one row per step of an urgent page's ladder").isEqualTo(ladderSteps());
    }

    @Test
    void aNotificationAnOlderPlannerPublishedIsWrittenAndTheSameOneBothWaysOnlyOnce() throws Exception {
        String id = raiseFor(NURSE, "urgent");
        await().atMost(Duration.ofSeconds(20)).until(() -> !Deliveries.deliveries(NURSE, id, "in-app").isEmpty());
        Planned planned = plannedNotification(id);
        long rowsPlanned = rows("select count(*) from delivery where notification_id = ?", planned.id());

        // The same offer, as an older planner published it (the offer event's id and time): a replay.
        publish(notification(planned.id(), planned.eventId(), id, planned.offeredAt()));
        UUID eventId = UUID.randomUUID();
        UUID published = Notification.idFor(eventId, NURSE);
        // Same key, after it: once this is written, so is the replay.
        publish(notification(published, eventId, id, Instant.now()));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> rows("select count(*) from delivery where notification_id = ?", published) > 0);

        assertThat(rows("select count(*) from delivery where notification_id = ?", published)).isEqualTo(rowsPlanned);
        assertThat(rows("select count(*) from delivery where notification_id = ?", planned.id()))
                .isEqualTo(rowsPlanned);
    }

    private Notification notification(UUID notificationId, UUID eventId, String taskId, Instant offeredAt) {
        return new Notification(notificationId, eventId, UUID.fromString(taskId), NURSE, "urgent", false, "TASK", null,
                Deliveries.ref(taskId), offeredAt);
    }

    /** A notification the planner wrote: its id, and the id and time of the event that made the offer. */
    private record Planned(UUID id, UUID eventId, Instant offeredAt) {
    }

    private void publish(Notification n) throws Exception {
        Broker.publish(Topics.NOTIFICATIONS, n.staffId(), json.writeValueAsString(n));
    }

    /** The notification the planner wrote for the nurse's offer of the task. */
    private static Planned plannedNotification(String taskId) throws Exception {
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(
                "select distinct d.notification_id, d.event_id, e.at from delivery d join task_event e "
                        + "on e.event_id = d.event_id where d.task_id = ? and d.staff_id = ?")) {
            ps.setObject(1, UUID.fromString(taskId));
            ps.setString(2, NURSE);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                Planned planned = new Planned(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, java.time.OffsetDateTime.class).toInstant());
                assertThat(rs.next()).as("one notification for one offer").isFalse();
                return planned;
            }
        }
    }

    private static long rows(String sql, Object... parameters) throws Exception {
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** How many rows an urgent page's ladder has (in-app, push, text, call...), as configured. */
    private long ladderSteps() {
        return settings.ladderFor(notification(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID().toString(),
                Instant.now())).steps().size();
    }
}
