package org.pagerless.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.platform.Jdbc;

/**
 * Provider status callbacks that arrived before the sid they name was recorded on a delivery (Twilio can call back
 * before its answer to our create request reaches us): kept in {@code delivery_callback} and applied, in order, by
 * the transaction that records the sid. That transaction holds the sid's advisory lock from before it records the
 * sid until it commits, and a callback that finds no row carrying the sid takes the same lock and looks again before
 * keeping anything, so the two never miss each other. (A callback that finds a row carrying the sid needs no lock:
 * the transaction that recorded it has committed, kept callbacks applied; {@link DeliveryOutbox#providerStatus}.)
 * Runs inside the caller's transaction.
 */
final class EarlyCallbacks {
    private EarlyCallbacks() {
    }

    /** Serialises everything done about one provider sid until the transaction ends. */
    static void lockSid(Connection c, String sid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "delivery-sid:" + sid);
            ps.execute();
        }
    }

    /** Keeps a callback for {@code sid}, which no delivery carries yet. */
    static void keep(Connection c, String sid, DeliveryStatus status, String reason, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into delivery_callback (provider_id, status, reason, at) values (?, ?, ?, ?)")) {
            ps.setString(1, sid);
            ps.setString(2, status.code());
            ps.setString(3, reason);
            ps.setObject(4, Jdbc.utc(at));
            ps.executeUpdate();
        }
    }

    /** Applies, oldest first and forward only, the callbacks kept for {@code sid} to delivery {@code id}, now in {@code status}. */
    static void apply(Connection c, UUID id, String sid, DeliveryStatus status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select status, reason, at from delivery_callback where provider_id = ? order by seq")) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DeliveryStatus next = DeliveryStatus.fromCode(rs.getString(1)).orElseThrow();
                    if (status.canMoveTo(next)) {
                        DeliveryRows.moveTo(c, id, next, rs.getString(2), DeliveryRows.instant(rs, "at"));
                        status = next;
                    }
                }
            }
        }
    }

    /** Forgets callbacks kept since before {@code before}. */
    static int prune(Connection c, OffsetDateTime before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from delivery_callback where at < ?")) {
            ps.setObject(1, before);
            return ps.executeUpdate();
        }
    }
}
