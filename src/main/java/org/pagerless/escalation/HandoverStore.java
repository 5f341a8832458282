package org.pagerless.escalation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code handover_watch} table: per role, the instant up to which its rota has been checked for holders
 * leaving (ADR 0010). All methods run on the caller's connection and transaction.
 */
@ApplicationScoped
public class HandoverStore {

    /** Starts watching roles not watched yet, from {@code now}: nothing before a role is first seen is handed over. */
    public void watch(Connection c, Collection<String> roleIds, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into handover_watch (role_id, checked_until)
                select r, ? from unnest(?::text[]) r
                where not exists (select 1 from handover_watch w where w.role_id = r)
                on conflict (role_id) do nothing
                """)) {
            ps.setObject(1, Jdbc.utc(now));
            ps.setArray(2, c.createArrayOf("text", roleIds.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * The clock went back (corrected by hand, a pod whose clock lags, a test resetting its clock): check again from
     * {@code now}. Whatever is detected twice carries the command id it had the first time, so it is applied once.
     */
    public void rewind(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update handover_watch set checked_until = ? where checked_until > ?")) {
            ps.setObject(1, Jdbc.utc(now));
            ps.setObject(2, Jdbc.utc(now));
            ps.executeUpdate();
        }
    }

    /**
     * Locks the roles not checked up to {@code until} and says since when each is unchecked. Rows another detector
     * holds are skipped, never waited for: that detector hands those roles over.
     */
    public Map<String, Instant> claim(Connection c, Instant until) throws SQLException {
        Map<String, Instant> claimed = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select role_id, checked_until from handover_watch where checked_until < ?
                order by role_id for update skip locked
                """)) {
            ps.setObject(1, Jdbc.utc(until));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
                }
            }
        }
        return claimed;
    }

    /** Records that the claimed roles are checked up to {@code until}. */
    public void checked(Connection c, Collection<String> roleIds, Instant until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update handover_watch set checked_until = ? where role_id = any(?)")) {
            ps.setObject(1, Jdbc.utc(until));
            ps.setArray(2, c.createArrayOf("text", roleIds.toArray()));
            ps.executeUpdate();
        }
    }

}
