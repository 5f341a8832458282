package org.pagerless.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.junit.jupiter.api.Test;
import org.pagerless.platform.Retention;
import org.pagerless.support.Api;
import org.pagerless.support.Conversations;
import org.pagerless.support.FhirWire;
import org.pagerless.support.FlowTest;
import org.pagerless.support.LiveClient;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.Photos;
import org.pagerless.support.Tasks;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Conversations as a record, through the real broker and database: edits and deletions are new versions (the
 * message itself can never be updated), photos are re-encoded and served only to members and never cached, a task's
 * thread exports as valid FHIR R4 Communication resources, reads in a task thread are audited, and retention prunes
 * chat after its period while task threads stay.
 */
@QuarkusTest
class ConversationRecordFlowTest extends FlowTest {
    static final Api KATE = Api.as("kate.morgan");
    static final Api RAJ = Api.as("raj.patel");
    static final Api FIONA = Api.as("fiona.bell");
    static final Api BYSTANDER = Api.as("tom.reid");
    static final Api EPR = Api.as("epr");
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final String SHO = "Medical SHO On-Call";

    @TestHTTPResource("/")
    java.net.URL base;
    @Inject
    Retention retention;

    private static String registrarsGroup() {
        return KATE.post("/api/v1/conversations/groups", Map.of("title", "Registrars' handover",
                "members", List.of(RAJ.user(), FIONA.user()))).then().statusCode(201).extract().path("id");
    }

    @Test
    void anEditAndADeletionAreNewVersionsAndTheMessageItselfIsNeverChanged() throws Exception {
        String group = registrarsGroup();
        String kate = KATE.get("/api/v1/me").extract().path("name");
        String id = Conversations.post(KATE, group, "Handover at 20:00 in the doctors' room");
        Conversations.awaitBody(RAJ, group, "Handover at 20:00 in the doctors' room");
        String path = "/api/v1/conversations/" + group + "/messages/" + id;

        RAJ.request().body(Map.of("body", "Not yours to change")).put(path).then().statusCode(403);
        KATE.request().body(Map.of("body", " ")).put(path).then().statusCode(400)
                .body("violations[0].field", equalTo("body"));
        try (LiveClient raj = LiveClient.connect(base.getPort(), RAJ.user())) {
            KATE.request().body(Map.of("body", "Handover at 20:30 in the doctors' room")).put(path).then().statusCode(202);
            Conversations.awaitBody(RAJ, group, "Handover at 20:30 in the doctors' room");
            RAJ.get(path).statusCode(200).body("edited", startsWith("edited by " + kate + " "))
                    .body("deleted", nullValue());

            KATE.request().delete(path).then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> RAJ.get(path).extract().path("deleted") != null);
            RAJ.get(path).statusCode(200).body("body", nullValue())
                    .body("deleted", matchesPattern("deleted by " + kate + " at \\d\\d:\\d\\d"));
            await().atMost(Duration.ofSeconds(20)).until(() -> raj.messages().stream()
                    .anyMatch(m -> m.contains("\"MessageDeleted\"") && m.contains(id)));
        }
        assertThat(Conversations.bodies(FIONA, group)).doesNotContain("Handover at 20:30 in the doctors' room");
        KATE.request().body(Map.of("body", "again")).put(path).then().statusCode(409);

