package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.platform.ArraySlots;
import org.pagerless.platform.Jdbc;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Plans.Binding;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The lanes' statements over a claim's arrays — who can be texted or called, which rows are still held, the rows an
 * outcome locks and writes, when each channel is next due —, the carrier's callbacks and the claim itself are planned
 * once per connection and kept, not planned again at every execution (ADR 0087, 0095). With each array one parameter,
 * a null bound untyped, or the claim's windows' limit a parameter, PostgreSQL planned them afresh: 0.15–0.3 ms of the
 * database's CPU a call (~2.5 ms a stat bleep), and 1.2 ms a claim. Each statement runs as the lanes run it, on one
 * connection, until the JDBC driver has prepared it on the server and PostgreSQL has had its five trial plans; then
 * PostgreSQL's own count of plans made says which it kept.
 */
@QuarkusTest
class PlannedOnceTest extends FlowTest {
    static final int RUNS = 16;
    static final int SETTLED = 5_000;
    static final int BUSY = 4_000;

    @Test
    void whoATextOrCallCanReachIsPlannedOnce() throws Exception {
        // Two people, then three (one with no number on record): the same statement, its slots filled differently.
        Object[] two = ArraySlots.params(2, new Object[] {"nobody.plannedonce.1", "nobody.plannedonce.2"},
                new Object[] {"+447700900121", "+447700900122"});
        Object[] three = ArraySlots.params(3, new Object[] {"nobody.plannedonce.1", "nobody.plannedonce.2",
                "nobody.plannedonce.3"}, new Object[] {null, "+447700900122", "+447700900123"});
        assertThat(runAndCountPlans(ArraySlots.sql(Contacts.REACH, 2, "text", "text"), two, three))
                .as("one row a person, none for the empty slots").containsOnly(2, 3);
    }

    @Test
    void theRowsStillHeldAreFoundByAStatementPlannedOnce() throws Exception {
        Object[] one = ArraySlots.params(1, new Object[] {UUID.randomUUID()}, new Object[] {1L});
        Object[] three = ArraySlots.params(3, IntStream.range(0, 3).mapToObj(i -> UUID.randomUUID()).toArray(),
                new Object[] {1L, 2L, 3L});
        assertThat(runAndCountPlans(ArraySlots.sql(DeliveryClaims.HELD, 3, "uuid", "bigint"), one, three))
                .containsOnly(0);
        assertThat(runAndCountPlans(ArraySlots.sql(DeliveryClaims.HELD_LOCKED, 3, "uuid", "bigint"), one, three))
                .containsOnly(0);
    }

    @Test
    void whenAChannelIsNextDueIsPlannedOnce() throws Exception {
        assertThat(runAndCountPlans(DeliveryClaims.NEXT_DUE,
                DeliveryClaims.nextDueParams(Duration.ofSeconds(60), "sms"),
                DeliveryClaims.nextDueParams(Duration.ofSeconds(60), "sms", "voice")))
                .as("a row a channel asked about").containsOnly(1, 2);
    }

    @Test
    void aCarrierCallbackIsPlannedOnceWithOrWithoutAReason() throws Exception {
        // Twilio's "delivered" carries no reason, "failed" does: an untyped null would have the statement prepared
        // again each time the two alternate.
        Instant now = Instant.now();
        assertThat(runAndCountPlans(DeliveryOutbox.MOVE_BY_SID,
                DeliveryOutbox.moveBySid("SMplannedonce", DeliveryStatus.DELIVERED, null, now),
                DeliveryOutbox.moveBySid("SMplannedonce", DeliveryStatus.FAILED, "30003 unreachable", now)))
                .as("one row: how many rows carry the sid").containsOnly(1);
    }

    @Test
    void anOutcomesWritesArePlannedOnce() throws Exception {
        // A text sent (no reason, no longer unsure), then two calls, one failed with its reason and one still unsure.
        Instant now = Instant.now();
        Object[][] one = {{UUID.randomUUID()}, {"sent"}, {null}, {"+447700900121"}, {1}, {now}, {null}};
        Object[][] two = {{UUID.randomUUID(), UUID.randomUUID()}, {"failed", "sending"}, {"busy", null},
            {null, null}, {1, 2}, {now, now}, {null, now}};
        assertThat(runAndCountPlans(ArraySlots.sql(OutcomeWrites.UPDATE_KEEPING_CLAIM, 2, OutcomeWrites.UPDATE_TYPES),
                ArraySlots.params(now, 1, one), ArraySlots.params(now, 2, two))).as("no such rows").containsOnly(0);
    }

    @Test
    void aLanesClaimIsPlannedOnceWhateverItsRoom() throws Exception {
        // Room for three rows, then four: one statement (the windows take four), the claim's limit its parameter. With
        // the windows' limit a parameter too, PostgreSQL planned it again at every claim (ADR 0095).
        assertThat(ClaimStatements.claim(3)).isEqualTo(ClaimStatements.claim(4));
        Binding three = ps -> ClaimStatements.bindClaim(ps, Channel.PUSH, Instant.now(), Duration.ofSeconds(60), 3);
        Binding four = ps -> ClaimStatements.bindClaim(ps, Channel.PUSH, Instant.now(), Duration.ofSeconds(60), 4);
        List<String> kept = new ArrayList<>();
        assertThat(runAndCountPlans(ClaimStatements.claim(4), c -> kept.addAll(keptPlan(c,
                "'push', now() - interval '1 minute', 'push', now(), 'push', now(), 3, now(), 'x', 'x', now()")),
                three, four)).as("rows claimed").containsOnly(3, 4);
        // The plan for any values reads each window in order from its partial index, as the plans for values did.
        assertThat(String.join("\n", kept)).contains("Index Scan using delivery_sending",
                "Index Scan using delivery_due_stat", "Index Scan using delivery_due_channel")
                .doesNotContain("Seq Scan");
    }

