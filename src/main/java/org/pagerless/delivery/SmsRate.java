package org.pagerless.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import javax.sql.DataSource;

import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * When each phone number was last texted (table {@code sms_rate}), for the per-number SMS rate limit.
 * Taking a window is one conditional upsert, so two dispatchers (pods) never both text a number inside
 * the same window; a stat text takes it unconditionally (it is never held).
 */
@ApplicationScoped
public class SmsRate {
    @Inject
    DataSource dataSource;

    /** When this number was last texted, if ever. */
    public Optional<Instant> lastTexted(String phone) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select last_sent_at from sms_rate where phone = ?")) {
            ps.setString(1, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, OffsetDateTime.class).toInstant()) : Optional.empty();
            }
        }
    }

    /**
     * Takes the number's window at {@code now} if it is free (never texted, last texted at least {@code window}
     * ago, or — clock skew — "last texted" in the future). False: someone else texted it meanwhile.
     */
    public boolean take(String phone, Instant now, Duration window) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into sms_rate (phone, last_sent_at) values (?, ?) "
                     + "on conflict (phone) do update set last_sent_at = excluded.last_sent_at "
                     + "where sms_rate.last_sent_at <= ? or sms_rate.last_sent_at > ?")) {
            ps.setString(1, phone);
            ps.setObject(2, Jdbc.utc(now));
            ps.setObject(3, Jdbc.utc(now.minus(window)));
            ps.setObject(4, Jdbc.utc(now));
            return ps.executeUpdate() == 1;
        }
    }

    /** Records a text that goes whatever the limit (stat): it starts the window for the others. */
    public void force(String phone, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into sms_rate (phone, last_sent_at) values (?, ?) "
                     + "on conflict (phone) do update set last_sent_at = excluded.last_sent_at")) {
            ps.setString(1, phone);
            ps.setObject(2, Jdbc.utc(now));
            ps.executeUpdate();
        }
    }

    /** Gives the window back after a send that failed, so the retry is not held for it. */
    public void release(String phone, Instant takenAt) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from sms_rate where phone = ? and last_sent_at = ?")) {
            ps.setString(1, phone);
            ps.setObject(2, Jdbc.utc(takenAt));
            ps.executeUpdate();
        }
    }

}
