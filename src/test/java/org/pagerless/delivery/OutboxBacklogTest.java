package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.platform.Jdbc;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Plans;
import org.pagerless.support.TestClock;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A backlog on one channel costs the others nothing: with thousands of texts waiting (an escalation ladder's SMS step
 * for every unaccepted page of a busy hour), reading when the app and push lanes next fall due visits their own rows
 * only. It once read every waiting text on each wake (V117: the outbox's channel-less due index, which the planner
 * chose and then filtered by channel, is gone), tens of milliseconds of database time per wake at 500 bleeps/s.
 */
@QuarkusTest
class OutboxBacklogTest extends FlowTest {
    static final int BACKLOG = 5_000;

    @Inject
    TestClock clock;

    @Test
    void theNextDueOfTheAppAndPushLanesIsReadWithoutReadingTheTextBacklog() throws Exception {
        String ref = "BKLG" + Integer.toHexString(UUID.randomUUID().hashCode() & 0xffff);
        try (Connection c = PagerlessInfra.connection()) {
            try {
                plantTexts(c, ref);
                try (Statement st = c.createStatement()) {
                    st.execute("analyze delivery");
                }
                JsonNode plan = explain(c);
                long blocks = plan.path("Plan").path("Shared Hit Blocks").asLong()
                        + plan.path("Plan").path("Shared Read Blocks").asLong();
                assertThat(blocks).as("blocks read to find the next due of in-app, push and voice beside %d waiting "
                        + "texts; plan: %s", BACKLOG, plan).isLessThan(100);
            } finally {
                try (PreparedStatement ps = c.prepareStatement("delete from delivery where ref = ?")) {
                    ps.setString(1, ref);
                    ps.executeUpdate();
                }
            }
        }
    }

    /** {@link #BACKLOG} texts due tomorrow (no dispatcher claims them while the test runs), all with {@code ref}. */
    private void plantTexts(Connection c, String ref) throws SQLException {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try (PreparedStatement ps = c.prepareStatement("insert into delivery (id, notification_id, event_id, task_id, "
                + "staff_id, channel, step, priority, fyi, kind, ward_id, ref, status, due_at, expires_at, created_at, "
                + "updated_at) select gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), "
                + "'nobody.backlog', 'sms', 2, 'urgent', false, 'BLEEP', null, ?, 'pending', "
                + "?::timestamptz + i * interval '1 millisecond', ?::timestamptz + interval '2 days', ?, ? "
                + "from generate_series(1, ?) as i")) {
            ps.setString(1, ref);
            ps.setObject(2, now.plusDays(1));
            ps.setObject(3, now);
            ps.setObject(4, now);
            ps.setObject(5, now);
            ps.setInt(6, BACKLOG);
            assertThat(ps.executeUpdate()).isEqualTo(BACKLOG);
        }
    }

    /** The dispatcher's next-due read, as {@link DeliveryClaims} runs it, explained with what it touched. */
    private static JsonNode explain(Connection c) throws Exception {
        Object[] params = DeliveryClaims.nextDueParams(java.time.Duration.ofSeconds(60), "in-app", "push", "voice");
        return Plans.explain(c, DeliveryClaims.NEXT_DUE, ps -> Jdbc.bind(ps, params));
    }
}
