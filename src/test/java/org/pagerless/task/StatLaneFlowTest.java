package org.pagerless.task;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.Deliveries;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;
import org.pagerless.task.model.TaskLane;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A stat task never waits behind routine work (ADR 0099): with the routine lane's consumers stopped, as if its backlog
 * were endless, a stat bleep is still raised, offered, delivered and accepted, and a 2222 broadcast still reaches its
 * team; the routine bleep sent first is applied once its lane runs again.
 */
@QuarkusTest
class StatLaneFlowTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @Inject
    TaskProcessor processor;

    @Test
    void statWorkIsDoneWhileTheRoutineLaneWaits() {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        String routine;
        processor.stop(TaskLane.ROUTINE);
        try {
            given().get("/q/health/ready").then().statusCode(503);
            routine = SWITCHBOARD.bleepRole(SHO, "routine");
            String stat = SWITCHBOARD.bleepRole(SHO, "stat");
            assertThat(TaskLane.of(UUID.fromString(stat))).isEqualTo(TaskLane.STAT);
            assertThat(TaskLane.of(UUID.fromString(routine))).isEqualTo(TaskLane.ROUTINE);

            Tasks.awaitStatus(stat, "offered");
            Deliveries.awaitDelivery(holders.get(0), stat, "in-app", "sent");
            Api.as(holders.get(0)).post("/api/v1/tasks/" + stat + "/accept").then().statusCode(200)
                    .body("status", equalTo("accepted"));

            String broadcast = SWITCHBOARD.post("/api/v1/broadcasts", Map.of("team", "Crash Team",
                    "message", "2222 adult cardiac arrest", "location", "Ward 7A bed 12"))
                    .then().statusCode(202).extract().path("id");
            Tasks.awaitStatus(broadcast, "offered");

            // Sent before all of these, and still not applied: its lane is stopped, and nothing else applies it.
            SWITCHBOARD.get("/api/v1/tasks/" + routine).statusCode(404);
        } finally {
            processor.start(TaskLane.ROUTINE);
        }
        Tasks.awaitStatus(routine, "offered");
        given().get("/q/health/ready").then().statusCode(200);
    }
}
