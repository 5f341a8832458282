package org.pagerless.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/** Every API call needs a signed-in user; clinicians act only on what was offered to them. */
@QuarkusTest
class AccessFlowTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @Test
    void anonymousAndWrongPasswordAreRefused() {
        given().get("/api/v1/roles").then().statusCode(401);
        given().auth().preemptive().basic("sam.patel", "wrong").get("/api/v1/roles").then().statusCode(401);
        given().auth().preemptive().basic("nobody.here", "demo").get("/api/v1/roles").then().statusCode(401);
    }

    @Test
    void aClinicianCannotSeeOrActOnATaskNotOfferedToThem() {
        List<String> holders = SWITCHBOARD.holdersOf("Medical Registrar On-Call");
        String outsider = List.of("kate.morgan", "raj.patel", "fiona.bell").stream()
                .filter(r -> !holders.contains(r)).findFirst().orElseThrow();
        String id = SWITCHBOARD.bleepRole("Medical Registrar On-Call", "urgent");
        Tasks.awaitStatus(id, "offered");

        Api.as(outsider).get("/api/v1/tasks/" + id).statusCode(403).contentType("application/problem+json");
        Api.as(outsider).post("/api/v1/tasks/" + id + "/accept").then().statusCode(403)
                .body("detail", containsString("not offered"));
        Api.as(outsider).get("/api/v1/tasks").statusCode(200)
                .body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
    }

    @Test
    void anIntegrationMayRaiseButNotAccept() {
        String id = Api.as("epr").post("/api/v1/bleeps", Map.of("to", Map.of("role", "Medical SHO On-Call"),
                "callback", "4417", "priority", "routine")).then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        Api.as("epr").post("/api/v1/tasks/" + id + "/accept").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void anUnknownTaskIsNotFound() {
        SWITCHBOARD.get("/api/v1/tasks/3f1c9a8e-0000-4000-8000-000000000000").statusCode(404)
                .contentType("application/problem+json");
        SWITCHBOARD.get("/api/v1/tasks/not-a-task").statusCode(404);
        SWITCHBOARD.post("/api/v1/tasks/3f1c9a8e-0000-4000-8000-000000000000/accept").then().statusCode(404);
    }
}
