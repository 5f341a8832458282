package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.Deliveries;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.TestClock;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Retention prunes bookkeeping past its period (processed commands, final outbox rows with their history) and
 * keeps the audit trail, the tasks, and every outbox row that may still be sent.
 */
@QuarkusTest
class RetentionFlowTest extends FlowTest {
    private static final Api SWITCHBOARD = Api.as("sam.patel");

    @Inject
    Retention retention;
    @Inject
    TestClock clock;

    @Test
    void aMonthAfterACompletedTaskItsBookkeepingGoesButItsAuditTrailAndOpenWorkStay() throws Exception {
        String done = Deliveries.raiseFor("leah.adams", "routine");
        Api.as("leah.adams").post("/api/v1/tasks/" + done + "/accept").then().statusCode(200);
        Tasks.awaitStatus(done, "accepted");
        Api.as("leah.adams").post("/api/v1/tasks/" + done + "/complete", Map.of("note", "Done")).then()
                .statusCode(200);
        Tasks.awaitStatus(done, "completed");
        await().atMost(Duration.ofSeconds(20)).until(() -> count("""
                select count(*) from delivery where task_id = ? and status in ('pending', 'sending', 'queued')""",
                done) == 0 && count("select count(*) from delivery where task_id = ?", done) > 0);
        String open = Deliveries.raiseFor("chris.tan", "urgent");
        await().atMost(Duration.ofSeconds(20)).until(() -> count(
                "select count(*) from delivery where task_id = ? and status = 'pending'", open) > 0);
        try {
            long events = count("select count(*) from task_event where task_id = ?", done);
            long openPending = count("select count(*) from delivery where task_id = ? and status = 'pending'", open);
            assertThat(count("select count(*) from processed_command where task_id = ?", done)).isPositive();

            retention.prune(clock.instant());
            assertThat(count("select count(*) from processed_command where task_id = ?", done))
                    .as("within the period nothing goes").isPositive();
            assertThat(count("select count(*) from delivery where task_id = ?", done)).isPositive();

            Instant aMonthOn = clock.instant().plus(Duration.ofDays(31));
            Map<String, Long> pruned = retention.prune(aMonthOn);
            assertThat(pruned.get("processed_command")).isPositive();
            assertThat(pruned.get("delivery")).isPositive();
            assertThat(count("select count(*) from processed_command where task_id = ?", done)).isZero();
            assertThat(count("select count(*) from delivery where task_id = ?", done)).isZero();
            assertThat(count("""
                    select count(*) from delivery_status_history h where not exists
                      (select 1 from delivery d where d.id = h.delivery_id)""")).isZero();

            assertThat(count("select count(*) from task_event where task_id = ?", done))
                    .as("the audit trail is kept").isEqualTo(events);
            assertThat(SWITCHBOARD.status(done)).isEqualTo("completed");
            assertThat(count("select count(*) from delivery where task_id = ? and status = 'pending'", open))
                    .as("a planned text of an open task is never pruned").isEqualTo(openPending);
        } finally {
            SWITCHBOARD.post("/api/v1/tasks/" + open + "/cancel", Map.of("reason", "retention test")).then()
                    .statusCode(200);
        }
    }

    @Test
    void aParkedRecordDealtWithIsPrunedAfterItsPeriodButOneStillWaitingNeverIs() throws Exception {
        UUID waiting = UUID.randomUUID();
        UUID discarded = UUID.randomUUID();
        Instant now = clock.instant();
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement("""
                insert into parked_record (id, consumer, topic, kafka_partition, kafka_offset, reason, parked_at,
                                           status, resolved_at, resolved_by)
                values (?, 'retention-test', 'retention-test', 0, ?, 'unreadable', ?, ?, ?, ?)""")) {
            for (UUID id : new UUID[] { waiting, discarded }) {
                boolean dealtWith = id.equals(discarded);
                ps.setObject(1, id);
                ps.setLong(2, dealtWith ? 1 : 0);
                ps.setTimestamp(3, java.sql.Timestamp.from(now));
                ps.setString(4, dealtWith ? "DISCARDED" : "WAITING");
                ps.setTimestamp(5, dealtWith ? java.sql.Timestamp.from(now) : null);
                ps.setString(6, dealtWith ? "admin" : null);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try {
            retention.prune(now.plus(Duration.ofDays(365)));
            assertThat(count("select count(*) from parked_record where id = '" + discarded + "'"))
                    .as("discarded a year ago: pruned").isZero();
            assertThat(count("select count(*) from parked_record where id = '" + waiting + "'"))
                    .as("still waiting for an admin: kept").isOne();
        } finally {
            try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(
                    "delete from parked_record where consumer = 'retention-test'")) {
                ps.executeUpdate();
            }
        }
    }

    private static long count(String sql, String... taskId) throws SQLException {
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (taskId.length > 0) {
                ps.setObject(1, UUID.fromString(taskId[0]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