        RAJ.get(path + "/versions").statusCode(200)
                .body("change", equalTo(List.of("posted", "edited", "deleted")))
                .body("body", equalTo(java.util.Arrays.asList("Handover at 20:00 in the doctors' room",
                        "Handover at 20:30 in the doctors' room", null)));
        BYSTANDER.get(path + "/versions").statusCode(403);
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(
                "update conversation_message set body = 'rewritten' where id = ?::uuid")) {
            ps.setString(1, id);
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
    }

    @Test
    void aPhotoIsStoredWithoutItsLocationAndShownOnlyToMembersNeverCached() {
        String group = registrarsGroup();
        byte[] upload = Photos.jpegWithLocation(800, 600);
        String photo = KATE.request().contentType("image/jpeg").body(upload)
                .post("/api/v1/conversations/" + group + "/photos").then().statusCode(201)
                .body("contentType", equalTo("image/jpeg")).body("width", equalTo(800)).extract().path("id");
        String id = KATE.post("/api/v1/conversations/" + group + "/messages", Map.of("body", "Rash on the left forearm",
                "photo", photo)).then().statusCode(202).extract().path("id");
        Conversations.awaitBody(RAJ, group, "Rash on the left forearm");
        String address = RAJ.get("/api/v1/conversations/" + group + "/messages/" + id).statusCode(200)
                .extract().path("photo");
        assertThat(address).isEqualTo("/api/v1/conversations/" + group + "/photos/" + photo);

        Response served = RAJ.request().accept("image/*").get(address);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.contentType()).isEqualTo("image/jpeg");
        assertThat(served.header("Cache-Control")).isEqualTo("no-store");
        byte[] bytes = served.asByteArray();
        assertThat(Photos.contains(bytes, "Exif")).isFalse();
        assertThat(Photos.contains(bytes, "GPS")).isFalse();
        assertThat(Photos.contains(bytes, Photos.CAMERA)).isFalse();
        assertThat(Photos.read(bytes).getWidth()).isEqualTo(800);
        BYSTANDER.request().accept("image/*").get(address).then().statusCode(403);

        KATE.request().contentType("image/png").body("not an image".getBytes())
                .post("/api/v1/conversations/" + group + "/photos").then().statusCode(400)
                .body("violations[0].field", equalTo("photo"))
                .body("violations[0].reason", equalTo("must be a JPEG or PNG image"));
        KATE.request().contentType("image/jpeg").body(new byte[8 * 1024 * 1024 + 1])
                .post("/api/v1/conversations/" + group + "/photos").then().statusCode(400)
                .body("violations[0].field", equalTo("photo"))
                .body("violations[0].reason", equalTo("must be at most 8388608 bytes"));
        BYSTANDER.request().contentType("image/jpeg").body(upload)
                .post("/api/v1/conversations/" + group + "/photos").then().statusCode(403);
        // A photo from another conversation (or someone else's) cannot be posted here.
        String other = registrarsGroup();
        KATE.post("/api/v1/conversations/" + other + "/messages", Map.of("body", "x", "photo", photo)).then()
                .statusCode(400).body("violations[0].field", equalTo("photo"));
    }

    @Test
    void aTaskThreadExportsAsValidFhirCommunicationsAndEveryReadOfItIsAudited() throws Exception {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        Api owner = Api.as(shos.get(0));
        String task = SWITCHBOARD.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "urgent"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(task, "offered");
        owner.post("/api/v1/tasks/" + task + "/accept").then().statusCode(200);
        String kept = Conversations.post(SWITCHBOARD, task, "Bloods sent, K+ 6.1");
        String withdrawn = Conversations.post(owner, task, "Wrong patient, ignore");
        Conversations.awaitBody(owner, task, "Wrong patient, ignore");
        owner.request().delete("/api/v1/conversations/" + task + "/messages/" + withdrawn).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> owner.get("/api/v1/conversations/" + task + "/messages/"
                + withdrawn).extract().path("deleted") != null);

        long exports = audited(task, EPR.user(), "GET /fhir/Communication");
        String body = FhirWire.as(EPR.user()).get("/fhir/Communication?part-of=Task/" + task).then().statusCode(200)
                .extract().asString();
        FhirWire.assertValid(body);
        Bundle bundle = FhirWire.parse(Bundle.class, body);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        Communication message = communication(bundle, kept);
        assertThat(message.getStatus()).isEqualTo(Communication.CommunicationStatus.COMPLETED);
        assertThat(message.getPartOfFirstRep().getReference()).isEqualTo("Task/" + task);
        assertThat(message.getSubject().getIdentifier().getValue()).isEqualTo(Patients.NHS_NUMBER);
        assertThat(message.getSender().getReference()).isEqualTo("Practitioner/sam.patel");
        assertThat(message.getRecipient()).extracting(r -> r.getReference()).contains("Practitioner/" + owner.user());
        assertThat(message.getPayloadFirstRep().getContentStringType().getValue()).isEqualTo("Bloods sent, K+ 6.1");
        Communication deleted = communication(bundle, withdrawn);
        assertThat(deleted.getStatus()).isEqualTo(Communication.CommunicationStatus.ENTEREDINERROR);
        assertThat(deleted.getPayload()).isEmpty();
        assertThat(deleted.getNoteFirstRep().getText()).startsWith("deleted by ");
        assertThat(bundle.getEntry()).anySatisfy(e -> assertThat(((Communication) e.getResource()).getSender().hasReference())
                .isFalse()); // the system lines ("Accepted by …") are sent by no one
        assertThat(audited(task, EPR.user(), "GET /fhir/Communication")).isEqualTo(exports + 1);

        long reads = audited(task, owner.user(), "GET /api/v1/conversations/{id}/messages");
        owner.get("/api/v1/conversations/" + task + "/messages").statusCode(200);
        assertThat(audited(task, owner.user(), "GET /api/v1/conversations/{id}/messages")).isEqualTo(reads + 1);

        BYSTANDER.request().get("/fhir/Communication?part-of=Task/" + task).then().statusCode(403);
        FhirWire.as(EPR.user()).get("/fhir/Communication?subject=x&part-of=Task/" + task).then().statusCode(400);
        FhirWire.as(EPR.user()).get("/fhir/Communication").then().statusCode(400);
        SWITCHBOARD.post("/api/v1/tasks/" + task + "/cancel", Map.of("reason", "record test")).then().statusCode(200);
    }

    @Test
    void retentionPrunesChatAfterItsPeriodWithItsVersionsButKeepsTaskThreads() throws Exception {
        String group = registrarsGroup();
        String chat = Conversations.post(KATE, group, "Coffee after handover?");
        Conversations.awaitBody(RAJ, group, "Coffee after handover?");
        KATE.request().body(Map.of("body", "Coffee after handover? 20:45")).put("/api/v1/conversations/" + group
                + "/messages/" + chat).then().statusCode(202);
        Conversations.awaitBody(RAJ, group, "Coffee after handover? 20:45");
        String task = SWITCHBOARD.bleepRole(SHO, "routine");
        Tasks.awaitStatus(task, "offered");
        String thread = Conversations.post(SWITCHBOARD, task, "Call 4417 about bed 3");
        Conversations.awaitBody(SWITCHBOARD, task, "Call 4417 about bed 3");

        retention.prune(Instant.now());
        assertThat(count("select count(*) from conversation_message where id = ?::uuid", chat)).isOne();

        Map<String, Long> pruned = retention.prune(Instant.now().plus(Duration.ofDays(731)));
        assertThat(pruned.get("conversation_message")).isPositive();
        assertThat(count("select count(*) from conversation_message where id = ?::uuid", chat)).isZero();
        assertThat(count("select count(*) from conversation_message_version where message_id = ?::uuid", chat)).isZero();
        assertThat(count("select count(*) from conversation_receipt where message_id = ?::uuid", chat)).isZero();
        assertThat(count("select count(*) from conversation_message where id = ?::uuid", thread))
                .as("a task thread is kept for its own, longer period").isOne();
        SWITCHBOARD.post("/api/v1/tasks/" + task + "/cancel", Map.of("reason", "retention test")).then().statusCode(200);
    }

    private static Communication communication(Bundle bundle, String id) {
        return bundle.getEntry().stream().map(e -> (Communication) e.getResource())
                .filter(c -> c.getIdElement().getIdPart().equals(id)).findFirst().orElseThrow();
    }

    private static long audited(String task, String staff, String channel) throws SQLException {
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement("select count(*) "
                + "from patient_read where task_id = ?::uuid and staff_id = ? and channel = ?")) {
            ps.setString(1, task);
            ps.setString(2, staff);
            ps.setString(3, channel);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long count(String sql, String id) throws SQLException {
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
