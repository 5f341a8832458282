package org.pagerless.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/** Who a page reaches: the rota decides, and a role with nobody on it is never a silent drop. */
@QuarkusTest
class RoutingFlowTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @Test
    void aRoleWithNoHolderAlertsSwitchboardAtOnceAndTheTaskMovesUpItsChain() {
        assertThat(SWITCHBOARD.holdersOf("Dermatology Registrar")).isEmpty();
        String id = SWITCHBOARD.bleepRole("Dermatology Registrar", "urgent");

        Tasks.awaitStatus(id, "offered");
        Map<String, Object> task = SWITCHBOARD.task(id);
        assertThat(Tasks.events(task)).containsExactly("TaskRaised", "SwitchboardAlerted", "TaskEscalated",
                "TaskOffered");
        @SuppressWarnings("unchecked")
        Map<String, Object> alert = (Map<String, Object>) ((List<Map<String, Object>>) task.get("timeline")).get(1)
                .get("detail");
        assertThat(alert.get("reason")).isEqualTo("NO_HOLDER");
        assertThat(task.get("offeredTo")).asList().extracting("id").containsAll(SWITCHBOARD.holdersOf("Switchboard"));
        SWITCHBOARD.get("/api/v1/tasks?status=offered").statusCode(200)
                .body("find { it.id == '" + id + "' }.to.name", equalTo("Dermatology Registrar"));
    }

    @Test
    void aBleepNumberReachesWhoeverHoldsItsRole() {
        List<String> holders = SWITCHBOARD.holdersOf("Medical Registrar On-Call");
        String id = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("bleep", "2320"), "callback", "4417",
                "priority", "asap")).then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        assertThat(SWITCHBOARD.task(id).get("offeredTo")).asList().extracting("id").containsExactlyElementsOf(holders);
    }

    @Test
    void aNamedPersonIsOfferedTheTaskDirectly() {
        String id = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("person", "kate.morgan"),
                "callback", "4417", "priority", "routine")).then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        Api.as("kate.morgan").get("/api/v1/me/tasks").statusCode(200)
                .body("find { it.id == '" + id + "' }.to.name", equalTo("Dr Kate Morgan"));
    }

    @Test
    void tasksAreListedByStatusAndWardMostUrgentFirst() {
        Api nurse = Api.as("grace.okafor");
        String routine = nurse.post("/api/v1/tasks", org.pagerless.support.Patients.cannulaRequest(
                Map.of("role", "Medical SHO On-Call"), "routine")).then().statusCode(202).extract().path("id");
        String stat = nurse.post("/api/v1/tasks", org.pagerless.support.Patients.cannulaRequest(
                Map.of("role", "Medical SHO On-Call"), "stat")).then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(routine, "offered");
        Tasks.awaitStatus(stat, "offered");
        List<String> ids = nurse.get("/api/v1/tasks?status=offered&ward=7B").statusCode(200).extract().jsonPath()
                .getList("id");
        assertThat(ids).contains(stat, routine);
        assertThat(ids.indexOf(stat)).isLessThan(ids.indexOf(routine));
        nurse.get("/api/v1/tasks?status=nonsense").statusCode(400);
    }
}
