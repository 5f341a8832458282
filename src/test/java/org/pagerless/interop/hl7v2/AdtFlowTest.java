package org.pagerless.interop.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Provenance;
import org.pagerless.support.Api;
import org.pagerless.support.FhirWire;
import org.pagerless.support.LiveClient;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/** The trust's integration engine sending ADT over MLLP; the ward and bed then follow the patient into new tasks. */
@QuarkusTest
class AdtFlowTest extends FlowTest {
    /** A valid NHS number used only here, so other tests' patients never move. */
    static final String NHS = "9990001138";

    @Inject
    MllpServer server;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void anAdmissionThenATransferPlaceThePatientAndATaskWithOnlyTheNhsNumberGoesThere() throws IOException {
        try (Engine engine = new Engine(server.port())) {
            String ack = engine.send(adt("A01", "ADT_A01", "M1", NHS, "NH", "7A", "3"));
            assertThat(ack).contains("MSA|AA|M1");
            assertThat(locationOfNewTask()).isEqualTo("Location/7A");

            assertThat(engine.send(adt("A02", "ADT_A02", "M2", NHS, "NH", "AMU", "1"))).contains("MSA|AA|M2");
            Task moved = readRaised();
            assertThat(moved.getLocation().getReference()).isEqualTo("Location/AMU");
            assertThat(moved.getInput()).anySatisfy(i -> assertThat(i.getValue().primitiveValue()).isEqualTo("1"));

            assertThat(engine.send(adt("A03", "ADT_A03", "M3", NHS, "NH", "AMU", "1"))).contains("MSA|AA|M3");
            // Discharged: a task without a location is refused again, naming the element.
            FhirWire.as("epr").body(FhirWire.json(request())).post("/fhir/Task").then().statusCode(400)
                    .body("issue.expression.flatten()", org.hamcrest.Matchers.hasItem("Task.location"));
        }
    }

    @Test
    void badContentIsAnsweredAeNamingTheFieldAndWhatCannotBeProcessedAr() throws IOException {
        try (Engine engine = new Engine(server.port())) {
            String unknownWard = engine.send(adt("A01", "ADT_A01", "E1", NHS, "NH", "Ward 99", "1"));
            assertThat(unknownWard).contains("MSA|AE|E1").contains("PV1-3.1: unknown ward 'Ward 99'");
            String badNhs = engine.send(adt("A08", "ADT_A01", "E2", Patients.INVALID_NHS_NUMBER, "NH", "7A", "1"));
            assertThat(badNhs).contains("MSA|AE|E2").contains("PID-3(1).1: fails the NHS number modulus 11 check");
            String noNhs = engine.send(adt("A08", "ADT_A01", "E3", "H123456", "MR", "7A", "1"));
            assertThat(noNhs).contains("MSA|AE|E3").contains("PID-3: no NHS number");
            String oru = engine.send(adt("R01", "ORU_R01", "E4", NHS, "NH", "7A", "1").replace("ADT^R01", "ORU^R01"));
            assertThat(oru).contains("MSA|AR|E4").contains("MSH-9.1");
            String wrongPassword = engine.send(adt("A01", "ADT_A01", "E5", NHS, "NH", "7A", "1")
                    .replace("|demo|", "|wrong|"));
            assertThat(wrongPassword).contains("MSA|AR|E5");
            assertThat(engine.send("this is not HL7")).contains("MSA|AR|");
        }
        // None of it moved the patient.
        FhirWire.as("epr").body(FhirWire.json(request())).post("/fhir/Task").then().statusCode(400);
    }

