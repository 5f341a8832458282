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
 * The delivery outbox in PostgreSQL. Every status change goes through {@link #move}, which refuses
 * backward moves and writes the history row in the same transaction. Times are the app clock's.
 */
@ApplicationScoped
public class DeliveryOutbox {
    private static final String COLUMNS = "id, notification_id, task_id, staff_id, channel, step, priority, fyi, kind, "
            + "ward_id, ref, status, reason, address, provider_id, attempts, due_at, expires_at, created_at, updated_at";

    @Inject
    DataSource dataSource;

    /** A step's row id: the same notification and channel always give the same id. */
    static UUID idFor(UUID notificationId, Channel channel) {
        return UUID.nameUUIDFromBytes((notificationId + "/" + channel.code()).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the ladder's rows for each notification; notifications already in the outbox change nothing. */
    public int plan(List<Notification> notifications, java.util.function.Function<Notification, Ladder> ladders,
                    java.time.Duration expireAfter, Instant now) throws SQLException {
        int inserted = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into delivery (id, notification_id, event_id, task_id, "
                    + "staff_id, channel, step, priority, fyi, kind, ward_id, ref, status, due_at, expires_at, created_at, "
                    + "updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) "
                    + "on conflict do nothing");
                 PreparedStatement history = c.prepareStatement("insert into delivery_status_history "
                         + "(delivery_id, status, reason, at) values (?, 'pending', null, ?)")) {
                for (Notification n : notifications) {
                    List<Ladder.Step> steps = ladders.apply(n).steps();
                    for (int i = 0; i < steps.size(); i++) {
                        Ladder.Step step = steps.get(i);
                        UUID id = idFor(n.id(), step.channel());
                        Instant due = n.offeredAt().plus(step.after());
                        ps.setObject(1, id);
                        ps.setObject(2, n.id());
                        ps.setObject(3, n.eventId());
                        ps.setObject(4, n.taskId());
                        ps.setString(5, n.staffId());
                        ps.setString(6, step.channel().code());
                        ps.setInt(7, i);
                        ps.setString(8, n.priority());
                        ps.setBoolean(9, n.fyi());
                        ps.setString(10, n.kind());
                        ps.setString(11, n.wardId());
                        ps.setString(12, n.ref());
                        ps.setObject(13, ts(due));
                        ps.setObject(14, ts(due.plus(expireAfter)));
                        ps.setObject(15, ts(now));
                        ps.setObject(16, ts(now));
                        if (ps.executeUpdate() == 1) {
                            inserted++;
                            history.setObject(1, id);
                            history.setObject(2, ts(now));
                            history.executeUpdate();
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return inserted;
    }

    /**
     * Claims up to {@code limit} due deliveries for this dispatcher ({@code FOR UPDATE SKIP LOCKED}, so
     * several pods never claim the same row) and marks them {@code sending}. Rows left in
     * {@code sending} longer than {@code stuckAfter} (a pod died mid-send) are claimed again.
     */
    public List<Delivery> claimDue(Instant now, java.time.Duration stuckAfter, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Delivery> claimed = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from delivery where "
                        + "(status = 'pending' and due_at <= ?) or (status = 'sending' and updated_at <= ?) "
                        + "order by due_at limit ? for update skip locked")) {
                    ps.setObject(1, ts(now));
                    ps.setObject(2, ts(now.minus(stuckAfter)));
                    ps.setInt(3, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            claimed.add(row(rs));
                        }
                    }
                }
                List<Delivery> sending = new ArrayList<>();
                for (Delivery d : claimed) {
                    String reason = d.status() == DeliveryStatus.SENDING ? "reclaimed after the sending deadline" : null;
                    update(c, d.id(), DeliveryStatus.SENDING, reason, now, null, null, d.attempts(), d.dueAt());
                    sending.add(d);
                }
                c.commit();
                return sending;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Records the outcome of a send (or a withdrawal) on a claimed delivery. */
    public void finish(UUID id, DeliveryStatus status, String reason, Instant now, String address, String providerId,
                       int attempts, Instant dueAt) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            update(c, id, status, reason, now, address, providerId, attempts, dueAt);
        }
    }

    /**
     * Moves a delivery forward if its current status allows; a stale or repeated update changes nothing.
     * {@code owner}, when given, must be the delivery's staff id. Returns the delivery as it now is.
     */
    public Optional<Delivery> move(String column, Object key, String owner, DeliveryStatus next, String reason,
                                   Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // Several rows share one message sid when their pages were bundled into one text: all move.
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
                if (found.isEmpty() || (owner != null && !owner.equals(found.get(0).staffId()))) {
                    c.rollback();
                    return Optional.empty();
                }
                for (Delivery d : found) {
                    if (d.status().canMoveTo(next)) {
                        update(c, d.id(), next, reason, now, null, null, d.attempts(), d.dueAt());
                    }
                }
                c.commit();
                return byId(found.get(0).id());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
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

    public boolean optedOut(String phone) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from sms_opt_out where phone = ?")) {
            ps.setString(1, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public void optOut(String phone, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "insert into sms_opt_out (phone, at) values (?, ?) on conflict do nothing")) {
            ps.setString(1, phone);
            ps.setObject(2, ts(now));
            ps.executeUpdate();
        }
    }

    public void optIn(String phone) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from sms_opt_out where phone = ?")) {
            ps.setString(1, phone);
            ps.executeUpdate();
        }
    }

    private static void update(Connection c, UUID id, DeliveryStatus status, String reason, Instant now,
                               String address, String providerId, int attempts, Instant dueAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update delivery set status = ?, reason = ?, updated_at = ?, "
                + "address = coalesce(?, address), provider_id = coalesce(?, provider_id), attempts = ?, due_at = ? "
                + "where id = ?");
             PreparedStatement history = c.prepareStatement(
                     "insert into delivery_status_history (delivery_id, status, reason, at) values (?, ?, ?, ?)")) {
            ps.setString(1, status.code());
            ps.setString(2, reason);
            ps.setObject(3, ts(now));
            ps.setString(4, address);
            ps.setString(5, providerId);
            ps.setInt(6, attempts);
            ps.setObject(7, ts(dueAt));
            ps.setObject(8, id);
            ps.executeUpdate();
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
                instant(rs, "expires_at"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
