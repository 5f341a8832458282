package org.pagerless.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.LiveClient;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/** Every read of a task's patient is audited (who, task, patient, when, how, from where); nothing else is. */
@QuarkusTest
class PatientReadAuditTest extends FlowTest {
    static final Api NURSE = Api.as("grace.okafor");
    static final Api ADMIN = Api.as("admin");

    @Test
    void aCliniciansReadOfATaskWithAPatientIsAuditedAndExportable() {
        // The audit lists oldest first, at most 1,000: a search by patient starts at this test (the suite reads more).
        String start = java.time.Instant.now().minusSeconds(1).toString();
        String id = NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "urgent"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        String doctor = NURSE.holdersOf("Medical SHO On-Call").get(0);

        Api.as(doctor).get("/api/v1/tasks/" + id).statusCode(200).body("patient.nhsNumber", equalTo(Patients.NHS_NUMBER));

        ADMIN.request().queryParam("task", id).queryParam("staff", doctor).get("/api/v1/audit/patient-reads").then()
                .statusCode(200).body("", hasSize(1))
                .body("[0].staffId", equalTo(doctor)).body("[0].appRole", equalTo("clinician"))
                .body("[0].taskId", equalTo(id)).body("[0].nhsNumber", equalTo(Patients.NHS_NUMBER))
                .body("[0].channel", equalTo("GET /api/v1/tasks/{id}"))
                .body("[0].clientAddress", equalTo("127.0.0.1"));
        ADMIN.request().queryParam("nhsNumber", Patients.NHS_NUMBER).queryParam("staff", doctor)
                .queryParam("from", start).get("/api/v1/audit/patient-reads").then()
                .statusCode(200).body("taskId", org.hamcrest.Matchers.hasItem(id));
        ADMIN.request().accept("text/csv").queryParam("task", id).get("/api/v1/audit/patient-reads").then()
                .statusCode(200).contentType(containsString("text/csv"))
                .body(containsString("read_at,staff_id,app_role,task_id,nhs_number,channel"))
                .body(containsString(doctor + ",clinician," + id + "," + Patients.NHS_NUMBER + ",GET /api/v1/tasks/{id}"))
                .body(org.hamcrest.Matchers.not(containsString(Patients.NAME)));
    }

    @Test
    void theInboxAndTheBoardAreAuditedToo() {
        String id = NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "routine"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        String doctor = NURSE.holdersOf("Medical SHO On-Call").get(0);
        Api.as(doctor).get("/api/v1/me/tasks").statusCode(200);
        NURSE.get("/api/v1/board/tasks").statusCode(200);
        List<String> channels = ADMIN.request().queryParam("task", id).get("/api/v1/audit/patient-reads").then()
                .statusCode(200).extract().jsonPath().getList("channel", String.class);
        assertThat(channels).contains("GET /api/v1/me/tasks", "GET /api/v1/board/tasks");
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    /** The live feed reads only the patient from each record (not the whole task): a task with one is audited. */
    @Test
    void aLiveMessageCarryingAPatientIsAuditedAndOneWithoutIsNot() throws Exception {
        String doctor = NURSE.holdersOf("Medical SHO On-Call").get(0);
        try (LiveClient phone = LiveClient.connect(port, doctor)) {
            String withPatient = NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role",
                    "Medical SHO On-Call"), "urgent")).then().statusCode(202).extract().path("id");
            String bleep = Api.as("sam.patel").bleepRole("Medical SHO On-Call", "routine");
            await().atMost(Duration.ofSeconds(20)).until(() -> phone.received("TaskOffered", withPatient)
                    && phone.received("TaskOffered", bleep));

