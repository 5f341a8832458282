package org.pagerless.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/** The owner gives a task back with a reason: the role's other holders are offered it, never the one handing back. */
@QuarkusTest
class HandBackFlowTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api WARD_NURSE = Api.as("grace.okafor");

    @Test
    void theOwnerHandsBackAndTheOtherSHOsAreOfferedItAgainWithAFreshTimer() {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        assertThat(shos).hasSizeGreaterThanOrEqualTo(2);
        Api owner = Api.as(shos.get(0));
        String id = WARD_NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "urgent"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        owner.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);

        owner.post("/api/v1/tasks/" + id + "/hand-back", Map.of("reason", "Called to an emergency"))
                .then().statusCode(200).body("status", equalTo("offered")).body("owner", equalTo(null))
                .body("offeredTo.id", not(hasItem(owner.user())))
                .body("escalation.waitingFor", equalTo("ack-timeout"));

        Map<String, Object> task = SWITCHBOARD.task(id);
        assertThat(Tasks.events(task)).endsWith("TaskAccepted", "TaskHandedBack", "TaskOffered");
        owner.get("/api/v1/me/tasks").statusCode(200).body("id", not(hasItem(id)));
        Api other = Api.as(shos.get(1));
        other.get("/api/v1/me/tasks").statusCode(200).body("id", hasItem(id));
        other.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
    }

    @Test
    void aHandBackNeedsAReasonAndOnlyTheOwnerMayHandBack() {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        Api owner = Api.as(shos.get(0));
        String id = SWITCHBOARD.bleepRole(SHO, "routine");
        Tasks.awaitStatus(id, "offered");

        owner.post("/api/v1/tasks/" + id + "/hand-back", Map.of("reason", "Busy")).then().statusCode(403);
        owner.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        owner.post("/api/v1/tasks/" + id + "/hand-back", Map.of("reason", " ")).then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("reason"));
        owner.post("/api/v1/tasks/" + id + "/hand-back").then().statusCode(400)
                .body("violations[0].field", equalTo("reason"));
        Api.as(shos.get(1)).post("/api/v1/tasks/" + id + "/hand-back", Map.of("reason", "Not mine"))
                .then().statusCode(403);
        // Nothing half-written: still the owner's.
        assertThat(SWITCHBOARD.status(id)).isEqualTo("accepted");
        assertThat(Tasks.events(SWITCHBOARD.task(id))).doesNotContain("TaskHandedBack");

        owner.post("/api/v1/tasks/" + id + "/handover-note", Map.of("note", "")).then().statusCode(400)
                .body("violations[0].field", equalTo("note"));
        owner.post("/api/v1/tasks/" + id + "/handover-note", Map.of("note", "Family want a call"))
                .then().statusCode(200).body("handoverNote.text", equalTo("Family want a call"))
                .body("handoverNote.by.id", equalTo(owner.user()));
        owner.post("/api/v1/tasks/" + id + "/complete").then().statusCode(200);
    }
}
