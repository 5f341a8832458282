package org.pagerless.interop.wctp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What a WCTP client asked of its page: the reply texts of a multiple-choice (MCR) page (the first means accept, the
 * second decline) and whether it wants to hear of delivery ({@code notifyWhenDelivered}).
 */
@ApplicationScoped
public class WctpChoices {
    @Inject
    DataSource dataSource;

    /** Records the choices once (a retried submit keeps the first). */
    void remember(UUID taskId, String sender, List<String> choices, boolean notifyDelivered, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into wctp_choices (task_id, sender, choices, notify_delivered, created_at) values (?, ?, ?, ?, ?)"
                        + " on conflict (task_id) do nothing")) {
            ps.setObject(1, taskId);
            ps.setString(2, sender);
            ps.setArray(3, c.createArrayOf("text", choices.toArray()));
            ps.setBoolean(4, notifyDelivered);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record WCTP choices", e);
        }
    }

    /** Whether the client asked to hear when its page was delivered. */
    boolean notifyDelivered(UUID taskId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select notify_delivered from wctp_choices where task_id = ?")) {
            ps.setObject(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read WCTP page options", e);
        }
    }

    /** The choices of the task's page, or empty for a plain (alphanumeric) page. */
    List<String> of(UUID taskId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select choices from wctp_choices where task_id = ?")) {
            ps.setObject(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Arrays.asList((String[]) rs.getArray(1).getArray()) : List.of();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read WCTP choices", e);
        }
    }
}
