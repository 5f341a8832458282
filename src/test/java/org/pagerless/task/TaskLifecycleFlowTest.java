package org.pagerless.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The lifecycle as ward staff and doctors meet it, through the real broker and database. */
@QuarkusTest
class TaskLifecycleFlowTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api WARD_NURSE = Api.as("grace.okafor");

    @Test
    void wardNurseRaisesATaskAndEveryHolderOfTheRoleIsOfferedItWithTheClinicalDetail() {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        assertThat(holders).hasSizeGreaterThanOrEqualTo(2);

        Response raised = WARD_NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "urgent"));
        raised.then().statusCode(202).body("status", equalTo("requested"));
        String id = raised.path("id");
        assertThat(raised.header("Location")).endsWith("/api/v1/tasks/" + id);

        for (String holder : holders) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> Api.as(holder).get("/api/v1/me/tasks")
                    .statusCode(200).body("id", hasItem(id)));
        }
        Map<String, Object> task = Api.as(holders.get(0)).task(id);
        assertThat(task).containsEntry("status", "offered").containsEntry("priority", "urgent")
                .containsEntry("type", "Cannula").containsEntry("news2", 3);
        assertThat(task.get("patient")).isEqualTo(Map.of("nhsNumber", Patients.NHS_NUMBER, "name", Patients.NAME));
        assertThat(task.get("location")).isEqualTo(Map.of("ward", "7B", "bed", "12"));
    }

    @Test
    void twoHoldersRaceToAcceptAndExactlyOneWinsTheOtherIsToldWhoHasIt() throws Exception {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        String id = SWITCHBOARD.bleepRole(SHO, "asap");
        Tasks.awaitStatus(id, "offered");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Response>> attempts = new ArrayList<>();
            for (String holder : holders.subList(0, 2)) {
                attempts.add(pool.submit((Callable<Response>) () -> Api.as(holder).post("/api/v1/tasks/" + id + "/accept")));
            }
            List<Integer> statuses = new ArrayList<>();
            Response loser = null;
            for (Future<Response> attempt : attempts) {
                Response r = attempt.get();
                statuses.add(r.statusCode());
                if (r.statusCode() == 409) {
                    loser = r;
                }
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 409);
            String owner = SWITCHBOARD.get("/api/v1/tasks/" + id).extract().path("owner.id");
            String ownerName = SWITCHBOARD.get("/api/v1/tasks/" + id).extract().path("owner.name");
            loser.then().contentType("application/problem+json").body("detail", containsString(ownerName));

            String other = holders.get(0).equals(owner) ? holders.get(1) : holders.get(0);
            Api.as(other).get("/api/v1/me/tasks").statusCode(200).body("id", not(hasItem(id)));
            Api.as(owner).get("/api/v1/me/tasks").statusCode(200).body("id", hasItem(id));
            List<String> events = SWITCHBOARD.get("/api/v1/tasks/" + id).extract().jsonPath().getList("timeline.event");
            assertThat(events.stream().filter("TaskAccepted"::equals)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHolderWhoAcceptsTooLateIsToldWhoHasIt() {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        String id = SWITCHBOARD.bleepRole(SHO, "urgent");
        Tasks.awaitStatus(id, "offered");
        Api.as(holders.get(0)).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        String ownerName = SWITCHBOARD.get("/api/v1/tasks/" + id).extract().path("owner.name");

        Api.as(holders.get(1)).post("/api/v1/tasks/" + id + "/accept").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString(ownerName));
    }

    @Test
    void declineIsRecordedWithItsReasonAndLeavesTheOtherHoldersOffered() {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        String id = SWITCHBOARD.bleepRole(SHO, "urgent");
        Tasks.awaitStatus(id, "offered");
        Api decliner = Api.as(holders.get(0));

        decliner.post("/api/v1/tasks/" + id + "/decline", Map.of()).then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("reason"));
        decliner.post("/api/v1/tasks/" + id + "/decline", Map.of("reason", "In resus with a peri-arrest"))
                .then().statusCode(200).body("status", equalTo("offered"))
                .body("offeredTo.id", not(hasItem(decliner.user())));

        Map<String, Object> task = SWITCHBOARD.task(id);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> timeline = (List<Map<String, Object>>) task.get("timeline");
        Map<String, Object> declined = timeline.stream().filter(e -> "TaskDeclined".equals(e.get("event"))).findFirst()
                .orElseThrow();
        assertThat(((Map<?, ?>) declined.get("actor")).get("id")).isEqualTo(decliner.user());
        assertThat(((Map<?, ?>) declined.get("detail")).get("reason")).isEqualTo("In resus with a peri-arrest");
        decliner.get("/api/v1/me/tasks").body("id", not(hasItem(id)));
        Api.as(holders.get(1)).get("/api/v1/me/tasks").body("id", hasItem(id));
    }

    @Test
    void whenEveryHolderDeclinesTheTaskWaitsAndSwitchboardIsAlerted() {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        String id = SWITCHBOARD.bleepRole(SHO, "routine");
        Tasks.awaitStatus(id, "offered");
        for (String holder : holders) {
            Api.as(holder).post("/api/v1/tasks/" + id + "/decline", Map.of("reason", "Busy on another ward"))
                    .then().statusCode(200);
        }
        Map<String, Object> task = SWITCHBOARD.task(id);
        assertThat(task.get("status")).isEqualTo("requested");
        assertThat(Tasks.events(task)).endsWith("TaskDeclined", "SwitchboardAlerted");
    }

    @Test
    void theRequesterCancelsAndNobodyElseWithoutTheRightCan() {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        Response raised = WARD_NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "routine"));
        String id = raised.then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");

        Api.as(holders.get(0)).post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "not mine to cancel"))
                .then().statusCode(403).contentType("application/problem+json");
        WARD_NURSE.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "Patient discharged")).then()
                .statusCode(200).body("status", equalTo("cancelled"));
        Api.as(holders.get(0)).get("/api/v1/me/tasks").body("id", not(hasItem(id)));
        WARD_NURSE.post("/api/v1/tasks/" + id + "/cancel", Map.of()).then().statusCode(409);
    }

    @Test
    void onlyTheOwnerMayStartOrCompleteAndNotBeforeAccepting() {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        String id = SWITCHBOARD.bleepRole(SHO, "urgent");
        Tasks.awaitStatus(id, "offered");
        Api owner = Api.as(holders.get(0));
        Api other = Api.as(holders.get(1));

        owner.post("/api/v1/tasks/" + id + "/start").then().statusCode(403);
        owner.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        owner.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200).body("owner.id", equalTo(owner.user()));
        other.post("/api/v1/tasks/" + id + "/complete", Map.of()).then().statusCode(403);
        owner.post("/api/v1/tasks/" + id + "/complete", Map.of("note", "Done")).then().statusCode(200)
                .body("status", equalTo("completed"));
        owner.post("/api/v1/tasks/" + id + "/start").then().statusCode(409);
    }
}
