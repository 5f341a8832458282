package org.pagerless.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.Broadcasts;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/** A 2222 broadcast to the Crash Team: every holder of its roles alerted at once, and a live roll-call. */
@QuarkusTest
class BroadcastFlowTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");

    static List<String> crashTeamNow() {
        List<String> all = new ArrayList<>();
        for (String role : List.of("Medical Registrar On-Call", "Medical SHO On-Call", "ED Registrar",
                "Nurse in Charge AMU", "Hospital at Night Coordinator")) {
            for (String who : SWITCHBOARD.holdersOf(role)) {
                if (!all.contains(who)) {
                    all.add(who);
                }
            }
        }
        return all;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBroadcastReachesEveryMemberAndTheRollCallShowsWhoAcknowledged() {
        List<String> team = crashTeamNow();
        assertThat(team).hasSizeGreaterThanOrEqualTo(5);
        String id = SWITCHBOARD.post("/api/v1/broadcasts", Map.of("team", "Crash Team",
                "message", "2222 adult cardiac arrest", "location", "Ward 7A bed 12"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        Map<String, Object> task = SWITCHBOARD.task(id);
        assertThat(task.get("kind")).isEqualTo("broadcast");
        assertThat(task.get("offeredTo")).asList().extracting("id").containsExactlyInAnyOrderElementsOf(team);
        assertThat(task).doesNotContainKey("escalation");

        String first = team.get(0);
        String second = team.get(1);
        Api.as(first).post("/api/v1/tasks/" + id + "/acknowledge").then().statusCode(200)
                .body("rollCall.acknowledged.id", equalTo(List.of(first)));
        Api.as(second).post("/api/v1/tasks/" + id + "/acknowledge").then().statusCode(200);
        Api.as(first).post("/api/v1/tasks/" + id + "/acknowledge").then().statusCode(200)
                .body("rollCall.acknowledged.size()", equalTo(2));
        Api.as("tom.reid").post("/api/v1/tasks/" + id + "/acknowledge").then().statusCode(403);

        Map<String, Object> roll = (Map<String, Object>) SWITCHBOARD.task(id).get("rollCall");
        assertThat((List<Map<String, Object>>) roll.get("acknowledged")).extracting(a -> a.get("id"))
                .containsExactly(first, second);
        assertThat((List<Map<String, Object>>) roll.get("missing")).extracting(a -> a.get("id"))
                .containsExactlyElementsOf(team.subList(2, team.size()));

        SWITCHBOARD.post("/api/v1/tasks/" + id + "/realert").then().statusCode(200);
        Map<String, Object> after = SWITCHBOARD.task(id);
        assertThat(Tasks.events(after)).endsWith("BroadcastRealerted");
        Api.as(team.get(2)).post("/api/v1/tasks/" + id + "/realert").then().statusCode(403);
        Broadcasts.cleanUp(id);
    }

    @Test
    void anUnknownTeamIsRefused() {
        SWITCHBOARD.post("/api/v1/broadcasts", Map.of("team", "Nonexistent", "message", "2222"))
                .then().statusCode(400);
        SWITCHBOARD.get("/api/v1/teams").statusCode(200).body("find { it.name == 'Crash Team' }.roleIds.size()",
                equalTo(5));
    }
}
