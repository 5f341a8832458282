package org.pagerless.board;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who took on an alert in "Needs a human", and who dealt with it: one row per task (table {@code alert_claim}),
 * the current state. Claiming clears an earlier resolution; resolving clears the claim. Each claim and resolution is
 * also kept, append-only, in {@code alert_claim_event}, so the task's timeline shows them all.
 */
@ApplicationScoped
public class AlertClaims {

    /** The state of one task's alert: claimed (by, at) and/or resolved (by, at), each null when not. */
    public record Claim(UUID taskId, String claimedBy, Instant claimedAt, String resolvedBy, Instant resolvedAt,
                        String note) {
        /** Whether a resolution covers an alert raised at {@code alertAt}: a later alert needs a human again. */
        public boolean resolves(Instant alertAt) {
            return resolvedAt != null && !resolvedAt.isBefore(alertAt);
        }
    }

    /** One claim or resolution, as the task's timeline shows it: {@code what} is "claimed" or "resolved". */
    public record ClaimEvent(String what, String by, Instant at, String note) {
    }

    @Inject
    DataSource dataSource;

    public void claim(UUID taskId, String by, Instant at) {
        write(taskId, "claimed", by, at, null, """
                insert into alert_claim (task_id, claimed_by, claimed_at) values (?, ?, ?)
                on conflict (task_id) do update set claimed_by = excluded.claimed_by,
                    claimed_at = excluded.claimed_at, resolved_by = null, resolved_at = null, note = null""",
                taskId, by, Timestamp.from(at));
    }

    public void resolve(UUID taskId, String by, Instant at, String note) {
        write(taskId, "resolved", by, at, note, """
                insert into alert_claim (task_id, resolved_by, resolved_at, note) values (?, ?, ?, ?)
                on conflict (task_id) do update set resolved_by = excluded.resolved_by,
                    resolved_at = excluded.resolved_at, note = excluded.note, claimed_by = null, claimed_at = null""",
                taskId, by, Timestamp.from(at), note);
    }

    /** The claims of these tasks, by task id; tasks nobody claimed or resolved are absent. */
    public Map<UUID, Claim> of(Collection<UUID> taskIds) {
        Map<UUID, Claim> found = new HashMap<>();
        if (taskIds.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select task_id, claimed_by, claimed_at, resolved_by, resolved_at, note from alert_claim"
                        + " where task_id = any (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", taskIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    found.put(id, new Claim(id, rs.getString(2), instant(rs.getTimestamp(3)), rs.getString(4),
                            instant(rs.getTimestamp(5)), rs.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("alert claims not read", e);
        }
        return found;
    }

    /** Every claim and resolution of the task's alerts, oldest first. */
    public List<ClaimEvent> history(UUID taskId) {
        List<ClaimEvent> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select what, by_staff, at, note from alert_claim_event where task_id = ? order by at, id")) {
            ps.setObject(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new ClaimEvent(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)),
                            rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("alert claims not read", e);
        }
        return found;
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    /** The current state and its history row, in one transaction. */
    private void write(UUID taskId, String what, String by, Instant at, String note, String sql, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql); PreparedStatement history = c.prepareStatement(
                    "insert into alert_claim_event (task_id, what, by_staff, at, note) values (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
                history.setObject(1, taskId);
                history.setString(2, what);
                history.setString(3, by);
                history.setTimestamp(4, Timestamp.from(at));
                history.setString(5, note);
                history.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("alert claim not written", e);
        }
    }
}
