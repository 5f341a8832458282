package org.pagerless.delivery;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.delivery.model.Ladder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The delivery outbox in PostgreSQL. Times are the app clock's. Statuses only move forward
 * ({@link DeliveryStatus#canMoveTo}), whoever moves them, and every change writes its history row in the same
 * transaction. A dispatcher records an outcome only while it holds the row's current claim (the fencing token
 * {@code claim}, bumped by every claim), so a claimant whose claim expired can never overwrite the next one.
 */
@ApplicationScoped
public class DeliveryOutbox {
    private static final String COLUMNS = "id, notification_id, task_id, staff_id, channel, step, priority, fyi, kind, "
            + "ward_id, ref, status, reason, address, provider_id, attempts, due_at, expires_at, created_at, updated_at, "
            + "claim, unsure_since";

    @Inject
    DataSource dataSource;

    /** A step's row id: the same notification and channel always give the same id. */
    static UUID idFor(UUID notificationId, Channel channel) {
        return UUID.nameUUIDFromBytes((notificationId + "/" + channel.code()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes the ladder's rows for each notification; notifications already in the outbox change nothing. One
     * transaction and two statements for the whole batch, however many rows: the rows (one multi-row insert, from
     * arrays) and the {@code pending} history of those newly inserted.
     */
    public int plan(List<Notification> notifications, java.util.function.Function<Notification, Ladder> ladders,
                    java.time.Duration expireAfter, Instant now) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        for (Notification n : notifications) {
            List<Ladder.Step> steps = ladders.apply(n).steps();
            for (int i = 0; i < steps.size(); i++) {
                Ladder.Step step = steps.get(i);
                Instant due = n.offeredAt().plus(step.after());
                rows.add(new String[] {idFor(n.id(), step.channel()).toString(), n.id().toString(),
                    n.eventId() == null ? null : n.eventId().toString(), n.taskId().toString(), n.staffId(),
                    step.channel().code(), Integer.toString(i), n.priority(), Boolean.toString(n.fyi()), n.kind(),
                    n.wardId(), n.ref(), due.toString(), due.plus(expireAfter).toString()});
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into delivery (id, notification_id, event_id, "
                    + "task_id, staff_id, channel, step, priority, fyi, kind, ward_id, ref, status, due_at, expires_at, "
                    + "created_at, updated_at) select id::uuid, notification_id::uuid, event_id::uuid, task_id::uuid, "
                    + "staff_id, channel, step::int, priority, fyi::boolean, kind, ward_id, ref, 'pending', "
                    + "due_at::timestamptz, expires_at::timestamptz, ?, ? from unnest(?::text[], ?::text[], ?::text[], "
                    + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
                    + "?::text[], ?::text[]) as r(id, notification_id, event_id, task_id, staff_id, channel, step, "
                    + "priority, fyi, kind, ward_id, ref, due_at, expires_at) on conflict do nothing returning id");
                 PreparedStatement history = c.prepareStatement("insert into delivery_status_history "
                         + "(delivery_id, status, reason, at) select unnest(?::uuid[]), 'pending', null, ?")) {
                ps.setObject(1, ts(now));
                ps.setObject(2, ts(now));
                for (int column = 0; column < 14; column++) {
                    String[] values = new String[rows.size()];
                    for (int r = 0; r < values.length; r++) {
                        values[r] = rows.get(r)[column];
                    }
                    ps.setArray(3 + column, c.createArrayOf("text", values));
                }
                List<UUID> inserted = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getObject(1, UUID.class));
                    }
                }
                if (!inserted.isEmpty()) {
                    history.setArray(1, c.createArrayOf("uuid", inserted.toArray()));
                    history.setObject(2, ts(now));
                    history.executeUpdate();
                }
                c.commit();
                return inserted.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Claims up to {@code limit} due deliveries on {@code channel} for this dispatcher ({@code FOR UPDATE SKIP
     * LOCKED}, so several pods never claim the same row), marks them {@code sending} and bumps each one's fencing
     * token. Rows left in {@code sending} longer than {@code stuckAfter} (a pod died or stalled mid-send) are claimed
     * again; for texts and calls the send may have reached Twilio, so such a row is marked unsure since its last
     * claim and is reconciled before anything is sent again.
     */
    public List<Delivery> claimDue(Channel channel, Instant now, java.time.Duration stuckAfter, int limit)
            throws SQLException {
        if (limit <= 0) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Delivery> claimed = new ArrayList<>();
                List<Boolean> reclaimed = new ArrayList<>();
                // Two claims, each on its own partial index (V25): rows stuck in sending first, then due rows.
                String[] which = {"status = 'sending' and updated_at <= ? order by updated_at",
                    "status = 'pending' and due_at <= ? order by due_at"};
                for (int w = 0; w < which.length && claimed.size() < limit; w++) {
                    try (PreparedStatement ps = c.prepareStatement("with due as (select id, status as was from "
                            + "delivery where channel = ? and " + which[w] + " limit ? for update skip locked) "
                            + "update delivery d set status = 'sending', claim = d.claim + 1, updated_at = ?, "
                            + "reason = case when due.was = 'sending' then ? end, unsure_since = case "
                            + "when due.was = 'sending' and d.channel in ('sms', 'voice') "
                            + "then coalesce(d.unsure_since, d.updated_at) else d.unsure_since end "
                            + "from due where d.id = due.id returning due.was, "
                            + COLUMNS.replaceAll("(^|, )", "$1d."))) {
                        ps.setString(1, channel.code());
                        ps.setObject(2, ts(w == 0 ? now.minus(stuckAfter) : now));
                        ps.setInt(3, limit - claimed.size());
                        ps.setObject(4, ts(now));
                        ps.setString(5, RECLAIMED);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                claimed.add(row(rs));
                                reclaimed.add("sending".equals(rs.getString("was")));
                            }
                        }
                    }
                }
                try (PreparedStatement history = c.prepareStatement("insert into delivery_status_history "
                        + "(delivery_id, status, reason, at) values (?, 'sending', ?, ?)")) {
                    for (int i = 0; i < claimed.size(); i++) {
                        history.setObject(1, claimed.get(i).id());
                        history.setString(2, reclaimed.get(i) ? RECLAIMED : null);
                        history.setObject(3, ts(now));
                        history.addBatch();
                    }
                    history.executeBatch();
                }
                c.commit();
                claimed.sort(java.util.Comparator.comparing(Delivery::dueAt));
                return claimed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    static final String RECLAIMED = "reclaimed after the sending deadline";

    /** When the next delivery on one of {@code channels} falls due (a pending row, or a sending row's deadline). */
    public Optional<Instant> nextDue(java.util.Collection<Channel> channels, java.time.Duration stuckAfter)
            throws SQLException {
        if (channels.isEmpty()) {
            return Optional.empty();
        }
        String[] codes = channels.stream().map(Channel::code).toArray(String[]::new);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select least((select min(due_at) from delivery where "
                     + "status = 'pending' and channel = any (?)), (select min(updated_at) from delivery where "
                     + "status = 'sending' and channel = any (?)) + ?::interval)")) {
            ps.setObject(1, codes);
            ps.setObject(2, codes);
            ps.setString(3, stuckAfter.toMillis() + " milliseconds");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(instant(rs, "least"));
            }
        }
    }

    /** Whether {@code d}'s claim is still the row's current one (checked just before a text or call goes). */
    public boolean holds(Delivery d) throws SQLException {
        return !query("where id = ? and claim = ? and status = 'sending'", d.id(), d.claim()).isEmpty();
    }

    /** Provider sids already recorded on this person's other rows of the same task and channel. */
    public java.util.Set<String> sidsOfOtherRows(Delivery d) throws SQLException {
        java.util.Set<String> sids = new java.util.HashSet<>();
        for (Delivery other : query("where task_id = ? and staff_id = ? and channel = ? and id <> ? "
                + "and provider_id is not null", d.taskId(), d.staffId(), d.channel().code(), d.id())) {
            sids.add(other.providerId());
        }
        return sids;
    }

    /**
     * Records the outcome of a send (or a withdrawal) on a claimed delivery, if {@code d}'s claim is still the
     * row's current one; returns false (and changes nothing) if another claimant has taken the row since. A status
     * a callback has meanwhile moved past {@code status} is kept (never moved back); the address and provider sid
     * are recorded all the same, and status callbacks that came for that sid before it was recorded are applied.
     * {@code unsureSince}: null when the outcome is known; otherwise the instant from which Twilio may hold it.
     */
    public boolean finish(Delivery d, DeliveryStatus status, String reason, Instant now, String address,
                          String providerId, int attempts, Instant dueAt, Instant unsureSince) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (providerId != null) {
                    EarlyCallbacks.lockSid(c, providerId);
                }
                DeliveryStatus current;
                try (PreparedStatement ps = c.prepareStatement(
                        "select status from delivery where id = ? and claim = ? for update")) {
                    ps.setObject(1, d.id());
                    ps.setLong(2, d.claim());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            c.rollback();
                            return false;
                        }
                        current = DeliveryStatus.fromCode(rs.getString(1)).orElseThrow();
                    }
                }
                boolean moves = current.canMoveTo(status);
                try (PreparedStatement ps = c.prepareStatement("update delivery set status = ?, reason = "
                        + (moves ? "?" : "coalesce(?, reason)") + ", updated_at = ?, address = coalesce(?, address), "
                        + "provider_id = coalesce(?, provider_id), attempts = ?, due_at = ?, unsure_since = "
                        + (unsureSince == null ? "null" : "coalesce(unsure_since, ?)")
                        + " where id = ? and claim = ?")) {
                    int i = 1;
                    ps.setString(i++, (moves ? status : current).code());
                    ps.setString(i++, moves ? reason : null);
                    ps.setObject(i++, ts(now));
                    ps.setString(i++, address);
                    ps.setString(i++, providerId);
                    ps.setInt(i++, attempts);
                    ps.setObject(i++, ts(moves ? dueAt : d.dueAt()));
                    if (unsureSince != null) {
                        ps.setObject(i++, ts(unsureSince));
                    }
                    ps.setObject(i++, d.id());
                    ps.setLong(i, d.claim());
                    ps.executeUpdate();
                }
                if (moves) {
                    history(c, d.id(), status, reason, now);
                }
                if (providerId != null) {
                    EarlyCallbacks.apply(c, d.id(), providerId, moves ? status : current);
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Moves a delivery forward if its current status allows; a stale or repeated update changes nothing.
     * {@code owner}, when given, must be the delivery's staff id. Returns the delivery as it now is.
     */
    public Optional<Delivery> move(String column, Object key, String owner, DeliveryStatus next, String reason,
                                   Instant now) throws SQLException {
        List<Delivery> moved = moveAll(column, key, owner, next, reason, now);
        return moved.isEmpty() ? Optional.empty() : byId(moved.get(0).id());
    }

    /**
     * A provider's status callback for message or call {@code sid}: moves every delivery with that sid forward
     * (several when pages were bundled into one text), or, when no delivery has recorded the sid yet (Twilio called
     * back before the dispatcher stored what its create request returned), keeps the callback until {@link #finish}
     * records the sid. Returns how many deliveries carry the sid now.
     */
    public int providerStatus(String sid, DeliveryStatus next, String reason, Instant now) throws SQLException {
        return moveAll("provider_id", sid, null, next, reason, now).size();
    }

    private List<Delivery> moveAll(String column, Object key, String owner, DeliveryStatus next, String reason,
                                   Instant now) throws SQLException {
        boolean bySid = "provider_id".equals(column);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (bySid) {
                    EarlyCallbacks.lockSid(c, (String) key);
                }
                List<Delivery> found = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from delivery where " + column
                        + " = ? order by id for update")) {
                    ps.setObject(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.add(row(rs));
                        }
                    }
                }
                if (owner != null && !found.isEmpty() && !owner.equals(found.get(0).staffId())) {
                    c.rollback();
                    return List.of();
                }
                for (Delivery d : found) {
                    if (d.status().canMoveTo(next)) {
                        moveTo(c, d.id(), next, reason, now);
                    }
                }
                if (found.isEmpty() && bySid) {
                    EarlyCallbacks.keep(c, (String) key, next, reason, now);
                }
                c.commit();
                return found;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Forgets callbacks kept for sids no delivery recorded within a day (their rows were never ours, or are gone). */
    public int pruneEarlyCallbacks(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return EarlyCallbacks.prune(c, ts(now.minus(java.time.Duration.ofDays(1))));
        }
    }

    public Optional<Delivery> byId(UUID id) throws SQLException {
        List<Delivery> found = query("where id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Whether any channel of this notification has been read. */
    public boolean read(UUID notificationId) throws SQLException {
        return query("where notification_id = ? and status = 'read'", notificationId).size() > 0;
    }

    /** Which of these notifications have been read on some channel (one query for a dispatcher's whole claim). */
    public java.util.Set<UUID> readOf(java.util.Collection<UUID> notificationIds) throws SQLException {
        java.util.Set<UUID> read = new java.util.HashSet<>();
        if (notificationIds.isEmpty()) {
            return read;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select distinct notification_id from delivery "
                     + "where notification_id = any (?) and status = 'read'")) {
            ps.setArray(1, c.createArrayOf("uuid", notificationIds.stream().distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return read;
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
                + "and created_at >= ? order by created_at desc", staffId, ts(since));
    }

    /** The status history of one delivery, oldest first, as (status, reason, at). */
    public List<String[]> history(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select status, reason, at from delivery_status_history where delivery_id = ? order by seq")) {
            ps.setObject(1, id);
            List<String[]> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant().toString()});
                }
            }
            return out;
        }
    }

    static void moveTo(Connection c, UUID id, DeliveryStatus status, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update delivery set status = ?, reason = ?, updated_at = ? where id = ?")) {
            ps.setString(1, status.code());
            ps.setString(2, reason);
            ps.setObject(3, ts(now));
            ps.setObject(4, id);
            ps.executeUpdate();
        }
        history(c, id, status, reason, now);
    }

    private static void history(Connection c, UUID id, DeliveryStatus status, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement history = c.prepareStatement(
                "insert into delivery_status_history (delivery_id, status, reason, at) values (?, ?, ?, ?)")) {
            history.setObject(1, id);
            history.setString(2, status.code());
            history.setString(3, reason);
            history.setObject(4, ts(now));
            history.executeUpdate();
        }
    }

    private List<Delivery> query(String where, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from delivery " + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    private static Delivery row(ResultSet rs) throws SQLException {
        return new Delivery(rs.getObject("id", UUID.class), rs.getObject("notification_id", UUID.class),
                rs.getObject("task_id", UUID.class), rs.getString("staff_id"),
                Channel.fromCode(rs.getString("channel")).orElseThrow(), rs.getInt("step"), rs.getString("priority"),
                rs.getBoolean("fyi"), rs.getString("kind"), rs.getString("ward_id"), rs.getString("ref"),
                DeliveryStatus.fromCode(rs.getString("status")).orElseThrow(), rs.getString("reason"),
                rs.getString("address"), rs.getString("provider_id"), rs.getInt("attempts"), instant(rs, "due_at"),
                instant(rs, "expires_at"), instant(rs, "created_at"), instant(rs, "updated_at"), rs.getLong("claim"),
                instant(rs, "unsure_since"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
