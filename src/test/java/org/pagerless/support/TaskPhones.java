package org.pagerless.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What each phone got about one task, and nothing else about it: the escalation scenarios' GoAlert-style check
 * ("expect the phone"; any unexpected text or call fails). Every test pages the same demo holders, so the check is
 * scoped by the task: texts that mention its reference, calls placed for its voice deliveries, pushes for its push
 * deliveries. It is read after a delivery barrier, never after a timed wait: {@link #settled} returns once every
 * offer of the task has its rows in the outbox and every row due by the app clock has been sent, delivered, failed or
 * withdrawn (none pending or being sent).
 */
public final class TaskPhones {
    private static final Api SWITCHBOARD = Api.as("sam.patel");
    private static final List<String> UNDONE = List.of("pending", "sending");

    private final String taskId;
    private final String ref;

    private TaskPhones(String taskId) {
        this.taskId = taskId;
        this.ref = Deliveries.ref(taskId);
    }

    /** The phones' view of this task. */
    public static TaskPhones of(String taskId) {
        return new TaskPhones(taskId);
    }

    /**
     * The barrier: waits until the outbox has a notification for every offer of the task (each offer event names who
     * it went to) and nothing due by {@code now} (the app clock) is pending or being sent.
     */
    public TaskPhones settled(Instant now) {
        Map<String, Integer> offers = offers();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(notificationsPerPerson()).as("outbox notifications of task " + ref).containsAllEntriesOf(offers);
            assertThat(undoneBy(now)).as("rows of task " + ref + " due by " + now + " not yet sent or withdrawn")
                    .isEmpty();
        });
        return this;
    }

    /**
     * As {@link #settled}, then past the per-number SMS window: a text of the task held because another page texted
     * the same number less than the window ago (a leftover page of an earlier test, whose clock reached the same
     * instants) is pending until the window ends. The clock is moved to exactly then, no further, and the task
     * settled again; the held text goes then (bundled with anything else due for that number).
     */
    public TaskPhones settledPastSmsHolds(TestClock clock) {
        settled(clock.instant());
        for (Optional<Instant> until = heldUntil(); until.isPresent(); until = heldUntil()) {
            Duration left = Duration.between(clock.instant(), until.get());
            if (!left.isNegative()) {
                clock.advance(left.plusMillis(1));
            }
            settled(clock.instant());
        }
        return this;
    }

    /**
     * This person's phone got exactly {@code texts} texts and {@code calls} calls about the task, and no push beyond
     * one per push delivery the outbox sent them (a person with no subscription gets none).
     */
    public TaskPhones got(String staffId, int texts, int calls) {
        // The one thing the ladder cannot say: a dispatcher tick that read the shared clock before another test moved
        // it back claims a row with that later instant and withdraws it as expired. The outbox records it; the phone
        // then rightly gets nothing for that row. (Production clocks do not jump back by the 10 minutes it needs.)
        int textsExpired = expired(staffId, "sms");
        int callsExpired = expired(staffId, "voice");
        for (String phone : phonesOf(staffId)) {
            PagerlessInfra.twilio().device(phone).assertAboutTask(ref, rows(staffId, "voice", null),
                    Math.max(0, texts - textsExpired), Math.max(0, calls - callsExpired));
        }
        List<String> pushRows = rows(staffId, "push", null);
        List<String> pushed = rows(staffId, "push", List.of("sent", "delivered", "read"));
        assertThat(PagerlessInfra.pushService().pushesFor(pushRows)).as("pushes to " + staffId + " about " + ref)
                .hasSize(pushed.size());
        return this;
    }

    /** Each of these people got no text and no call about the task (pushes: as for {@link #got}). */
    public TaskPhones gotNoTextOrCall(Collection<String> staffIds) {
        for (String staffId : staffIds) {
            got(staffId, 0, 0);
        }
        return this;
    }

    /** How many times the task was offered to each person (first offers, re-offers, reassignments, handovers). */
    @SuppressWarnings("unchecked")
    private Map<String, Integer> offers() {
        Map<String, Integer> offers = new HashMap<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) SWITCHBOARD.task(taskId).get("timeline")) {
            Map<String, Object> detail = (Map<String, Object>) e.get("detail");
            Object to = detail == null ? null : switch ((String) e.get("event")) {
                case "TaskOffered", "BroadcastRealerted", "TaskReassigned" -> detail.get("offeredTo");
                case "TaskHandedOver" -> detail.get("toStaff");
                default -> null;
            };
            if (to instanceof List<?> people) {
                people.forEach(p -> offers.merge((String) p, 1, Integer::sum));
            }
        }
        return offers;
    }

    private Map<String, Integer> notificationsPerPerson() throws SQLException {
        Map<String, Integer> found = new HashMap<>();
        query("select staff_id, count(distinct notification_id) from delivery where task_id = ?::uuid group by staff_id",
                rs -> found.put(rs.getString(1), rs.getInt(2)), taskId);
        return found;
    }

    private List<String> undoneBy(Instant now) throws SQLException {
        List<String> undone = new ArrayList<>();
        query("select staff_id || ' ' || channel || ' ' || status from delivery where task_id = ?::uuid"
                + " and status = any (?) and (status = 'sending' or due_at <= ?)", rs -> undone.add(rs.getString(1)),
                taskId, UNDONE.toArray(String[]::new), OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        return undone;
    }

    /** When the last of the task's texts held by the SMS window may go, if any is held. */
    private Optional<Instant> heldUntil() {
        List<Instant> until = new ArrayList<>();
        try {
            query("select max(due_at) from delivery where task_id = ?::uuid and channel = 'sms' and status = 'pending'"
                    + " and reason like 'held:%' having count(*) > 0",
                    rs -> until.add(rs.getObject(1, OffsetDateTime.class).toInstant()), taskId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return until.stream().findFirst();
    }

    /** The ids of the person's rows of the task on {@code channel} (in these statuses, or any when null). */
    private List<String> rows(String staffId, String channel, List<String> statuses) {
        List<String> ids = new ArrayList<>();
        try {
            query("select id::text, status from delivery where task_id = ?::uuid and staff_id = ? and channel = ?", rs -> {
                if (statuses == null || statuses.contains(rs.getString(2))) {
                    ids.add(rs.getString(1));
                }
            }, taskId, staffId, channel);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private int expired(String staffId, String channel) {
        int[] n = new int[1];
        try {
            query("select count(*) from delivery where task_id = ?::uuid and staff_id = ? and channel = ?"
                    + " and status = 'withdrawn' and reason like 'expired%'", rs -> n[0] = rs.getInt(1), taskId, staffId,
                    channel);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return n[0];
    }

    /** The number on the person's record and any number a text or call of the task went to. */
    private Set<String> phonesOf(String staffId) {
        Set<String> phones = new LinkedHashSet<>();
        phones.add(Deliveries.phoneOfRecord(staffId));
        try {
            query("select distinct address from delivery where task_id = ?::uuid and staff_id = ? and address is not null",
                    rs -> phones.add(rs.getString(1)), taskId, staffId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        phones.remove(null);
        return phones;
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(String sql, Row row, Object... parameters) throws SQLException {
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }
}