    @Test
    void moreRowsThanTheLargestSlotsGoAsWholeArrays() throws Exception {
        int n = 65;
        Object[] ids = IntStream.range(0, n).mapToObj(i -> UUID.randomUUID()).toArray();
        Object[] claims = IntStream.range(0, n).mapToObj(i -> (long) i).toArray();
        String held = ArraySlots.sql(DeliveryClaims.HELD, n, "uuid", "bigint");
        assertThat(held).contains("?::uuid[]").doesNotContain("array[");
        try (Connection c = PagerlessInfra.connection()) {
            assertThat(Jdbc.query(c, held, rs -> 1, ArraySlots.params(n, ids, claims))).isEmpty();
            Object[] people = IntStream.range(0, n).mapToObj(i -> "nobody.plannedonce." + i).toArray();
            assertThat(Jdbc.query(c, ArraySlots.sql(Contacts.REACH, n, "text", "text"), rs -> 1,
                    ArraySlots.params(n, people, new Object[n]))).hasSize(n);
        }
    }

    /**
     * Runs {@code sql} {@link #RUNS} times as the app runs it ({@link Jdbc}), with each of {@code params} in turn, on a
     * connection of its own beside {@link #SETTLED} settled rows and {@link #BUSY} due or sending; asserts PostgreSQL
     * made at most its five trial plans and then kept one. Answers the rows of each run.
     */
    private static List<Integer> runAndCountPlans(String sql, Object[]... params) throws Exception {
        Binding[] bindings = new Binding[params.length];
        for (int i = 0; i < params.length; i++) {
            Object[] p = params[i];
            bindings[i] = ps -> Jdbc.bind(ps, p);
        }
        return runAndCountPlans(sql, c -> null, bindings);
    }

    /**
     * As {@link #runAndCountPlans(String, Object[][])}, each run's parameters bound by one of {@code bindings} in turn;
     * then {@code then} looks at the connection, before the rows are rolled back.
     */
    private static List<Integer> runAndCountPlans(String sql, Jdbc.Work<?> then, Binding... bindings) throws Exception {
        List<Integer> rows = new ArrayList<>();
        try (Connection c = PagerlessInfra.connection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // A day's settled rows, and statistics that know them: on a near-empty table any plan is cheap and
                // PostgreSQL keeps one whatever the statement. Rolled back below: no lane or other test sees them.
                st.execute("insert into delivery (id, notification_id, event_id, task_id, staff_id, channel, step, "
                        + "priority, fyi, kind, ref, status, due_at, expires_at, created_at, updated_at) select "
                        + "gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), "
                        + "'nobody.plannedonce', 'push', 0, 'urgent', false, 'BLEEP', 'PLANNEDONCE', 'sent', now(), "
                        + "now(), now(), now() from generate_series(1, " + SETTLED + ")");
                // And a busy hour's outbox: rows due (half of them stat) and rows in sending, some past the deadline.
                st.execute("insert into delivery (id, notification_id, event_id, task_id, staff_id, channel, step, "
                        + "priority, fyi, kind, ref, status, due_at, expires_at, created_at, updated_at) select "
                        + "gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), "
                        + "'nobody.plannedonce', 'push', 0, case when g % 4 < 2 then 'stat' else 'urgent' end, false, "
                        + "'BLEEP', 'PLANNEDONCE', case when g % 2 = 0 then 'pending' else 'sending' end, "
                        + "now() - g * interval '1 second', now(), now(), now() - g * interval '1 second' "
                        + "from generate_series(1, " + BUSY + ") g");
                st.execute("analyze delivery");
            }
            for (int run = 0; run < RUNS; run++) {
                rows.add(run(c, sql, bindings[run % bindings.length]));
            }
            try (PreparedStatement ps = c.prepareStatement("select custom_plans, generic_plans "
                    + "from pg_prepared_statements where not from_sql");
                 ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("the statement prepared on the server").isTrue();
                assertThat(rs.getLong(1)).as("plans made for one execution each").isLessThanOrEqualTo(5);
                assertThat(rs.getLong(2)).as("executions on the plan kept").isPositive();
                assertThat(rs.next()).as("one statement prepared").isFalse();
            }
            then.run(c);
            c.rollback();
        }
        return rows;
    }

    /** The plan PostgreSQL kept for the one statement prepared on {@code c}, explained for {@code args} (SQL). */
    private static List<String> keptPlan(Connection c, String args) throws java.sql.SQLException {
        List<String> plan = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            String name;
            try (ResultSet rs = st.executeQuery("select name from pg_prepared_statements where not from_sql")) {
                rs.next();
                name = rs.getString(1);
            }
            try (ResultSet rs = st.executeQuery("explain execute \"" + name + "\"(" + args + ")")) {
                while (rs.next()) {
                    plan.add(rs.getString(1));
                }
            }
        }
        return plan;
    }

    /** Runs {@code sql} once, bound as {@link Jdbc} binds it: the rows it answered, or changed. */
    private static int run(Connection c, String sql, Binding binding) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binding.bind(ps);
            if (!ps.execute()) {
                return ps.getUpdateCount();
            }
            int n = 0;
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }
}