    @Test
    void aTransferMovesThePatientsOpenTasksTheNewWardsNurseInChargeSeesThemAndTheOwnerIsTold() throws Exception {
        String nhs = "9990001227";
        try (Engine engine = new Engine(server.port())) {
            assertThat(engine.send(adt("A01", "ADT_A01", "T1", nhs, "NH", "7A", "3"))).contains("MSA|AA|T1");
            Task raised = readRaised(nhs);
            String id = raised.getIdElement().getIdPart();
            String owner = raised.getRestriction().getRecipientFirstRep().getReferenceElement().getIdPart();
            Api.as(owner).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
            String amuNurseInCharge = Api.as("sam.patel").holdersOf("Nurse in Charge AMU").get(0);

            try (LiveClient ownersPhone = LiveClient.connect(port, owner);
                 LiveClient amuBoard = LiveClient.connect(port, amuNurseInCharge)) {
                assertThat(engine.send(adt("A02", "ADT_A02", "T2", nhs, "NH", "AMU", "1"))).contains("MSA|AA|T2");
                await().atMost(Duration.ofSeconds(30)).until(() -> ownersPhone.received("TaskRelocated", id)
                        && amuBoard.received("TaskRelocated", id));
            }
            Task moved = read(id);
            assertThat(moved.getLocation().getReference()).isEqualTo("Location/AMU");
            assertThat(moved.getInput()).anySatisfy(i -> assertThat(i.getValue().primitiveValue()).isEqualTo("1"));
            assertThat(moved.getOwner().getReference()).isEqualTo("Practitioner/" + owner);
            Api.as(amuNurseInCharge).get("/api/v1/board/tasks?ward=AMU").statusCode(200)
                    .body("task.id", hasItem(id));
            Api.as("sam.patel").get("/api/v1/board/tasks?ward=7A").statusCode(200).body("task.id", not(hasItem(id)));
            assertThat(Api.as(owner).get("/api/v1/tasks/" + id).statusCode(200).extract().jsonPath()
                    .getList("timeline.text", String.class))
                    .anySatisfy(line -> assertThat(line).startsWith("Moved with the patient to Ward AMU, bed 1")
                            .doesNotContain(nhs));

            // The transfer is cancelled: back to 7A bed 3. The first A02 resent moves nothing a second time.
            assertThat(engine.send(adt("A12", "ADT_A12", "T3", nhs, "NH", "7A", "3"))).contains("MSA|AA|T3");
            await().atMost(Duration.ofSeconds(30)).until(() -> "Location/7A".equals(read(id).getLocation()
                    .getReference()));
            assertThat(engine.send(adt("A02", "ADT_A02", "T2", nhs, "NH", "AMU", "1"))).contains("MSA|AA|T2");
            // A marker after the resend: an A08 to the same place, then the task is read once that is applied.
            assertThat(engine.send(adt("A08", "ADT_A01", "T4", nhs, "NH", "7A", "4"))).contains("MSA|AA|T4");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(read(id).getInput())
                    .anySatisfy(i -> assertThat(i.getValue().primitiveValue()).isEqualTo("4")));
            assertThat(read(id).getContained()).filteredOn(r -> r instanceof Provenance)
                    .extracting(r -> ((Provenance) r).getActivity().getText())
                    .filteredOn("TaskRelocated"::equals).hasSize(3);
        }
    }

    // --- helpers ---

    static String adt(String event, String structure, String controlId, String id, String idType, String ward,
                      String bed) {
        return "MSH|^~\\&|epr|ST-ELSEWHERE|PAGERLESS|ST-ELSEWHERE|20261201100000|demo|ADT^" + event + "^"
                + structure + "|" + controlId + "|P|2.5.1\r"
                + "EVN|" + event + "|20261201100000\r"
                + "PID|1||" + id + "^^^" + ("NH".equals(idType) ? "NHS" : "RXX01") + "^" + idType + "||Testpatient-Quillfeather^Marjorie||19400101|F\r"
                + "PV1|1|I|" + ward + "^^" + bed + "|||7B^^12\r";
    }

    static Task request() {
        return request(NHS);
    }

    static Task request(String nhs) {
        Task task = new Task();
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setPriority(Task.TaskPriority.ROUTINE);
        task.setFor(new Reference().setIdentifier(new Identifier().setSystem("https://fhir.nhs.uk/Id/nhs-number")
                .setValue(nhs)).setDisplay(Patients.NAME));
        task.setCode(new CodeableConcept().setText("Bloods"));
        task.setDescription("S: U&E due. B: AKI. A: stable. R: bloods before 10:00.");
        return task;
    }

    static String locationOfNewTask() {
        return readRaised().getLocation().getReference();
    }

    static Task readRaised() {
        return readRaised(NHS);
    }

    static Task read(String id) {
        return FhirWire.parse(Task.class, FhirWire.as("epr").get("/fhir/Task/" + id).then().statusCode(200).extract()
                .asString());
    }

    static Task readRaised(String nhs) {
        Response response = FhirWire.as("epr").body(FhirWire.json(request(nhs))).post("/fhir/Task");
        response.then().statusCode(202);
        String id = response.header("Location").replaceAll(".*/Task/", "");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> FhirWire.as("epr").get("/fhir/Task/" + id)
                .then().statusCode(200).body("businessStatus.coding[0].code", equalTo("offered")));
        return FhirWire.parse(Task.class, FhirWire.as("epr").get("/fhir/Task/" + id).then().extract().asString());
    }

    /** An integration engine's MLLP connection: frames each message and reads the framed ACK. */
    static final class Engine implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Engine(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        String send(String message) throws IOException {
            out.write(0x0B);
            out.write(message.getBytes(StandardCharsets.UTF_8));
            out.write(0x1C);
            out.write(0x0D);
            out.flush();
            assertThat(in.read()).isEqualTo(0x0B);
            ByteArrayOutputStream ack = new ByteArrayOutputStream();
            for (int b = in.read(); b != 0x1C; b = in.read()) {
                assertThat(b).isNotNegative();
                ack.write(b);
            }
            assertThat(in.read()).isEqualTo(0x0D);
            return ack.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
