package org.pagerless.support;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

/**
 * A broadcast reaches whole teams, people other tests page too: a test that raises one cancels it when done, waits
 * for its deliveries to settle, and takes its texts and calls off the fake phones, so no other test sees them.
 */
public final class Broadcasts {
    private Broadcasts() {
    }

    public static void cleanUp(String id) {
        Api.as("sam.patel").post("/api/v1/tasks/" + id + "/cancel");
        await().atMost(Duration.ofSeconds(30)).until(() -> unsettled(id) == 0);
        PagerlessInfra.twilio().discardMentioning(id.substring(0, 6).toUpperCase());
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("select id from delivery where task_id = ? and channel = 'voice'")) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PagerlessInfra.twilio().discardCallsTo(rs.getString(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long unsettled(String id) throws Exception {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement(
                     "select count(*) from delivery where task_id = ? and status in ('pending', 'sending')")) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
