package org.pagerless.support;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.pagerless.platform.Topics;
import org.pagerless.task.TaskCodec;
import org.pagerless.task.model.TaskCommand.EscalationDue;
import org.pagerless.task.model.TimerKind;

/** Waiting on and reading tasks through the API, as the switchboard sees them. */
public final class Tasks {
    private static final Api SWITCHBOARD = Api.as("sam.patel");

    private Tasks() {
    }

    /** Waits until the task exists and has this status. */
    public static void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> SWITCHBOARD.get("/api/v1/tasks/" + id)
                .statusCode(200).body("status", equalTo(status)));
    }

    /** The names of the task's events, oldest first. */
    @SuppressWarnings("unchecked")
    public static List<String> events(Map<String, Object> task) {
        return ((List<Map<String, Object>>) task.get("timeline")).stream().map(e -> (String) e.get("event")).toList();
    }

    /**
     * A barrier: returns once the task processor has applied every command on task {@code id} that reached the broker
     * before this call. It publishes a later command on the same key (a timer firing with a fence the task never had,
     * which changes nothing and adds no event) and waits until that one is applied: partition order does the rest.
     * Returns the marker's command id.
     */
    public static UUID settle(String id, TaskCodec codec) throws Exception {
        EscalationDue marker = new EscalationDue(UUID.randomUUID(), UUID.fromString(id), EscalationDue.ACTOR,
                TimerKind.ACK_TIMEOUT, -1);
        Broker.publishCommand(id, codec.command(marker));
        await().atMost(Duration.ofSeconds(30)).until(() -> applied(marker.commandId()));
        return marker.commandId();
    }

    private static boolean applied(UUID commandId) throws Exception {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("select 1 from processed_command where command_id = ?")) {
            ps.setObject(1, commandId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
