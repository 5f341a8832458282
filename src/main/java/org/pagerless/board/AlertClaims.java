package org.pagerless.board;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.pagerless.platform.Jdbc;

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
    Jdbc jdbc;

    public void claim(UUID taskId, String by, Instant at) {
        write(taskId, "claimed", by, at, null, """
                insert into alert_claim (task_id, claimed_by, claimed_at) values (?, ?, ?)
                on conflict (task_id) do update set claimed_by = excluded.claimed_by,
                    claimed_at = excluded.claimed_at, resolved_by = null, resolved_at = null, note = null""",
                taskId, by, at);
    }

    public void resolve(UUID taskId, String by, Instant at, String note) {
        write(taskId, "resolved", by, at, note, """
                insert into alert_claim (task_id, resolved_by, resolved_at, note) values (?, ?, ?, ?)
                on conflict (task_id) do update set resolved_by = excluded.resolved_by,
                    resolved_at = excluded.resolved_at, note = excluded.note, claimed_by = null, claimed_at = null""",
                taskId, by, at, note);
    }

    /** The claims of these tasks, by task id; tasks nobody claimed or resolved are absent. */
    public Map<UUID, Claim> of(Collection<UUID> taskIds) {
        Map<UUID, Claim> found = new HashMap<>();
        if (taskIds.isEmpty()) {
            return found;
        }
        List<Claim> claims = jdbc.transaction(c -> {
            return Jdbc.query(c, "select task_id, claimed_by, claimed_at, resolved_by, resolved_at, note from alert_claim"
                    + " where task_id = any (?)", rs -> new Claim(rs.getObject(1, UUID.class), rs.getString(2),
                    Jdbc.instant(rs, 3), rs.getString(4), Jdbc.instant(rs, 5), rs.getString(6)),
                    c.createArrayOf("uuid", taskIds.toArray()));
        });
        claims.forEach(claim -> found.put(claim.taskId(), claim));
        return found;
    }

    /** Every claim and resolution of the task's alerts, oldest first. */
    public List<ClaimEvent> history(UUID taskId) {
        return jdbc.query("select what, by_staff, at, note from alert_claim_event where task_id = ? order by at, id",
                rs -> new ClaimEvent(rs.getString(1), rs.getString(2), Jdbc.instant(rs, 3), rs.getString(4)), taskId);
    }

    /** The current state and its history row, in one transaction. */
    private void write(UUID taskId, String what, String by, Instant at, String note, String sql, Object... args) {
        jdbc.transaction(c -> {
            Jdbc.update(c, sql, args);
            Jdbc.update(c, "insert into alert_claim_event (task_id, what, by_staff, at, note) values (?, ?, ?, ?, ?)",
                    taskId, what, by, at, note);
        });
    }
}
