package org.pagerless.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.platform.Jdbc;

/** The {@code delivery} row as a {@link Delivery}, and the status change that always writes its history row. */
final class DeliveryRows {
    static final String COLUMNS = "id, notification_id, task_id, staff_id, channel, step, priority, fyi, kind, "
            + "ward_id, ref, status, reason, address, provider_id, attempts, due_at, expires_at, created_at, updated_at, "
            + "claim, unsure_since, callback, conversation_id, title";

    private DeliveryRows() {
    }

    /** {@code select COLUMNS from delivery <where>} on {@code c}. */
    static List<Delivery> select(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from delivery " + where)) {
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

    static void moveTo(Connection c, UUID id, DeliveryStatus status, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update delivery set status = ?, reason = ?, updated_at = ? where id = ?")) {
            ps.setString(1, status.code());
            ps.setString(2, reason);
            ps.setObject(3, Jdbc.utc(now));
            ps.setObject(4, id);
            ps.executeUpdate();
        }
        history(c, id, status, reason, now);
    }

    static void history(Connection c, UUID id, DeliveryStatus status, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement history = c.prepareStatement(
                "insert into delivery_status_history (delivery_id, status, reason, at) values (?, ?, ?, ?)")) {
            history.setObject(1, id);
            history.setString(2, status.code());
            history.setString(3, reason);
            history.setObject(4, Jdbc.utc(now));
            history.executeUpdate();
        }
    }

    static Delivery row(ResultSet rs) throws SQLException {
        return new Delivery(rs.getObject("id", UUID.class), rs.getObject("notification_id", UUID.class),
                rs.getObject("task_id", UUID.class), rs.getString("staff_id"),
                Channel.fromCode(rs.getString("channel")).orElseThrow(), rs.getInt("step"), rs.getString("priority"),
                rs.getBoolean("fyi"), rs.getString("kind"), rs.getString("ward_id"), rs.getString("ref"),
                DeliveryStatus.fromCode(rs.getString("status")).orElseThrow(), rs.getString("reason"),
                rs.getString("address"), rs.getString("provider_id"), rs.getInt("attempts"), instant(rs, "due_at"),
                instant(rs, "expires_at"), instant(rs, "created_at"), instant(rs, "updated_at"), rs.getLong("claim"),
                instant(rs, "unsure_since"), rs.getString("callback"), rs.getObject("conversation_id", UUID.class),
                rs.getString("title"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
