package org.pagerless.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the delivery tests share: paging a doctor by name, their number of record, and their deliveries as they see them. */
public final class Deliveries {
    private static final Api WARD_NURSE = Api.as("grace.okafor");

    private Deliveries() {
    }

    /** A ward nurse asks this doctor, by name, for a cannula for the test patient on Ward 7B; returns once it is offered. */
    public static String raiseFor(String staffId, String priority) {
        String id = WARD_NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("person", staffId), priority))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        return id;
    }

    /** The mobile number on the person's staff record. */
    public static String phoneOfRecord(String staffId) {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("select phone from staff where id = ?")) {
            ps.setString(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reference a page gives for the task: the first six hex digits, upper case. */
    public static String ref(String taskId) {
        return taskId.substring(0, 6).toUpperCase();
    }

    /** The person's deliveries of the task on this channel, newest first, as {@code /api/v1/me/notifications} lists them. */
    public static List<Map<String, Object>> deliveries(String staffId, String taskId, String channel) {
        // The task's own deliveries: a person's latest 200 can be others' when tests move the clock back and forth.
        List<Map<String, Object>> all = Api.as(staffId).get("/api/v1/me/notifications?task=" + taskId).statusCode(200)
                .extract().jsonPath().getList("");
        return all.stream().filter(d -> taskId.equals(d.get("taskId")) && channel.equals(d.get("channel"))).toList();
    }

    /** The newest delivery of the task to the person on this channel (empty if none). */
    public static Map<String, Object> delivery(String staffId, String taskId, String channel) {
        return deliveries(staffId, taskId, channel).stream().findFirst().orElse(Map.of());
    }

    /** Waits until the newest such delivery has this status, and returns it. */
    public static Map<String, Object> awaitDelivery(String staffId, String taskId, String channel, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> status.equals(delivery(staffId, taskId, channel).get("status")));
        return delivery(staffId, taskId, channel);
    }

    /**
     * The statuses of the person's delivery of the task on this channel, oldest first, as their delivery history
     * ({@code /api/v1/me/deliveries}, latest 200) shows them; empty if it is not among them.
     */
    @SuppressWarnings("unchecked")
    public static List<String> historyOf(String staffId, String taskId, String channel) {
        List<Map<String, Object>> all = Api.as(staffId).get("/api/v1/me/deliveries?limit=200").statusCode(200).extract()
                .jsonPath().getList("");
        return all.stream().filter(d -> taskId.equals(d.get("taskId")) && channel.equals(d.get("channel"))).findFirst()
                .map(d -> ((List<Map<String, Object>>) d.get("history")).stream().map(h -> (String) h.get("status"))
                        .toList())
                .orElse(List.of());
    }
}
