package org.pagerless.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.FakePushService;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/**
 * No patient identifier (NHS number, name) in any log line or metric, whatever path the task takes;
 * nor in any Web Push payload of the run (decrypted by the fake push service).
 */
@QuarkusTest
class PatientDataFlowTest extends FlowTest {
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                line.append(' ').append(Arrays.toString(record.getParameters()));
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(' ').append(trace);
            }
            logLines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void patientIdentifiersNeverReachLogsOrMetrics() throws Exception {
        Api nurse = Api.as("grace.okafor");
        List<String> holders = Api.as("sam.patel").holdersOf("Medical SHO On-Call");
        FakePushService.Subscription phone = PagerlessInfra.pushService().subscribe();
        String subscription = Api.as(holders.get(0)).post("/api/v1/me/push-subscriptions", phone.json()).then()
                .statusCode(201).extract().path("id");
        String id = nurse.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "stat"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> !PagerlessInfra.pushService().pushesTo(phone).isEmpty());
        Api.as(holders.get(0)).request().delete("/api/v1/me/push-subscriptions/" + subscription).then().statusCode(200);
        Api.as(holders.get(0)).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        Api.as(holders.get(0)).post("/api/v1/tasks/" + id + "/complete", Map.of("note", "re-sited")).then().statusCode(200);

        // Refused paths, where an error message might be tempted to quote the input.
        Map<String, Object> badTarget = new java.util.HashMap<>(Patients.cannulaRequest(Map.of("role", "Nobody"), "stat"));
        nurse.post("/api/v1/tasks", badTarget).then().statusCode(400);
        String dlqKey = "pii-" + UUID.randomUUID();
        Broker.publish(Topics.INTAKE, dlqKey, """
                {"kind":"task","requester":"epr","to":{"role":"Nobody"},
                 "patient":{"nhsNumber":"%s","name":"%s"},"location":{"ward":"7B"},"type":"Bloods","detail":"x","priority":"urgent"}
                """.formatted(Patients.NHS_NUMBER, Patients.NAME));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                Broker.readAll(Topics.INTAKE_DLQ).stream().anyMatch(r -> dlqKey.equals(r.key())));

        assertThat(logLines).isNotEmpty();
        assertThat(logLines).noneMatch(line -> line.contains(Patients.NHS_NUMBER) || line.contains(Patients.NAME)
                || line.contains("Quillfeather"));
        assertThat(PagerlessInfra.pushService().received()).isNotEmpty().allSatisfy(push -> assertThat(push.payload())
                .doesNotContain(Patients.NHS_NUMBER).doesNotContain(Patients.NAME).doesNotContain("Quillfeather")
                .doesNotContain("tissued").doesNotContain("bed 12"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("pagerless_tasks_raised_total").doesNotContain(Patients.NHS_NUMBER)
                .doesNotContain("Quillfeather");
    }

    /**
     * A database error while applying a task with a patient (PostgreSQL's "Failing row contains (…)" would quote its
     * state) parks the command with a reason and log lines that carry neither the NHS number nor the name; once the
     * cause is gone, an admin's replay raises the task. The fault is real: a check constraint that refuses this one
     * task's row, as a bad migration might.
     */
    @Test
    void aDatabaseErrorOnARowWithThePatientIsLoggedAndParkedWithoutThePatient() throws Exception {
        String key = UUID.randomUUID().toString();
        String id = org.pagerless.intake.Intake.taskId("grace.okafor", key).toString();
        String constraint = "probe_" + id.replace("-", "").substring(0, 12);
        try (java.sql.Connection c = PagerlessInfra.connection(); java.sql.Statement st = c.createStatement()) {
            st.execute("alter table task add constraint " + constraint + " check (id <> '" + id + "') not valid");
            try {
                Api.as("grace.okafor").request().header("Idempotency-Key", key)
                        .body(Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "urgent"))
                        .post("/api/v1/tasks").then().statusCode(202);
                String parked = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(
                        () -> parkedReason(id), java.util.Objects::nonNull);
                assertThat(parked).contains("SQLSTATE 23514").doesNotContain(Patients.NHS_NUMBER)
                        .doesNotContain("Quillfeather");
            } finally {
                st.execute("alter table task drop constraint " + constraint);
            }
        }
        assertThat(logLines).anyMatch(line -> line.contains("parked the record"));
        assertThat(logLines).noneMatch(line -> line.contains(Patients.NHS_NUMBER) || line.contains("Quillfeather"));

        Api admin = Api.as("admin");
        String parkedId = admin.get("/api/v1/admin/parked?consumer=task-processor&limit=500").statusCode(200).extract()
                .jsonPath().getString("find { it.key == '" + id + "' }.id");
        admin.post("/api/v1/admin/parked/" + parkedId + "/replay").then().statusCode(200);
        Tasks.awaitStatus(id, "offered");
    }

    /** The reason task-processor parked the command for task {@code id}, or null while it has not. */
    private static String parkedReason(String id) throws Exception {
        try (java.sql.Connection c = PagerlessInfra.connection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "select reason from parked_record where consumer = 'task-processor' and record_key = ?")) {
            ps.setBytes(1, id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
