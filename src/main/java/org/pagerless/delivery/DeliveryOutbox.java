package org.pagerless.delivery;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.delivery.model.Ladder;
import org.pagerless.platform.Ids;
import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The delivery outbox in PostgreSQL: planning each notification's ladder of rows, moving rows forward on receipts and
 * answers, and reading them. Times are the app clock's. Statuses only move forward ({@link DeliveryStatus#canMoveTo}),
 * whoever moves them, and every change writes its history row in the same transaction (the first status, pending at
 * the row's creation, is the row itself: ADR 0059). Claiming due rows and recording
 * a send's outcome under the claim's fencing token is {@link DeliveryClaims}.
 */
@ApplicationScoped
public class DeliveryOutbox {
    @Inject
    Jdbc jdbc;

    /**
     * A step's row id: the same notification and channel always give the same id, in the order of the notifications'
     * offers (ADR 0082): the step's pre-0082 id ({@link #idBefore0082}) after the offer's time. A notification planned
     * again (a record read again) is kept out by its rows' ids (ADR 0089).
     */
    static UUID idFor(Notification n, Channel channel) {
        return idFor(n, idBefore0082(n, channel));
    }

    /** As {@link #idFor(Notification, Channel)}, from the step's pre-0082 id already made. */
    private static UUID idFor(Notification n, UUID idBefore0082) {
        return Ids.timeOrdered(n.offeredAt(), idBefore0082);
    }

    /**
     * The id the same step's row had when planned before ADR 0082 (the name-based hash of the same seed): a
     * notification planned then and read again after an upgrade finds its row under this id (ADR 0089).
     */
    static UUID idBefore0082(Notification n, Channel channel) {
        return Ids.named(seed(n, channel));
    }

    /** What a step's row id names, before and since ADR 0082: the notification and the channel. */
    private static String seed(Notification n, Channel channel) {
        return n.id() + "/" + channel.code();
    }

    /** The text arrays {@link #plan} inserts from, one per column. */
    private static final int COLUMNS_PLANNED = 21;

    /**
     * Writes the ladder's rows for each notification; notifications already in the outbox change nothing (their rows'
     * ids are taken, or, planned before ADR 0082, a row has their old id: ADR 0089), and neither does a new-message push
     * for a person and conversation that already has one waiting (V80). One statement for the whole batch, however many
     * rows (one multi-row insert, from arrays). A new row's first status, {@code pending} at its {@code created_at}, is
     * not written to the history table: {@link #history} reads it from the row itself (ADR 0059). A row in {@code
     * settled} ({@link SettledAtPlanning}: an offer's in-app row, a text, call or push that cannot go) is written already
     * in its settlement's status (one attempt if {@code sent}), with its reason and address (ADRs 0072, 0078, 0079), and
     * keeps that status and reason as {@code planned_status} and {@code planned_reason}, from which {@link #history}
     * reads that change too: no history row (ADR 0085). It is never claimed. Answers the new rows and, per channel, when
     * the earliest pending one falls due (what that channel's lane must wake for).
     */
    public Planned plan(List<Notification> notifications, java.util.function.Function<Notification, Ladder> ladders,
                        java.time.Duration expireAfter, Instant now, java.util.Map<UUID, Settlement> settled)
            throws SQLException {
        List<String[]> rows = new ArrayList<>();
        for (Notification n : notifications) {
            List<Ladder.Step> steps = ladders.apply(n).steps();
            for (int i = 0; i < steps.size(); i++) {
                Ladder.Step step = steps.get(i);
                Instant due = n.offeredAt().plus(step.after());
                // The pre-0082 id is kept in the row too: one hash of the seed for both.
                UUID before = idBefore0082(n, step.channel());
                UUID id = idFor(n, before);
                Settlement stop = settled.get(id);
                rows.add(new String[] {id.toString(), n.id().toString(),
                    n.eventId() == null ? null : n.eventId().toString(), n.taskId() == null ? null : n.taskId().toString(),
                    n.staffId(), step.channel().code(), Integer.toString(i), n.priority(), Boolean.toString(n.fyi()),
                    n.kind(), n.wardId(), n.ref(), due.toString(), due.plus(expireAfter).toString(), n.callback(),
                    n.conversationId() == null ? null : n.conversationId().toString(), n.title(),
                    stop == null ? DeliveryStatus.PENDING.code() : stop.status().code(),
                    stop == null ? null : stop.reason(), stop == null ? null : stop.address(),
                    before.toString()});
            }
        }
        if (rows.isEmpty()) {
            return new Planned(0, java.util.Map.of(), java.util.Map.of());
        }
        return jdbc.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into delivery (id, "
                    + "notification_id, event_id, task_id, staff_id, channel, step, priority, fyi, kind, ward_id, ref, "
                    + "status, reason, address, attempts, due_at, expires_at, created_at, updated_at, callback, "
                    + "conversation_id, title, planned_status, planned_reason) select id::uuid, notification_id::uuid, "
                    + "event_id::uuid, task_id::uuid, staff_id, channel, step::int, priority, fyi::boolean, kind, ward_id, "
                    + "ref, status, reason, address, case when status = 'sent' then 1 else 0 end, due_at::timestamptz, "
                    + "expires_at::timestamptz, ?, ?, callback, conversation_id::uuid, title, "
                    + "nullif(status, 'pending'), case when status <> 'pending' then reason end "
                    + "from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
                    + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
                    + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) as r(id, notification_id, event_id, task_id, "
                    + "staff_id, channel, step, priority, fyi, kind, ward_id, ref, due_at, expires_at, callback, "
                    + "conversation_id, title, status, reason, address, id_before) "
                    + "where not exists (select 1 from delivery o where o.id = r.id_before::uuid) "
                    + "on conflict do nothing returning id, channel, due_at, status")) {
                ps.setObject(1, Jdbc.utc(now));
                ps.setObject(2, Jdbc.utc(now));
                for (int column = 0; column < COLUMNS_PLANNED; column++) {
                    String[] values = new String[rows.size()];
                    for (int r = 0; r < values.length; r++) {
                        values[r] = rows.get(r)[column];
                    }
                    ps.setArray(3 + column, c.createArrayOf("text", values));
                }
                int inserted = 0;
                java.util.Map<UUID, Settled> settledNew = new java.util.HashMap<>();
                java.util.Map<Channel, Instant> earliest = new java.util.EnumMap<>(Channel.class);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted++;
                        Channel channel = Channel.fromCode(rs.getString(2)).orElseThrow();
                        if (!DeliveryStatus.PENDING.code().equals(rs.getString(4))) {
                            settledNew.put(rs.getObject(1, UUID.class), new Settled(channel, Jdbc.instant(rs, 3)));
                            continue; // never claimed: no lane wakes for it
                        }
                        earliest.merge(channel, Jdbc.instant(rs, 3),
                                (a, b) -> a.isBefore(b) ? a : b);
                    }
                }
                return new Planned(inserted, earliest, settledNew);
            }
        });
    }

    /**
     * What {@link #plan} wrote: how many rows, per channel the earliest due time among the pending ones, and the rows
     * written settled (by id).
     */
    public record Planned(int rows, java.util.Map<Channel, Instant> earliestDue, java.util.Map<UUID, Settled> settled) {
    }

    /** A row written settled: its channel and when it was due. */
    public record Settled(Channel channel, Instant dueAt) {
    }

    /**
     * Moves a delivery forward if its current status allows; a stale or repeated update changes nothing (and writes
     * nothing: the row is not even locked). {@code owner}, when given, must be the delivery's staff id (otherwise
     * nothing is written and the answer is empty). Returns the delivery as it now is. One auto-committed statement
     * ({@link #MOVE_BY_ID}): the move, its history row, and the row as it is after it.
     */
    public Optional<Delivery> move(UUID id, String owner, DeliveryStatus next, String reason, Instant now)
            throws SQLException {
        return jdbc.queryOne(MOVE_BY_ID, DeliveryRows::row, next.code(), Jdbc.text(reason), now, id, Jdbc.text(owner),
                Jdbc.text(owner), DeliveryStatus.codesMovingTo(next), next.code(), Jdbc.text(reason), now, id,
                Jdbc.text(owner), Jdbc.text(owner));
    }

    /** {@link #move}: the row moved (as it is now), or else the row as it was, if it is the owner's. */
    private static final String MOVE_BY_ID = "with moved as (update delivery set status = ?, reason = ?, updated_at = ? "
            + "where id = ? and (cast(? as text) is null or staff_id = ?) and status = any (?::text[]) returning "
            + DeliveryRows.COLUMNS + "), written as (insert into delivery_status_history (delivery_id, status, reason, at) "
            + "select id, ?::text, ?::text, ?::timestamptz from moved) "
            + "select " + DeliveryRows.COLUMNS + " from moved union all select " + DeliveryRows.COLUMNS
            + " from delivery where id = ? and (cast(? as text) is null or staff_id = ?) "
            + "and not exists (select 1 from moved)";

    /**
     * A provider's status callback for message or call {@code sid}: moves every delivery with that sid forward
     * (several when pages were bundled into one text), or, when no delivery has recorded the sid yet (Twilio called
     * back before the dispatcher stored what its create request returned), keeps the callback until {@link
     * DeliveryClaims#finish} records the sid. Returns how many deliveries carry the sid now.
     * <p>
     * The usual case is one auto-committed statement ({@link #MOVE_BY_SID}: the move and its history rows, and how
     * many rows carry the sid); a status that moves nothing (Twilio's {@code ringing} after {@code initiated}, {@code
     * completed} after {@code in-progress}) locks and writes nothing. Only when no row carries the sid does it take the
     * sid's lock ({@link EarlyCallbacks#lockSid}, which {@code finish} holds while it records the sid and applies kept
     * callbacks) and look again in that transaction: a row seen now was recorded by a {@code finish} that has committed,
     * kept callbacks applied; none seen means any later {@code finish} waits for this transaction and then applies
     * the callback kept here. A row that carries the sid is only ever seen after the {@code finish} that recorded it
     * committed, so the first look needs no lock.
     */
    public int providerStatus(String sid, DeliveryStatus next, String reason, Instant now) throws SQLException {
        Object[] move = moveBySid(sid, next, reason, now);
        int carrying = jdbc.queryOne(MOVE_BY_SID, rs -> rs.getInt(1), move).orElseThrow();
        if (carrying > 0) {
            return carrying;
        }
        return jdbc.transaction(c -> {
            EarlyCallbacks.lockSid(c, sid);
            int carryingNow = Jdbc.query(c, MOVE_BY_SID, rs -> rs.getInt(1), move).get(0);
            if (carryingNow == 0) {
                EarlyCallbacks.keep(c, sid, next, reason, now);
            }
            return carryingNow;
        });
    }

    /**
     * Moves the rows carrying a provider sid, in a status that may move to the callback's, forward and writes their
     * history rows, in one statement; answers how many rows carried the sid (in the statement's snapshot, moved or
     * not). Rows a concurrent callback moved are checked again by the update (PostgreSQL re-reads a row updated
     * meanwhile), so statuses still only go forward.
     */
    static final String MOVE_BY_SID = "with moved as (update delivery set status = ?, reason = ?, updated_at = ? "
            + "where provider_id = ? and status = any (?::text[]) returning id), "
            + "written as (insert into delivery_status_history (delivery_id, status, reason, at) "
            + "select id, ?::text, ?::text, ?::timestamptz from moved) "
            + "select count(*) from delivery where provider_id = ?";

    static Object[] moveBySid(String sid, DeliveryStatus next, String reason, Instant now) {
        return new Object[] {next.code(), Jdbc.text(reason), now, sid, DeliveryStatus.codesMovingTo(next), next.code(),
            Jdbc.text(reason), now, sid};
    }

    /** Forgets callbacks kept for sids no delivery recorded within a day (their rows were never ours, or are gone). */
    public int pruneEarlyCallbacks(Instant now) {
        Jdbc.Work<Integer> prune = c -> EarlyCallbacks.prune(c, Jdbc.utc(now.minus(java.time.Duration.ofDays(1))));
        return jdbc.transaction(prune);
    }

    public Optional<Delivery> byId(UUID id) throws SQLException {
        List<Delivery> found = query("where id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Every delivery of one task to one person, newest first. */
    public List<Delivery> ofStaffAndTask(String staffId, UUID taskId) throws SQLException {
        return query("where staff_id = ? and task_id = ? order by created_at desc, step", staffId, taskId);
    }

    /** The person's deliveries, newest first. */
    public List<Delivery> ofStaff(String staffId, int limit) throws SQLException {
        return query("where staff_id = ? order by created_at desc, step limit " + limit, staffId);
    }

    /** Every delivery of these tasks, oldest first (the board's and the task's delivery state). */
    public List<Delivery> ofTasks(java.util.Collection<UUID> taskIds) throws SQLException {
        if (taskIds.isEmpty()) {
            return List.of();
        }
        return query("where task_id = any (?::uuid[]) order by created_at, step",
                (Object) taskIds.stream().map(UUID::toString).toArray(String[]::new));
    }

    /** Texts that reached (or were handed over for) this person since {@code since}, newest first. */
    public List<Delivery> textsTo(String staffId, Instant since) throws SQLException {
        return query("where staff_id = ? and channel = 'sms' and status in ('queued', 'sent', 'delivered', 'read') "
                + "and created_at >= ? order by created_at desc", staffId, Jdbc.utc(since));
    }

    /**
     * The status history of one delivery, oldest first, as (status, reason, at): first {@code pending} when it was
     * planned (the row's {@code created_at}: planning writes no history row, ADR 0059), then the status it was settled
     * in at planning, if it was (the row's {@code planned_status}, ADR 0085), then every change recorded.
     */
    public List<String[]> history(UUID id) throws SQLException {
        return jdbc.query("select h.status, h.reason, h.at from delivery d cross join lateral ("
                + "select -1 as seq, 'pending' as status, null as reason, d.created_at as at"
                + " union all select 0, d.planned_status, d.planned_reason, d.created_at where d.planned_status is not null"
                + " union all select seq, status, reason, at from delivery_status_history where delivery_id = d.id"
                + ") h where d.id = ? order by h.seq", rs -> new String[] {rs.getString(1), rs.getString(2),
                    rs.getObject(3, OffsetDateTime.class).toInstant().toString()}, id);
    }

    private List<Delivery> query(String where, Object... params) {
        return jdbc.query("select " + DeliveryRows.COLUMNS + " from delivery " + where, DeliveryRows::row, params);
    }
}
