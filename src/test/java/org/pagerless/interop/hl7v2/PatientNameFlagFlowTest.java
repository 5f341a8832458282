package org.pagerless.interop.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Issue 16: a bleep message naming a patient the ADT feed told us of is flagged to its sender and wherever it is
 * shown; once the patient is discharged, the name is no longer looked for.
 */
@QuarkusTest
class PatientNameFlagFlowTest extends FlowTest {
    /** A valid NHS number used only here. */
    static final String NHS = "9990001146";
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api NIC = Api.as("grace.okafor");

    @Inject
    MllpServer server;

    private final java.util.List<String> raised = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void cancelTheBleeps() {
        raised.forEach(id -> SWITCHBOARD.post("/api/v1/tasks/" + id + "/cancel"));
    }

    @Test
    void aBleepNamingAnAdmittedPatientIsTakenButFlaggedAndNoLongerOnceTheyAreDischarged() throws IOException {
        String message = "Re Marjorie Zyxwell 7B bed 3, please call";
        assertThat((Object) bleep(message).get("warnings")).isNull();

        try (AdtFlowTest.Engine engine = new AdtFlowTest.Engine(server.port())) {
            assertThat(engine.send(adt("A01", "N1"))).contains("MSA|AA|N1");

            var flagged = bleep(message);
            assertThat(flagged.getString("warnings[0].field")).isEqualTo("message");
            assertThat(flagged.getString("warnings[0].reason")).startsWith("names a patient");
            String id = flagged.getString("id");
            Tasks.awaitStatus(id, "offered");
            SWITCHBOARD.get("/api/v1/tasks/" + id).statusCode(200).body("messageNamesPatient", equalTo(true))
                    .body("message", equalTo(message));
            // The nurse in charge is not concerned by a bleep to the registrar: neither the message nor its name.
            assertThat(NIC.get("/api/v1/board/tasks").extract().<Map<String, Object>>path(
                    "find { it.task.id == '" + id + "' }.task")).doesNotContainKeys("message", "messageNamesPatient");
            SWITCHBOARD.get("/api/v1/board/sent").statusCode(200)
                    .body("find { it.id == '" + id + "' }.messageNamesPatient", equalTo(true));
            assertThat(bleep("Mrs Zyxwell wants to talk to you").getString("warnings[0].field")).isEqualTo("message");

            assertThat(engine.send(adt("A03", "N2"))).contains("MSA|AA|N2");
        }
        assertThat((Object) bleep(message).get("warnings")).isNull();
    }

    private io.restassured.path.json.JsonPath bleep(String message) {
        io.restassured.path.json.JsonPath answer = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to",
                Map.of("role", "Medical Registrar On-Call"), "callback", "4417", "message", message, "priority",
                "routine")).then().statusCode(202).extract().jsonPath();
        raised.add(answer.getString("id"));
        return answer;
    }

    private static String adt(String event, String controlId) {
        return "MSH|^~\\&|epr|ST-ELSEWHERE|PAGERLESS|ST-ELSEWHERE|20261201100000|demo|ADT^" + event + "^ADT_A01|"
                + controlId + "|P|2.5.1\r"
                + "EVN|" + event + "|20261201100000\r"
                + "PID|1||" + NHS + "^^^NHS^NH||Zyxwell^Marjorie||19400101|F\r"
                + "PV1|1|I|7B^^3\r";
    }
}
