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

    /**
     * The case: a task that had reached the registrar step, accepted by an SHO and handed back for a registrar
     * review, goes back to the people its chain had reached (the registrar among them), not on to switchboard; and the
     * board says where it went and why.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aHandBackForARegistrarReviewGoesToTheRegistrarAndTheBoardSaysWhereAndWhy() {
        List<String> nurses = SWITCHBOARD.holdersOf("Nurse in Charge 7B");
        List<String> registrars = SWITCHBOARD.holdersOf("Medical Registrar On-Call");
        List<String> operators = SWITCHBOARD.holdersOf("Switchboard");
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        assertThat(nurses).isNotEmpty();
        assertThat(registrars).isNotEmpty();
        Api nurse = Api.as(nurses.get(0));
        String id = nurse.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "urgent"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        // Step 2 of the SHO chain: the registrar (and the nurse in charge, who raised it, so not her).
        nurse.post("/api/v1/tasks/" + id + "/escalate").then().statusCode(200).body("level", equalTo(2));
        Api sho = Api.as(shos.get(0));
        sho.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);

        List<String> offered = sho.post("/api/v1/tasks/" + id + "/hand-back", Map.of("reason", "reg review"))
                .then().statusCode(200).body("status", equalTo("offered")).body("level", equalTo(2))
                .extract().path("offeredTo.id");

        assertThat(offered).containsAll(registrars).doesNotContain(sho.user()).doesNotContainAnyElementsOf(nurses)
                .doesNotContainAnyElementsOf(operators);
        assertThat(Tasks.events(SWITCHBOARD.task(id))).endsWith("TaskHandedBack", "TaskOffered")
                .doesNotContain("SwitchboardAlerted");
        List<Map<String, Object>> board = nurse.get("/api/v1/board/tasks?ward=7B").statusCode(200).extract()
                .jsonPath().getList("");
        Map<String, Object> row = board.stream().map(b -> (Map<String, Object>) b.get("task"))
                .filter(t -> id.equals(t.get("id"))).findFirst().orElseThrow();
        String why = (String) ((Map<String, Object>) row.get("lastReason")).get("text");
        String registrarName = SWITCHBOARD.get("/api/v1/board/directory").extract().jsonPath()
                .getString("people.find { it.id == '" + registrars.get(0) + "' }.name");
        assertThat(why).startsWith("Handed back by ").contains(": reg review. Now offered to ")
                .contains(registrarName).contains("(step 2: Medical registrar and nurse in charge)")
                .contains("the people its chain had reached");
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
