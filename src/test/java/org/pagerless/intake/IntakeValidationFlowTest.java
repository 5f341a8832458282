package org.pagerless.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.platform.Topics;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Bad input is refused with a problem+json naming the field and the reason, and nothing is written. */
@QuarkusTest
class IntakeValidationFlowTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api WARD_NURSE = Api.as("grace.okafor");

    @Test
    void missingTargetIsRefused() {
        refused(SWITCHBOARD.post("/api/v1/bleeps", Map.of("callback", "4417", "priority", "urgent")).then(),
                "to", "is required");
    }

    @Test
    void unknownRoleIsRefused() {
        refused(bleep(Map.of("role", "Astrology Registrar"), "urgent"), "to.role", "unknown role");
    }

    @Test
    void priorityMustBeOneOfTheFourCodes() {
        refused(bleep(Map.of("role", "Medical SHO On-Call"), "super-urgent"), "priority",
                "must be one of routine, urgent, asap, stat");
    }

    @Test
    void invalidNhsNumberIsRefusedByItsModulus11CheckDigit() {
        Map<String, Object> request = new HashMap<>(Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "urgent"));
        request.put("patient", Map.of("nhsNumber", Patients.INVALID_NHS_NUMBER, "name", Patients.NAME));
        refused(WARD_NURSE.post("/api/v1/tasks", request).then(), "patient.nhsNumber", "modulus 11");
    }

    @Test
    void unknownWardIsRefused() {
        Map<String, Object> request = new HashMap<>(Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "urgent"));
        request.put("location", Map.of("ward", "Narnia", "bed", "1"));
        refused(WARD_NURSE.post("/api/v1/tasks", request).then(), "location.ward", "unknown ward");
    }

    @Test
    void oversizedTextIsRefused() {
        refused(SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("role", "Medical SHO On-Call"),
                "callback", "4417", "message", "x".repeat(161), "priority", "urgent")).then(), "message", "too long");
        Map<String, Object> request = new HashMap<>(Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "urgent"));
        request.put("detail", "S".repeat(2001));
        refused(WARD_NURSE.post("/api/v1/tasks", request).then(), "detail", "too long");
    }

    @Test
    void everyInvalidFieldIsNamedAtOnce() {
        Map<String, Object> request = new HashMap<>(Patients.cannulaRequest(Map.of("role", "Nobody Role"), "soonish"));
        request.put("news2", 25);
        ValidatableResponse r = WARD_NURSE.post("/api/v1/tasks", request).then().statusCode(400);
        r.body("violations.field", hasItem("to.role")).body("violations.field", hasItem("priority"))
                .body("violations.field", hasItem("news2"));
    }

    @Test
    void wrongTypesAndBrokenJsonAreRefusedByField() {
        refused(WARD_NURSE.request().body("{\"news2\": \"high\"}").post("/api/v1/tasks").then(), "news2", "");
        refused(WARD_NURSE.request().body("call 4417 re bed 12").post("/api/v1/tasks").then(), "body", "not valid JSON");
    }

    @Test
    void aRefusedRequestWritesNothing() throws Exception {
        long commandsBefore = Broker.commandsTaken();
        long rowsBefore = rowCount();
        bleep(Map.of("role", "Astrology Registrar"), "urgent").statusCode(400);
        WARD_NURSE.post("/api/v1/tasks", Map.of("priority", "stat")).then().statusCode(400);
        // Refusal is decided before anything reaches the broker, so nothing can arrive in the database later.
        assertThat(Broker.commandsTaken()).isEqualTo(commandsBefore);
        assertThat(rowCount()).isEqualTo(rowsBefore);
    }

    private static ValidatableResponse bleep(Map<String, Object> to, String priority) {
        return SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", to, "callback", "4417", "message", "Please call",
                "priority", priority)).then();
    }

    private static void refused(ValidatableResponse response, String field, String reason) {
        response.statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("violations.find { it.field == '" + field + "' }.reason", containsString(reason));
    }

    private static long rowCount() throws Exception {
        try (Connection c = PagerlessInfra.connection(); ResultSet rs = c.createStatement()
                .executeQuery("select (select count(*) from task) + (select count(*) from task_event)")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
