package org.pagerless.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pagerless.platform.Jdbc;

/** Numbers that replied STOP (or turned texts off): no texts to them until START. Calls still ring (ADR 0012). */
@ApplicationScoped
public class SmsOptOuts {
    @Inject
    DataSource dataSource;

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
            ps.setObject(2, Jdbc.utc(now));
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
}
