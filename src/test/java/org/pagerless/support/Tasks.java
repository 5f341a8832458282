package org.pagerless.support;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
}