            ADMIN.request().queryParam("task", withPatient).queryParam("staff", doctor)
                    .get("/api/v1/audit/patient-reads").then().statusCode(200)
                    .body("channel", hasItem(PatientReadAudit.LIVE_FEED))
                    .body("nhsNumber", everyItem(equalTo(Patients.NHS_NUMBER)));
            ADMIN.request().queryParam("task", bleep).get("/api/v1/audit/patient-reads").then()
                    .statusCode(200).body("", empty());
        }
    }

    @Test
    void aReadOfATaskWithoutPatientDataIsNotAudited() {
        String id = Api.as("sam.patel").bleepRole("Medical SHO On-Call", "routine");
        Tasks.awaitStatus(id, "offered");
        Api.as("sam.patel").get("/api/v1/tasks/" + id).statusCode(200);
        ADMIN.request().queryParam("task", id).get("/api/v1/audit/patient-reads").then()
                .statusCode(200).body("", empty());
    }

    @Test
    void onlyAdminsAndAuditorsReadTheAuditAndBadFiltersNameTheField() {
        NURSE.get("/api/v1/audit/patient-reads").statusCode(403);
        Api.as("kate.morgan").get("/api/v1/audit/patient-reads").statusCode(403);
        ADMIN.request().queryParam("from", "yesterday").get("/api/v1/audit/patient-reads").then().statusCode(400)
                .contentType("application/problem+json").body(containsString("from"));
    }

    @Test
    void theAuditCannotBeRewritten() throws Exception {
        try (Connection c = PagerlessInfra.connection(); Statement st = c.createStatement()) {
            st.execute("insert into patient_read (read_at, staff_id, app_role, task_id, channel) values "
                    + "(now(), 'x', 'admin', gen_random_uuid(), 'test')");
            assertThatThrownBy(() -> st.executeUpdate("update patient_read set staff_id = 'y' where staff_id = 'x'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("delete from patient_read where staff_id = 'x'"))
                    .hasMessageContaining("append-only");
        }
    }

    @Test
    void fhirReadsAndSearchesOfATaskAreAuditedToo() {
        String id = NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "routine"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        String updated = ADMIN.get("/api/v1/tasks/" + id).statusCode(200).extract().path("updatedAt");
        io.restassured.RestAssured.given().auth().preemptive().basic("sam.patel", Api.PASSWORD)
                .accept("application/fhir+json").get("/fhir/Task/" + id).then().statusCode(200);
        // Other tests' tasks on 7B may fill the first page (oldest first): follow the Bundle's next links.
        List<String> found = new java.util.ArrayList<>();
        String page = "/fhir/Task?ward=7B&priority=routine&_count=200&_lastUpdated=ge"
                + java.time.Instant.parse(updated).minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        while (page != null && !found.contains(id)) {
            io.restassured.path.json.JsonPath bundle = io.restassured.RestAssured.given().urlEncodingEnabled(false)
                    .auth().preemptive().basic("sam.patel", Api.PASSWORD).accept("application/fhir+json").get(page)
                    .then().statusCode(200).extract().jsonPath();
            found.addAll(bundle.getList("entry.resource.id", String.class));
            page = bundle.getString("link.find { it.relation == 'next' }.url");
        }
        assertThat(found).contains(id);
        ADMIN.request().queryParam("task", id).queryParam("staff", "sam.patel").get("/api/v1/audit/patient-reads")
                .then().statusCode(200).body("channel", org.hamcrest.Matchers.hasItems("GET /fhir/Task/{id}",
                        "GET /fhir/Task"))
                .body("nhsNumber", org.hamcrest.Matchers.everyItem(equalTo(Patients.NHS_NUMBER)));
    }

    @Test
    void readsOfParkedRecordsAreAuditedWithTheNhsNumberTheyHold() throws Exception {
        String start = java.time.Instant.now().minusSeconds(1).toString();
        java.util.UUID parked = java.util.UUID.randomUUID();
        String value = "{\"to\":{\"role\":\"Nowhere\"},\"patient\":{\"nhsNumber\":\"" + Patients.NHS_NUMBER
                + "\",\"name\":\"" + Patients.NAME + "\"},\"priority\":\"urgent\"}";
        try (Connection c = PagerlessInfra.connection(); var ps = c.prepareStatement("insert into parked_record (id, "
                + "consumer, topic, kafka_partition, kafka_offset, record_value, reason, parked_at, status) values "
                + "(?, 'audit-check', 'pagerless.intake.v1', 0, ?, ?, 'unknown role', now(), 'DISCARDED')")) {
            ps.setObject(1, parked);
            ps.setLong(2, System.nanoTime());
            ps.setBytes(3, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ps.executeUpdate();
        }
        ADMIN.get("/api/v1/admin/parked/" + parked).statusCode(200).body("value", containsString(Patients.NAME));
        ADMIN.get("/api/v1/admin/parked?status=ALL&consumer=audit-check").statusCode(200).body("id", hasSize(1));

        List<Map<String, Object>> reads = ADMIN.request().queryParam("staff", "admin").queryParam("from", start)
                .queryParam("nhsNumber", Patients.NHS_NUMBER).get("/api/v1/audit/patient-reads").then()
                .statusCode(200).extract().jsonPath().getList("findAll { it.parkedRecordId == '" + parked + "' }");
        assertThat(reads).extracting(r -> r.get("channel"))
                .containsExactly("GET /api/v1/admin/parked/{id}", "GET /api/v1/admin/parked");
        assertThat(reads).allSatisfy(r -> {
            assertThat(r).containsEntry("appRole", "admin");
            assertThat(r.get("taskId")).isNull();
        });
        ADMIN.request().accept("text/csv").queryParam("staff", "admin").queryParam("from", start)
                .get("/api/v1/audit/patient-reads").then()
                .statusCode(200).body(containsString(",parked_record_id")).body(containsString(parked.toString()));
    }

    @Test
    void csvCellsCannotBecomeFormulas() {
        assertThat(AuditResource.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(AuditResource.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditResource.cell("plain")).isEqualTo("plain");
        assertThat(AuditResource.cell(null)).isEmpty();
    }
}
