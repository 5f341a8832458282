package org.pagerless.interop.fhir;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FhirWire;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** An EPR raising and tracking tasks over FHIR R4, through the real broker and database. */
@QuarkusTest
class FhirFlowTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @Test
    void theCapabilityStatementIsPublicValidAndNamesWhatTheServerDoes() {
        String body = given().accept(FhirWire.JSON).get("/fhir/metadata").then().statusCode(200)
                .contentType(containsString("application/fhir+json")).extract().asString();
        FhirWire.assertValid(body);
        CapabilityStatement cs = FhirWire.parse(CapabilityStatement.class, body);
        var task = cs.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals("Task")).findFirst()
                .orElseThrow();
        assertThat(task.getInteraction()).extracting(i -> i.getCode().toCode())
                .containsExactlyInAnyOrder("create", "read", "update", "search-type");
        assertThat(task.getSearchParam()).extracting(p -> p.getName()).contains("status", "owner", "requester",
                "patient", "priority", "ward", "_lastUpdated", "_count");
        assertThat(cs.getRestFirstRep().getResource()).extracting(r -> r.getType())
                .contains("CommunicationRequest", "PractitionerRole");
    }

    @Test
    void aWardClerkAsksWhoIsOnCallForARoleAndGetsTheHoldersWithTheBleep() {
        String bleepNumber = given().auth().preemptive().basic("sam.patel", Api.PASSWORD).get("/api/v1/roles")
                .then().extract().jsonPath().getString("find { it.name == '" + SHO + "' }.bleep");
        String body = FhirWire.as("grace.okafor").queryParam("role", SHO).get("/fhir/PractitionerRole").then()
                .statusCode(200).extract().asString();
        FhirWire.assertValid(body);
        Bundle bundle = FhirWire.parse(Bundle.class, body);
        assertThat(bundle.getEntry()).extracting(e -> ((org.hl7.fhir.r4.model.PractitionerRole) e.getResource())
                .getPractitioner().getReference()).containsExactlyInAnyOrderElementsOf(
                        SWITCHBOARD.holdersOf(SHO).stream().map(h -> "Practitioner/" + h).toList());
        assertThat(bundle.getEntry()).allSatisfy(e -> assertThat(((org.hl7.fhir.r4.model.PractitionerRole)
                e.getResource()).getTelecomFirstRep().getValue()).isEqualTo(bleepNumber));
        FhirWire.as("grace.okafor").queryParam("ward", "no-such-ward").get("/fhir/PractitionerRole").then()
                .statusCode(400);
    }

    @Test
    void anEprRaisesATaskAndReadsItBackWithTheClinicalDetailAndItsTimeline() {
        String id = raise("epr", cannula("urgent", Patients.NHS_NUMBER));

        Task task = awaitOffered(id);
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(task.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("offered");
        assertThat(task.getPriority()).isEqualTo(Task.TaskPriority.URGENT);
        assertThat(task.getIntent()).isEqualTo(Task.TaskIntent.ORDER);
        assertThat(task.getFor().getIdentifier().getSystem()).isEqualTo("https://fhir.nhs.uk/Id/nhs-number");
        assertThat(task.getFor().getIdentifier().getValue()).isEqualTo(Patients.NHS_NUMBER);
        assertThat(task.getFor().getDisplay()).isEqualTo(Patients.NAME);
        assertThat(task.getCode().getText()).isEqualTo("Cannula");
        assertThat(task.getDescription()).startsWith("S: tissued cannula");
        assertThat(task.getLocation().getReference()).isEqualTo("Location/7B");
        assertThat(task.getPerformerTypeFirstRep().getText()).isEqualTo(SHO);
        assertThat(task.getRequester().getReference()).isEqualTo("Device/epr");
        assertThat(task.getInput()).anySatisfy(i -> {
            assertThat(i.getType().getCodingFirstRep().getCode()).isEqualTo(FhirTasks.NEWS2_CODE);
            assertThat(((IntegerType) i.getValue()).getValue()).isEqualTo(5);
        });
        assertThat(task.getRestriction().getRecipient()).extracting(Reference::getReference)
                .containsExactlyInAnyOrderElementsOf(SWITCHBOARD.holdersOf(SHO).stream()
                        .map(h -> "Practitioner/" + h).toList());
        assertThat(task.getContained()).filteredOn(r -> r instanceof Provenance)
                .extracting(r -> ((Provenance) r).getActivity().getText()).startsWith("TaskRaised")
                .contains("TaskOffered");
    }

    @Test
    void aRetriedCreateWithTheSameIdentifierRaisesOneTask() {
        Task request = cannula("routine", Patients.NHS_NUMBER);
        request.addIdentifier(new Identifier().setSystem("urn:epr:order").setValue(UUID.randomUUID().toString()));
        String first = raise("epr", request);
        String second = raise("epr", request);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aBadNhsNumberAndAnUnknownWardAreRefusedAsAnOperationOutcomeNamingEachElement() {
        Task request = cannula("urgent", Patients.INVALID_NHS_NUMBER);
        request.setLocation(new Reference("Location/no-such-ward"));
        String body = FhirWire.as("epr").body(FhirWire.json(request)).post("/fhir/Task").then().statusCode(400)
                .contentType(containsString("application/fhir+json")).extract().asString();
        FhirWire.assertValid(body);
        OperationOutcome outcome = FhirWire.parse(OperationOutcome.class, body);
        assertThat(outcome.getIssue()).extracting(i -> i.getExpression().get(0).getValue())
                .contains("Task.for.identifier.value", "Task.location");
        assertThat(outcome.getIssue()).extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .anySatisfy(d -> assertThat(d).contains("modulus 11"))
                .anySatisfy(d -> assertThat(d).contains("unknown ward 'no-such-ward'"));
    }

    @Test
    void malformedFhirAndUnknownElementsAreRefusedNotSkipped() {
        String broken = FhirWire.as("epr").body("{\"resourceType\":\"Task\",").post("/fhir/Task").then()
                .statusCode(400).extract().asString();
        assertThat(FhirWire.parse(OperationOutcome.class, broken).getIssueFirstRep().getCode())
                .isEqualTo(OperationOutcome.IssueType.STRUCTURE);
        String unknown = FhirWire.as("epr").body("{\"resourceType\":\"Task\",\"status\":\"requested\","
                + "\"intent\":\"order\",\"urgency\":\"high\"}").post("/fhir/Task").then().statusCode(400)
                .extract().asString();
        assertThat(FhirWire.parse(OperationOutcome.class, unknown).getIssueFirstRep().getDiagnostics())
                .contains("urgency");
    }

    @Test
    void twoDoctorsAcceptOverFhirAndTheSecondGetsA409NamingWhoHasIt() {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        String id = raise("grace.okafor", cannula("asap", Patients.NHS_NUMBER));
        awaitOffered(id);

        String accepted = change(holders.get(0), id, status(id, Task.TaskStatus.ACCEPTED)).then().statusCode(200)
                .extract().asString();
        FhirWire.assertValid(accepted);
        Task mine = FhirWire.parse(Task.class, accepted);
        assertThat(mine.getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
        assertThat(mine.getOwner().getReference()).isEqualTo("Practitioner/" + holders.get(0));

        String ownerName = mine.getOwner().getDisplay();
        String conflict = change(holders.get(1), id, status(id, Task.TaskStatus.ACCEPTED)).then().statusCode(409)
                .extract().asString();
        OperationOutcome outcome = FhirWire.parse(OperationOutcome.class, conflict);
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.CONFLICT);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(ownerName);

        change(holders.get(0), id, status(id, Task.TaskStatus.INPROGRESS)).then().statusCode(200)
                .body("status", equalTo("in-progress"));
        Task done = status(id, Task.TaskStatus.COMPLETED);
        done.addNote().setText("Re-sited 20G left forearm");
        change(holders.get(0), id, done).then().statusCode(200).body("status", equalTo("completed"));
        Task read = read(id);
        assertThat(read.getNoteFirstRep().getText()).isEqualTo("Re-sited 20G left forearm");
    }

    @Test
    void rejectingNeedsAStatusReasonAndIsRecordedWithIt() {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        String id = raise("grace.okafor", cannula("urgent", Patients.NHS_NUMBER));
        awaitOffered(id);

        String missing = change(holders.get(0), id, status(id, Task.TaskStatus.REJECTED)).then().statusCode(400)
                .extract().asString();
        assertThat(FhirWire.parse(OperationOutcome.class, missing).getIssueFirstRep().getExpression().get(0).getValue())
                .isEqualTo("Task.statusReason");

        Task reject = status(id, Task.TaskStatus.REJECTED);
        reject.setStatusReason(new CodeableConcept().setText("In resus"));
        String after = change(holders.get(0), id, reject).then().statusCode(200).extract().asString();
        Task task = FhirWire.parse(Task.class, after);
        assertThat(task.getRestriction().getRecipient()).extracting(Reference::getReference)
                .doesNotContain("Practitioner/" + holders.get(0));
        assertThat(read(id).getContained()).filteredOn(r -> r instanceof Provenance)
                .map(r -> (Provenance) r).filteredOn(p -> p.getActivity().getText().equals("TaskDeclined"))
                .singleElement().satisfies(p -> assertThat(p.getReasonFirstRep().getText()).isEqualTo("In resus"));
    }

    @Test
    void anIntegrationActsForADoctorNamedInXProvenanceAndNotForAnyoneOnItsOwn() {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        String id = raise("epr", cannula("urgent", Patients.NHS_NUMBER));
        awaitOffered(id);

        change("epr", id, status(id, Task.TaskStatus.ACCEPTED)).then().statusCode(403);
        Provenance provenance = new Provenance();
        provenance.addAgent().setWho(new Reference("Practitioner/" + holders.get(0)));
        FhirWire.as("epr").header("X-Provenance", FhirWire.json(provenance))
                .body(FhirWire.json(status(id, Task.TaskStatus.ACCEPTED))).put("/fhir/Task/" + id).then()
                .statusCode(200).body("owner.reference", equalTo("Practitioner/" + holders.get(0)));
        // The requester (the EPR itself) may cancel.
        Task cancel = status(id, Task.TaskStatus.CANCELLED);
        cancel.setStatusReason(new CodeableConcept().setText("Patient discharged"));
        change("epr", id, cancel).then().statusCode(200).body("status", equalTo("cancelled"));
    }

    @Test
    void searchFindsTasksByPatientStatusAndOwnerAndPagesThroughThem() {
        String nhs = "4010232137";
        List<String> ids = List.of(raise("epr", cannula("routine", nhs)), raise("epr", cannula("routine", nhs)),
                raise("epr", cannula("routine", nhs)));
        ids.forEach(this::awaitOffered);
        String patient = "patient:identifier=https://fhir.nhs.uk/Id/nhs-number|" + nhs;

        String firstPage = FhirWire.as("sam.patel").get("/fhir/Task?" + patient + "&status=requested&_count=2")
                .then().statusCode(200).extract().asString();
        FhirWire.assertValid(firstPage);
        Bundle bundle = FhirWire.parse(Bundle.class, firstPage);
        assertThat(bundle.getTotal()).isEqualTo(3);
        assertThat(bundle.getEntry()).hasSize(2);
        String next = bundle.getLink("next").getUrl();
        Bundle second = FhirWire.parse(Bundle.class, FhirWire.as("sam.patel").urlEncodingEnabled(false).get(next).then().statusCode(200)
                .extract().asString());
        assertThat(second.getEntry()).hasSize(1);
        assertThat(second.getLink("next")).isNull();
        assertThat(second.getLink("previous")).isNotNull();
        assertThat(java.util.stream.Stream.concat(bundle.getEntry().stream(), second.getEntry().stream())
                .map(e -> e.getResource().getIdElement().getIdPart())).containsExactlyInAnyOrderElementsOf(ids);

        String holder = SWITCHBOARD.holdersOf(SHO).get(0);
        change(holder, ids.get(0), status(ids.get(0), Task.TaskStatus.ACCEPTED)).then().statusCode(200);
        Bundle owned = FhirWire.parse(Bundle.class, FhirWire.as("sam.patel")
                .get("/fhir/Task?" + patient + "&owner=Practitioner/" + holder + "&status=accepted")
                .then().statusCode(200).extract().asString());
        assertThat(owned.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(ids.get(0));
        Bundle later = FhirWire.parse(Bundle.class, FhirWire.as("sam.patel")
                .get("/fhir/Task?" + patient + "&_lastUpdated=gt2999-01-01").then().statusCode(200)
                .extract().asString());
        assertThat(later.getTotal()).isZero();
    }

    @Test
    void anUnknownSearchParameterIsRefusedRatherThanIgnored() {
        String body = FhirWire.as("sam.patel").get("/fhir/Task?stauts=accepted").then().statusCode(400)
                .extract().asString();
        assertThat(FhirWire.parse(OperationOutcome.class, body).getIssueFirstRep().getExpression().get(0).getValue())
                .isEqualTo("stauts");
    }

    @Test
    void aCommunicationRequestBleepsARoleByItsBleepNumberAndAnswersInXmlWhenAsked() {
        CommunicationRequest bleep = new CommunicationRequest();
        bleep.setStatus(CommunicationRequest.CommunicationRequestStatus.ACTIVE);
        bleep.setPriority(CommunicationRequest.CommunicationPriority.URGENT);
        String bleepNumber = given().auth().preemptive().basic("sam.patel", Api.PASSWORD).get("/api/v1/roles")
                .then().extract().jsonPath().getString("find { it.name == '" + SHO + "' }.bleep");
        bleep.addRecipient(new Reference().setIdentifier(new Identifier().setSystem(FhirTasks.BLEEP_SYSTEM)
                .setValue(bleepNumber)));
        bleep.addPayload().setContent(new StringType("Please call re bed 12"));
        bleep.addExtension(FhirCommunication.CALLBACK_EXTENSION, new StringType("4417"));

        Response response = FhirWire.as("nurse-call").accept("application/fhir+xml").body(FhirWire.json(bleep))
                .post("/fhir/CommunicationRequest");
        response.then().statusCode(202).contentType(containsString("application/fhir+xml"));
        String id = response.header("Location").replaceAll(".*/Task/", "");
        Task task = awaitOffered(id);
        assertThat(task.getCode().getText()).isEqualTo("Bleep");
        assertThat(task.getDescription()).isEqualTo("Please call re bed 12");
        assertThat(task.getInput()).anySatisfy(i -> assertThat(i.getValue().primitiveValue()).isEqualTo("4417"));

        bleep.getExtension().clear();
        String refused = FhirWire.as("nurse-call").body(FhirWire.json(bleep)).post("/fhir/CommunicationRequest")
                .then().statusCode(400).extract().asString();
        assertThat(FhirWire.parse(OperationOutcome.class, refused).getIssueFirstRep().getExpression().get(0)
                .getValue()).contains(FhirCommunication.CALLBACK_EXTENSION);
    }

    @Test
    void withoutCredentialsTheTaskApiIsClosed() {
        given().get("/fhir/Task").then().statusCode(401);
    }

    // --- helpers ---

    static Task cannula(String priority, String nhsNumber) {
        Task task = new Task();
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setPriority(Task.TaskPriority.fromCode(priority));
        task.setFor(new Reference().setIdentifier(new Identifier().setSystem("https://fhir.nhs.uk/Id/nhs-number")
                .setValue(nhsNumber)).setDisplay(Patients.NAME));
        task.setCode(new CodeableConcept().setText("Cannula"));
        task.setDescription("S: tissued cannula, IV antibiotics due 14:00. B: day 2 pneumonia. A: obs stable. "
                + "R: re-site within the hour.");
        task.setLocation(new Reference("Location/7B"));
        task.addPerformerType(new CodeableConcept().setText(SHO));
        task.addInput().setType(new CodeableConcept().setText("bed")).setValue(new StringType("12"));
        task.addInput().setType(new CodeableConcept(new Coding("http://snomed.info/sct", FhirTasks.NEWS2_CODE, null)))
                .setValue(new IntegerType(5));
        return task;
    }

    static Task status(String id, Task.TaskStatus status) {
        Task task = new Task();
        task.setId(id);
        task.setStatus(status);
        task.setIntent(Task.TaskIntent.ORDER);
        return task;
    }

    static Response change(String user, String id, Task task) {
        return FhirWire.as(user).body(FhirWire.json(task)).put("/fhir/Task/" + id);
    }

    static String raise(String user, Task task) {
        Response response = FhirWire.as(user).body(FhirWire.json(task)).post("/fhir/Task");
        response.then().statusCode(202).contentType(containsString("application/fhir+json"));
        String location = response.header("Location");
        assertThat(location).contains("/fhir/Task/");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    static Task read(String id) {
        String body = FhirWire.as("sam.patel").get("/fhir/Task/" + id).then().statusCode(200).extract().asString();
        FhirWire.assertValid(body);
        return FhirWire.parse(Task.class, body);
    }

    Task awaitOffered(String id) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> FhirWire.as("sam.patel").get("/fhir/Task/" + id)
                .then().statusCode(200).body("businessStatus.coding[0].code", equalTo("offered")));
        return read(id);
    }
}
