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
        UUID planned = plannedNotification(id);
        long rowsPlanned = rows("select count(*) from delivery where notification_id = ?", planned);

        publish(notification(planned, id)); // the same offer, as an older planner published it: a replay
        UUID eventId = UUID.randomUUID();
        UUID published = Notification.idFor(eventId, NURSE);
        publish(notification(published, id)); // same key, after it: once this is written, so is the replay
        await().atMost(Duration.ofSeconds(20))
                .until(() -> rows("select count(*) from delivery where notification_id = ?", published) > 0);

        assertThat(rows("select count(*) from delivery where notification_id = ?", published)).isEqualTo(rowsPlanned);
        assertThat(rows("select count(*) from delivery where notification_id = ?", planned)).isEqualTo(rowsPlanned);
    }

    private Notification notification(UUID notificationId, String taskId) {
        return new Notification(notificationId, UUID.randomUUID(), UUID.fromString(taskId), NURSE, "urgent", false,
                "TASK", null, Deliveries.ref(taskId), Instant.now());
    }

    private void publish(Notification n) throws Exception {
        Broker.publish(Topics.NOTIFICATIONS, n.staffId(), json.writeValueAsString(n));
    }

    /** The notification the planner wrote for the nurse's offer of the task. */
    private static UUID plannedNotification(String taskId) throws Exception {
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(
                "select distinct notification_id from delivery where task_id = ? and staff_id = ?")) {
            ps.setObject(1, UUID.fromString(taskId));
            ps.setString(2, NURSE);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                UUID id = rs.getObject(1, UUID.class);
                assertThat(rs.next()).as("one notification for one offer").isFalse();
                return id;
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
        return settings.ladderFor(notification(UUID.randomUUID(), UUID.randomUUID().toString())).steps().size();
    }
}
