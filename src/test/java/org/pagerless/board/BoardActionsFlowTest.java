package org.pagerless.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;
import org.pagerless.task.TaskQueries;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** What the nurse in charge does from the board: escalate now, and reassign to another role or person. */
@QuarkusTest
class BoardActionsFlowTest extends FlowTest {
    static final Api NIC = Api.as("grace.okafor");

    @Inject
    TaskQueries queries;

    @Test
    void theNurseInChargeEscalatesNowAndTheTaskIsAtTheNextStepWithANewCountdown() {
        String id = NIC.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "urgent"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        NIC.get("/api/v1/tasks/" + id).body("level", equalTo(1)).body("escalation.dueAt", notNullValue());
        String sho = Api.as("sam.patel").holdersOf("Medical SHO On-Call").get(0);

        Api.as(sho).post("/api/v1/tasks/" + id + "/escalate").then().statusCode(403);
        NIC.post("/api/v1/tasks/" + id + "/escalate").then().statusCode(200).body("level", equalTo(2))
                .body("escalation.waitingFor", equalTo("ack-timeout"));
        assertThat(Tasks.events(NIC.task(id))).contains("TaskEscalated");
        assertThat(NIC.task(id).get("offeredTo")).asList().extracting("id").contains(sho);
        NIC.post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void theNurseInChargeReassignsToAnotherRoleAndThePreviousOffereesLoseIt() {
        String id = NIC.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "urgent"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        java.util.List<String> shos = Api.as("sam.patel").holdersOf("Medical SHO On-Call");
        java.util.List<String> regs = Api.as("sam.patel").holdersOf("Medical Registrar On-Call");
        Api.as(shos.get(0)).post("/api/v1/tasks/" + id + "/reassign", Map.of("role", "med-reg-oncall")).then().statusCode(403);

        NIC.post("/api/v1/tasks/" + id + "/reassign", Map.of("role", "Medical Registrar On-Call")).then().statusCode(200)
                .body("to.id", equalTo("med-reg-oncall"));
        assertThat(NIC.task(id).get("offeredTo")).asList().extracting("id").containsExactlyElementsOf(regs)
                .doesNotContainAnyElementsOf(shos);
        // The timeline names steps from the chain the task had then: before the reassignment, only the SHO chain's.
        java.util.List<String> words = NIC.get("/api/v1/tasks/" + id).extract().jsonPath().getList("timeline.text");
        assertThat(words.get(1)).startsWith("Offered to ").endsWith("(step 1)");
        assertThat(words).last().asString().startsWith("Reassigned by ");
        // Shift change finds it under its new role (the target columns moved with the state), not the old one.
        assertThat(queries.heldFor("med-reg-oncall", regs.get(0))).extracting(t -> t.id().toString()).contains(id);
        assertThat(queries.heldFor("med-sho-oncall", shos.get(0))).extracting(t -> t.id().toString())
                .doesNotContain(id);
        Api.as(shos.get(0)).post("/api/v1/tasks/" + id + "/accept").then().statusCode(403);
        NIC.post("/api/v1/tasks/" + id + "/reassign", Map.of("person", "amira.khan")).then().statusCode(200)
                .body("offeredTo.id", equalTo(java.util.List.of("amira.khan")));
        NIC.post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void aBleepMessageIsOnTheBoardOnlyForThoseItConcernsAndOneCarryingAnNhsNumberIsRefused() {
        Api switchboard = Api.as("sam.patel");
        switchboard.post("/api/v1/bleeps", Map.of("to", Map.of("role", "Medical Registrar On-Call"), "callback", "4417",
                "message", "Re 943 476 5919 please call", "priority", "urgent")).then().statusCode(400)
                .body("violations[0].field", equalTo("message"));

        String id = switchboard.post("/api/v1/bleeps", Map.of("to", Map.of("role", "Medical Registrar On-Call"),
                "callback", "4417", "message", "Re bed 12 on 7B", "priority", "urgent")).then().statusCode(202)
                .extract().path("id");
        Tasks.awaitStatus(id, "offered");
        String find = "find { it.task.id == '" + id + "' }.task";
        assertThat(NIC.get("/api/v1/board/tasks").extract().<Map<String, Object>>path(find))
                .containsEntry("callback", "4417").doesNotContainKey("message");
        assertThat(switchboard.get("/api/v1/board/tasks").extract().<String>path(find + ".message"))
                .isEqualTo("Re bed 12 on 7B");
        switchboard.post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void theBoardSaysWhereEachTaskGoesNextAndAReassignedTaskFollowsItsNewChainWhenEscalatedByHand() {
        String id = NIC.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "urgent"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        String find = "find { it.task.id == '" + id + "' }";
        Map<String, Object> next = NIC.get("/api/v1/board/tasks?ward=7B").extract().path(find + ".next");
        assertThat(next).containsEntry("step", 2).containsKey("at");
        assertThat(next.get("people").toString()).contains(Api.as("sam.patel").holdersOf("Medical Registrar On-Call")
                .stream().map(r -> Api.as(r).get("/api/v1/me").extract().<String>path("name")).findFirst().orElseThrow());
        // The nurse in charge raised it: she is never offered it back, nor listed as where it goes next.
        assertThat(next.get("people").toString()).doesNotContain("Grace Okafor");

        java.util.List<String> regs = Api.as("sam.patel").holdersOf("Medical Registrar On-Call");
        NIC.post("/api/v1/tasks/" + id + "/reassign", Map.of("role", "Medical Registrar On-Call")).then().statusCode(200)
                .body("level", equalTo(1)).body("escalation.policy", notNullValue());
        // Escalate now goes on to people who do not have it yet, following the registrar's chain.
        java.util.List<String> after = NIC.post("/api/v1/tasks/" + id + "/escalate").then().statusCode(200)
                .extract().jsonPath().getList("offeredTo.id", String.class);
        assertThat(after).containsAll(regs).hasSizeGreaterThan(regs.size()).doesNotContain("grace.okafor");
        NIC.post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);
    }
}
