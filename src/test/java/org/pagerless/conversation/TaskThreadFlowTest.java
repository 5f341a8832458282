package org.pagerless.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.Conversations;
import org.pagerless.support.FlowTest;
import org.pagerless.support.LiveClient;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The thread on a task, through the real broker and database: who may talk there, and what the task says in it. */
@QuarkusTest
class TaskThreadFlowTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");
    /** An FY1 on the wards: never offered a task addressed to the SHOs. */
    static final Api BYSTANDER = Api.as("tom.reid");

    @TestHTTPResource("/")
    java.net.URL base;

    @Test
    void requesterOfferedDoctorsAndWardNurseInChargeTalkOnTheTaskAndItsAcceptAndDeclineAppearAsLines() throws Exception {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        String nic = SWITCHBOARD.holdersOf("Nurse in Charge 7B").get(0);
        Api owner = Api.as(shos.get(0));
        Api decliner = Api.as(shos.get(1));
        String ownerName = owner.get("/api/v1/me").extract().path("name");

        String id = SWITCHBOARD.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "urgent"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        try (LiveClient requesterApp = LiveClient.connect(base.getPort(), SWITCHBOARD.user())) {
            decliner.post("/api/v1/tasks/" + id + "/decline", Map.of("reason", "In resus")).then().statusCode(200);
            owner.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);

            String question = "Bloods sent, K+ 6.1 for " + Patients.NAME + " - can you review before 14:00?";
            String posted = Conversations.post(SWITCHBOARD, id, question);
            Conversations.awaitBody(owner, id, question);
            Conversations.post(owner, id, "On my way, 10 minutes");
            Conversations.post(Api.as(nic), id, "Bed 12 is ready for you");

            List<String> seen = Conversations.awaitBody(SWITCHBOARD, id, "Bed 12 is ready for you");
            assertThat(seen).contains("Raised by " + SWITCHBOARD.get("/api/v1/me").extract().path("name"),
                    "Declined by " + decliner.get("/api/v1/me").extract().path("name") + ": In resus",
                    "Accepted by " + ownerName, question, "On my way, 10 minutes");
            // The requester's app had the message pushed live, with its text (inside the signed-in app only).
            await().atMost(Duration.ofSeconds(20)).until(() -> requesterApp.messages().stream()
                    .anyMatch(m -> m.contains("\"MessagePosted\"") && m.contains(posted) && m.contains("K+ 6.1")));
        }
        // The task's lines went to its people as they stood when the writer stored them (one membership read per
        // batch): the requester first, both doctors it was offered to, and the ward's nurse in charge last.
        assertThat(audienceOf(id, "Accepted by " + ownerName)).startsWith(SWITCHBOARD.user())
                .containsExactlyInAnyOrder(SWITCHBOARD.user(), shos.get(0), shos.get(1), nic).endsWith(nic);
        owner.get("/api/v1/conversations/" + id).statusCode(200).body("kind", equalTo("task"))
                .body("title", equalTo("Cannula · " + id.substring(0, 6).toUpperCase()))
                .body("title", org.hamcrest.Matchers.not(containsString("Quillfeather")));
    }

    /** Who a stored line of the thread was posted to, in the order stored. */
    private static List<String> audienceOf(String taskId, String body) throws java.sql.SQLException {
        try (java.sql.Connection c = PagerlessInfra.connection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "select audience from conversation_message where conversation_id = ?::uuid and body = ?")) {
            ps.setString(1, taskId);
            ps.setString(2, body);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("line %s stored", body).isTrue();
                return List.of((String[]) rs.getArray(1).getArray());
            }
        }
    }

    @Test
    void aLineWhoseCommandComesAgainIsStoredOnceWhereItFirstWas() throws Exception {
        String id = SWITCHBOARD.bleepRole(SHO, "routine");
        String raised = "Raised by " + SWITCHBOARD.get("/api/v1/me").extract().path("name");
        Conversations.awaitBody(SWITCHBOARD, id, raised);
        // The thread's commands so far (its lines), sent again twice, back to back, as a replay would: the writer may
        // take them in one batch (one multi-row insert) or in several; either way each line is stored once.
        List<String> lines = org.pagerless.support.Broker.readAll(org.pagerless.platform.Topics.CONVERSATION_COMMANDS)
                .stream().filter(r -> id.equals(r.key())).map(r -> r.value()).toList();
        assertThat(lines).isNotEmpty();
        for (int i = 0; i < 2; i++) {
            for (String line : lines) {
                org.pagerless.support.Broker.publish(org.pagerless.platform.Topics.CONVERSATION_COMMANDS, id, line);
            }
        }
        // Barrier: a message sent after them, on the same partition (keyed by the thread), is stored after them.
        Conversations.post(SWITCHBOARD, id, "Call 4417 about bed 5");
        List<String> seen = Conversations.awaitBody(SWITCHBOARD, id, "Call 4417 about bed 5");
        assertThat(seen).containsOnlyOnce(raised);
        assertThat(seen.indexOf(raised)).isLessThan(seen.indexOf("Call 4417 about bed 5"));
        assertThat(seen).doesNotHaveDuplicates();
    }

    @jakarta.inject.Inject
    ConversationCodec codec;

    @Test
    void aRaisesLinesTravelInOneRecordAndARecordOfOneLineIsStillRead() throws Exception {
        String id = SWITCHBOARD.bleepRole(SHO, "routine");
        String raised = "Raised by " + SWITCHBOARD.get("/api/v1/me").extract().path("name");
        await().atMost(Duration.ofSeconds(20)).until(() -> Conversations.awaitBody(SWITCHBOARD, id, raised).stream()
                .anyMatch(line -> line.startsWith("Offered to ")));
        // The raise's two events came in one batch of the lines' loop: one record carries both lines, in order.
        List<String> records = org.pagerless.support.Broker.readAll(org.pagerless.platform.Topics.CONVERSATION_COMMANDS)
                .stream().filter(r -> id.equals(r.key())).map(r -> r.value()).toList();
        assertThat(records).hasSize(1);
        List<org.pagerless.conversation.model.ConversationCommand> lines = codec.commands(records.get(0));
        assertThat(records.get(0)).contains("\"type\":\"PostSystemLines\"");
        assertThat(lines).extracting(c -> ((org.pagerless.conversation.model.ConversationCommand.PostSystemLine) c).body())
                .first().isEqualTo(raised);
        assertThat(lines).hasSize(2);
        // A record of one line, as written before lines were grouped, is stored as ever, in its place.
        String old = "Bed 9 moved to side room (a line written the old way)";
        org.pagerless.support.Broker.publish(org.pagerless.platform.Topics.CONVERSATION_COMMANDS, id, codec.command(
                new org.pagerless.conversation.model.ConversationCommand.PostSystemLine(java.util.UUID.randomUUID(),
                        java.util.UUID.fromString(id), old, java.time.Instant.now())));
        Conversations.post(SWITCHBOARD, id, "Call 4417 about bed 9");
        List<String> seen = Conversations.awaitBody(SWITCHBOARD, id, "Call 4417 about bed 9");
        assertThat(seen).containsOnlyOnce(old, raised);
        assertThat(seen.indexOf(old)).isLessThan(seen.indexOf("Call 4417 about bed 9"));
    }

    @Test
    void someoneTheTaskWasNeverOfferedToCannotReadOrPostInItsThread() {
        String id = SWITCHBOARD.bleepRole(SHO, "routine");
        Tasks.awaitStatus(id, "offered");
        Conversations.post(SWITCHBOARD, id, "Call 4417 about bed 3");

        BYSTANDER.post("/api/v1/conversations/" + id + "/messages", Map.of("body", "Can I help?")).then()
                .statusCode(403).contentType("application/problem+json").body("detail", containsString("requester"));
        BYSTANDER.get("/api/v1/conversations/" + id + "/messages").statusCode(403);
        BYSTANDER.get("/api/v1/conversations/" + id).statusCode(403);
        // Nothing half-written: the refused post left no message behind.
        assertThat(Conversations.awaitBody(SWITCHBOARD, id, "Call 4417 about bed 3")).doesNotContain("Can I help?");
    }

    @Test
    void anEmptyOrOversizedMessageIsRefusedNamingTheBody() {
        String id = SWITCHBOARD.bleepRole(SHO, "routine");
        Tasks.awaitStatus(id, "offered");
        SWITCHBOARD.post("/api/v1/conversations/" + id + "/messages", Map.of("body", "  ")).then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("body"))
                .body("violations[0].reason", equalTo("must not be empty"));
        SWITCHBOARD.post("/api/v1/conversations/" + id + "/messages", Map.of("body", "x".repeat(4001))).then()
                .statusCode(400).body("violations[0].field", equalTo("body"))
                .body("violations[0].reason", containsString("4000"));
        SWITCHBOARD.get("/api/v1/conversations/" + java.util.UUID.randomUUID()).statusCode(404);
    }
}
