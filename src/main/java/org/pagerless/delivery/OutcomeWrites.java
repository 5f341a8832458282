package org.pagerless.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.pagerless.platform.Jdbc;

/**
 * Writes many rows' outcomes at once, on a connection whose transaction holds their locks: one update from arrays and
 * one history insert from arrays (for the rows whose status moved), however many rows. What {@link DeliveryClaims}'
 * {@code finishAll} and {@code claimAndSettle} record with.
 */
final class OutcomeWrites {
    private OutcomeWrites() {
    }

    /**
     * One row's new state: its status (moved or kept), reason, address (null keeps the row's), attempts, due time, and
     * when a provider may have taken it without our knowing (null clears it); {@code moved}: write its history row.
     */
    record Row(UUID id, String status, String reason, String address, int attempts, Instant dueAt, Instant unsureSince,
               boolean moved) {
    }

    /** Writes {@code rows} at {@code now}; {@code bumpClaim}: also takes each row's next fencing token (a claim). */
    static void write(Connection c, List<Row> rows, Instant now, boolean bumpClaim) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        Object[] ids = new Object[n];
        String[] statuses = new String[n];
        String[] reasons = new String[n];
        String[] addresses = new String[n];
        Object[] attempts = new Object[n];
        String[] dues = new String[n];
        String[] unsure = new String[n];
        List<Object> movedIds = new ArrayList<>();
        List<String> movedStatuses = new ArrayList<>();
        List<String> movedReasons = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            ids[i] = r.id();
            statuses[i] = r.status();
            reasons[i] = r.reason();
            addresses[i] = r.address();
            attempts[i] = r.attempts();
            dues[i] = r.dueAt().toString();
            unsure[i] = r.unsureSince() == null ? null : r.unsureSince().toString();
            if (r.moved()) {
                movedIds.add(r.id());
                movedStatuses.add(r.status());
                movedReasons.add(r.reason());
            }
        }
        try (PreparedStatement ps = c.prepareStatement("update delivery d set status = u.status, reason = "
                + "u.reason, updated_at = ?, address = coalesce(u.address, d.address), attempts = u.attempts, "
                + (bumpClaim ? "claim = d.claim + 1, " : "")
                + "due_at = u.due_at::timestamptz, unsure_since = case when u.unsure is null then null else "
                + "coalesce(d.unsure_since, u.unsure::timestamptz) end from unnest(?::uuid[], ?::text[], "
                + "?::text[], ?::text[], ?::int[], ?::text[], ?::text[]) as u(id, status, reason, address, "
                + "attempts, due_at, unsure) where d.id = u.id")) {
            ps.setObject(1, Jdbc.utc(now));
            ps.setArray(2, c.createArrayOf("uuid", ids));
            ps.setArray(3, c.createArrayOf("text", statuses));
            ps.setArray(4, c.createArrayOf("text", reasons));
            ps.setArray(5, c.createArrayOf("text", addresses));
            ps.setArray(6, c.createArrayOf("int4", attempts));
            ps.setArray(7, c.createArrayOf("text", dues));
            ps.setArray(8, c.createArrayOf("text", unsure));
            ps.executeUpdate();
        }
        if (!movedIds.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("insert into delivery_status_history (delivery_id, "
                    + "status, reason, at) select h.id, h.status, h.reason, ? from unnest(?::uuid[], ?::text[], "
                    + "?::text[]) with ordinality as h(id, status, reason, n) order by h.n")) {
                ps.setObject(1, Jdbc.utc(now));
                ps.setArray(2, c.createArrayOf("uuid", movedIds.toArray()));
                ps.setArray(3, c.createArrayOf("text", movedStatuses.toArray()));
                ps.setArray(4, c.createArrayOf("text", movedReasons.toArray()));
                ps.executeUpdate();
            }
        }
    }
}
