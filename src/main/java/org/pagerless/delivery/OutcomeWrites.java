package org.pagerless.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.platform.ArraySlots;
import org.pagerless.platform.Jdbc;

/**
 * Writes outcomes. Many rows at once, on a connection whose transaction holds their locks: one update from arrays and
 * one history insert from arrays (for the rows whose status moved), however many rows — what {@link DeliveryClaims}'
 * {@code finishAll} and {@code claimAndSettle} record with. One claimed row in one statement that locks it by its claim
 * ({@link #one}, {@link DeliveryClaims#finish}).
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

    /**
     * The update of {@link #write}, with or without taking the next fencing token; its arrays in {@link ArraySlots}
     * (ADR 0087). An empty slot's id matches no row.
     */
    static final String UPDATE_KEEPING_CLAIM = update("");
    private static final String UPDATE_TAKING_CLAIM = update("claim = d.claim + 1, ");
    static final String[] UPDATE_TYPES = {"uuid", "text", "text", "text", "int", "timestamptz", "timestamptz"};

    private static String update(String claim) {
        return "update delivery d set status = u.status, reason = u.reason, updated_at = ?, address = coalesce(u.address, "
                + "d.address), attempts = u.attempts, " + claim + "due_at = u.due_at, unsure_since = case when u.unsure "
                + "is null then null else coalesce(d.unsure_since, u.unsure) end from unnest(%s, %s, %s, %s, %s, %s, %s) "
                + "as u(id, status, reason, address, attempts, due_at, unsure) where d.id = u.id";
    }

    /** The history rows of the rows that moved, in their order; empty slots left out. */
    private static final String HISTORY = "insert into delivery_status_history (delivery_id, status, reason, at) "
            + "select h.id, h.status, h.reason, ? from unnest(%s, %s, %s) with ordinality as h(id, status, reason, n) "
            + "where h.id is not null order by h.n";

    /** Writes {@code rows} at {@code now}; {@code bumpClaim}: also takes each row's next fencing token (a claim). */
    static void write(Connection c, List<Row> rows, Instant now, boolean bumpClaim) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        int m = (int) rows.stream().filter(Row::moved).count();
        Object[][] columns = new Object[7][n];
        Object[][] history = new Object[3][m]; // id, status, reason: the first three columns, of the rows that moved
        int h = 0;
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            Object[] values = {r.id(), r.status(), r.reason(), r.address(), r.attempts(), r.dueAt(), r.unsureSince()};
            for (int k = 0; k < values.length; k++) {
                columns[k][i] = values[k];
            }
            if (r.moved()) {
                for (int k = 0; k < history.length; k++) {
                    history[k][h] = values[k];
                }
                h++;
            }
        }
        Jdbc.update(c, ArraySlots.sql(bumpClaim ? UPDATE_TAKING_CLAIM : UPDATE_KEEPING_CLAIM, n, UPDATE_TYPES),
                ArraySlots.params(now, n, columns));
        if (m > 0) {
            Jdbc.update(c, ArraySlots.sql(HISTORY, m, "uuid", "text", "text"), ArraySlots.params(now, m, history));
        }
    }

    /**
     * What {@link #one} found: the status the row had, whether it moved to the outcome, and whether callbacks are kept
     * for the sid recorded.
     */
    record Was(DeliveryStatus status, boolean moved, boolean callbacksKept) {

        /** The row's status now. */
        DeliveryStatus now(DeliveryStatus outcome) {
            return moved ? outcome : status;
        }
    }

    /**
     * Records {@code status} on {@code d} if {@code d}'s claim is still the row's current one (empty, nothing written,
     * if not), in one statement: the row locked by its claim; moved to the outcome if its status may move there
     * ({@link DeliveryStatus#codesMovingTo}, decided once in the statement), otherwise its status, reason
     * and due time kept; address and {@code providerId} recorded either way (null keeps the row's); {@code unsure_since}
     * cleared, or kept from its first instant; a history row only for a move; and, when a sid is recorded, whether
     * {@code delivery_callback} holds callbacks for it. The parameters are {@link DeliveryClaims#finish}'s.
     */
    static Optional<Was> one(Connection c, Delivery d, DeliveryStatus status, String reason, Instant now, String address,
                             String providerId, int attempts, Instant dueAt, Instant unsureSince) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ONE + (providerId == null ? ", false from moved"
                : ", exists (select 1 from delivery_callback where provider_id = ?) from moved"))) {
            Object unsure = Jdbc.utc(unsureSince);
            int i = 1;
            ps.setArray(i++, c.createArrayOf("text", DeliveryStatus.codesMovingTo(status)));
            ps.setObject(i++, d.id());
            ps.setLong(i++, d.claim());
            ps.setString(i++, status.code());
            ps.setString(i++, reason);
            ps.setObject(i++, Jdbc.utc(now));
            ps.setString(i++, address);
            ps.setString(i++, providerId);
            ps.setInt(i++, attempts);
            ps.setObject(i++, Jdbc.utc(dueAt));
            ps.setObject(i++, Jdbc.utc(d.dueAt()));
            ps.setObject(i++, unsure);
            ps.setObject(i++, unsure);
            ps.setObject(i++, Jdbc.utc(now));
            if (providerId != null) {
                ps.setString(i, providerId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Was(DeliveryStatus.fromCode(rs.getString(1)).orElseThrow(),
                        rs.getBoolean(2), rs.getBoolean(3))) : Optional.empty();
            }
        }
    }

    private static final String ONE = "with cur as (select id, status, reason, status = any (?::text[]) as moves "
            + "from delivery where id = ? and claim = ? for update), moved as (update delivery d set status = case "
            + "when cur.moves then ? else cur.status end, reason = case when cur.moves then ? else cur.reason end, "
            + "updated_at = ?, address = coalesce(?, d.address), provider_id = coalesce(?, d.provider_id), "
            + "attempts = ?, due_at = case when cur.moves then ?::timestamptz else ?::timestamptz end, "
            + "unsure_since = case when ?::timestamptz is null then null else coalesce(d.unsure_since, ?::timestamptz) end "
            + "from cur where d.id = cur.id returning cur.status as was, cur.moves, d.id, d.status, d.reason), "
            + "history as (insert into delivery_status_history (delivery_id, status, reason, at) select id, status, "
            + "reason, ? from moved where moves) select was, moves";
}
