package org.pagerless.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.Conversations;
import org.pagerless.support.FlowTest;
import org.pagerless.support.LiveClient;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Receipts in words, unread counts, mentions that say where and never what, search, and a message raised as a bleep. */
@QuarkusTest
class ReceiptsFlowTest extends FlowTest {
    static final Api KATE = Api.as("kate.morgan");
    static final Api RAJ = Api.as("raj.patel");
    static final Api FIONA = Api.as("fiona.bell");

    @TestHTTPResource("/")
    java.net.URL base;

    private static String registrarsGroup() {
        return KATE.post("/api/v1/conversations/groups", Map.of("title", "Medical registrars",
                "members", List.of(RAJ.user(), FIONA.user()))).then().statusCode(201).extract().path("id");
    }

    @Test
    void theAuthorSeesWhoHasReadTheirMessageAndWhenAndReadersUnreadCountsGoDown() {
        String group = registrarsGroup();
        String message = Conversations.post(KATE, group, "Handover at 20:00 in the doctors' room");
        Conversations.awaitBody(RAJ, group, "Handover at 20:00 in the doctors' room");
        RAJ.get("/api/v1/conversations").statusCode(200).body("find { it.id == '" + group + "' }.unread", equalTo(1));
        KATE.get("/api/v1/conversations/" + group + "/messages/" + message).statusCode(200)
                .body("receipts", equalTo("delivered to 1, not yet by 1"));

        RAJ.post("/api/v1/conversations/" + group + "/read").then().statusCode(204);

        KATE.get("/api/v1/conversations/" + group + "/messages/" + message).statusCode(200)
                .body("receipts", startsWith("read by Dr Raj Patel "))
                .body("receipts", org.hamcrest.Matchers.endsWith(", not yet by 1"))
                .body("receivedBy.find { it.member.id == 'raj.patel' }.state", equalTo("read"))
                .body("receivedBy.find { it.member.id == 'fiona.bell' }.state", equalTo("sent"));
        RAJ.get("/api/v1/conversations").statusCode(200).body("find { it.id == '" + group + "' }.unread", equalTo(0));
        FIONA.get("/api/v1/conversations").statusCode(200).body("find { it.id == '" + group + "' }.unread", equalTo(1));
    }

    @Test
    void aMentionTellsThePersonWhereTheyWereMentionedButNeverWhatWasSaid() throws Exception {
        String group = registrarsGroup();
        try (LiveClient fiona = LiveClient.connect(base.getPort(), FIONA.user())) {
            String text = "@fiona.bell K+ 6.1 for " + Patients.NAME + ", please review";
            String message = Conversations.post(KATE, group, text);
            await().atMost(Duration.ofSeconds(30)).until(() -> fiona.messages().stream()
                    .anyMatch(m -> m.contains("\"ConversationMention\"") && m.contains(message)));
            assertThat(fiona.messages()).filteredOn(m -> m.contains("\"ConversationMention\""))
                    .allSatisfy(m -> assertThat(m).doesNotContain("6.1").doesNotContain(Patients.NAME)
                            .contains("Medical registrars"));
            KATE.get("/api/v1/conversations/" + group + "/messages/" + message).statusCode(200)
                    .body("mentions.id", equalTo(List.of(FIONA.user())));
        }
    }

    @Test
    void searchFindsTheMessagesContainingTheWords() {
        String group = registrarsGroup();
        Conversations.post(KATE, group, "Bed 12 potassium is 6.1");
        Conversations.post(RAJ, group, "Who is at the 17:00 clinic?");
        Conversations.awaitBody(FIONA, group, "Who is at the 17:00 clinic?");
        FIONA.get("/api/v1/conversations/" + group + "/messages?q=POTASSIUM").statusCode(200)
                .body("body", equalTo(List.of("Bed 12 potassium is 6.1")));
        FIONA.get("/api/v1/conversations/" + group + "/messages?q=" + "x".repeat(201)).statusCode(400)
                .body("violations[0].field", equalTo("q"));
    }

    @Test
    void aMessageBecomesABleepInOneActionAndEachKeepsALinkToTheOther() {
        String group = registrarsGroup();
        String message = Conversations.post(KATE, group, "Can the SHO call ward 7B about bed 12?");
        Conversations.awaitBody(RAJ, group, "Can the SHO call ward 7B about bed 12?");
        Map<String, Object> bleep = Map.of("to", Map.of("role", "Medical SHO On-Call"), "callback", "4417", "priority", "urgent");

        String task = RAJ.post("/api/v1/conversations/" + group + "/messages/" + message + "/bleep", bleep).then()
                .statusCode(202).header("Location", org.hamcrest.Matchers.endsWith("/api/v1/tasks/"
                        + RAJ.post("/api/v1/conversations/" + group + "/messages/" + message + "/bleep", bleep)
                        .then().statusCode(202).extract().path("id")))
                .extract().path("id");
        Tasks.awaitStatus(task, "offered");
        RAJ.get("/api/v1/tasks/" + task).statusCode(200).body("message", equalTo("Can the SHO call ward 7B about bed 12?"));

        KATE.get("/api/v1/conversations/" + group + "/messages/" + message).statusCode(200)
                .body("raised.taskId", equalTo(List.of(task)));
        RAJ.get("/api/v1/conversations/" + task).statusCode(200).body("raisedFrom.messageId", equalTo(message))
                .body("raisedFrom.conversationId", equalTo(group));
        Conversations.awaitBody(KATE, group, "Raised as a bleep (" + task.substring(0, 6).toUpperCase() + ") by Dr Raj Patel");

        RAJ.post("/api/v1/conversations/" + group + "/messages/" + message + "/task", Map.of("priority", "urgent"))
                .then().statusCode(400).contentType("application/problem+json").body("violations.field", org.hamcrest.Matchers.hasItem("to"));
    }
}
