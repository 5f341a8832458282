package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.delivery.model.Channel;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Plans;
import org.pagerless.support.TestClock;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A claim's still-needed check reads each claimed row's task by its id and its notification's rows by the task's
 * index (ADR 0089), never a whole table. Written as {@code exists} with the status in the condition, PostgreSQL
 * turned both into hashed subplans whenever it expected a full claim: every read delivery row and every offered task
 * read once a claim (the whole of {@code delivery}, ~11,000 rows, in the benchmarks' plans; the claim's execution time
 * halved without it).
 */
@QuarkusTest
class ClaimReadsTest extends FlowTest {
    static final int ROWS = 2_000;
    static final int LIMIT = 64;

    @Inject
    TestClock clock;

    @Test
    void aFullClaimLooksUpEachRowsTaskAndNotificationByTheirKeys() throws Exception {
        String ref = "CLRD" + Integer.toHexString(UUID.randomUUID().hashCode() & 0xffff);
        OffsetDateTime tomorrow = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1);
        try (Connection c = PagerlessInfra.connection()) {
            try {
                plantTexts(c, ref, tomorrow);
                try (Statement st = c.createStatement()) {
                    st.execute("analyze delivery");
                    st.execute("analyze task");
                }
                JsonNode plan = explainClaim(c, tomorrow.plusHours(1));
                assertThat(plan.path("Plan").path("Actual Rows").asInt()).as("rows claimed; plan: %s", plan)
                        .isEqualTo(LIMIT);
                List<String> checks = new ArrayList<>();
                stillNeededScans(plan.path("Plan"), false, checks);
                assertThat(checks).as("the still-needed check's scans; plan: %s", plan).containsExactlyInAnyOrder(
                        "Index Scan on task using task_pkey, " + LIMIT + " loops",
                        "Index Scan on delivery using delivery_task, " + LIMIT + " loops");
            } finally {
                for (String planted : List.of("delete from delivery where ref = ?", "delete from task where requester = ?")) {
                    try (PreparedStatement ps = c.prepareStatement(planted)) {
                        ps.setString(1, ref);
                        ps.executeUpdate();
                    }
                }
            }
        }
    }

    /**
     * {@link #ROWS} finished tasks, each with a text due tomorrow (no dispatcher claims them while the test runs): a
     * task table and an outbox too large to read whole for every claim. All carry {@code ref}.
     */
    private static void plantTexts(Connection c, String ref, OffsetDateTime due) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("with t as (insert into task (id, kind, priority, status, fyi, "
                + "target_type, target_id, requester, raised_at, updated_at, version, state) select gen_random_uuid(), "
                + "'BLEEP', 'urgent', 'CANCELLED', false, 'staff', 'nobody.claimreads', ?, ?, ?, 1, '{}'::jsonb "
                + "from generate_series(1, ?) returning id) "
                + "insert into delivery (id, notification_id, event_id, task_id, staff_id, channel, step, priority, fyi, "
                + "kind, ward_id, ref, status, due_at, expires_at, created_at, updated_at) select gen_random_uuid(), "
                + "gen_random_uuid(), gen_random_uuid(), t.id, 'nobody.claimreads', 'sms', 2, 'urgent', false, 'BLEEP', "
                + "null, ?, 'pending', ?::timestamptz + (row_number() over ()) * interval '1 millisecond', "
                + "?::timestamptz + interval '2 days', ?, ? from t")) {
            int i = 1;
            ps.setString(i++, ref);
            ps.setObject(i++, due.minusDays(1));
            ps.setObject(i++, due.minusDays(1));
            ps.setInt(i++, ROWS);
            ps.setString(i++, ref);
            ps.setObject(i++, due);
            ps.setObject(i++, due);
            ps.setObject(i++, due.minusDays(1));
            ps.setObject(i, due.minusDays(1));
            assertThat(ps.executeUpdate()).isEqualTo(ROWS);
        }
    }

    /** The text lane's claim as {@link DeliveryClaims} runs it at {@code now}, explained with what it did, undone. */
    private static JsonNode explainClaim(Connection c, OffsetDateTime now) throws Exception {
        c.setAutoCommit(false);
        try {
            return Plans.explain(c, ClaimStatements.claim(LIMIT),
                    ps -> ClaimStatements.bindClaim(ps, Channel.SMS, now.toInstant(), Duration.ofMinutes(1), LIMIT));
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /**
     * "Node Type on relation using index, n loops" for every scan under the statement's subplans: the still-needed
     * check's lookups, once per claimed row each when they go by key.
     */
    private static void stillNeededScans(JsonNode node, boolean inSubPlan, List<String> out) {
        boolean under = inSubPlan || "SubPlan".equals(node.path("Parent Relationship").asText());
        if (under && node.has("Relation Name")) {
            out.add(node.path("Node Type").asText() + " on " + node.path("Relation Name").asText()
                    + (node.has("Index Name") ? " using " + node.path("Index Name").asText() : "") + ", "
                    + node.path("Actual Loops").asInt() + " loops");
        }
        node.path("Plans").forEach(child -> stillNeededScans(child, under, out));
    }
}
