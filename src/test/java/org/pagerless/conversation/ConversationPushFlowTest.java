package org.pagerless.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.Conversations;
import org.pagerless.support.FakePushService;
import org.pagerless.support.FakePushService.Subscription;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A message reaches a phone whose app is closed by Web Push through the delivery outbox, saying where and never what
 * ("New message in Night nurses in charge"), never by text or call; someone who muted the conversation is not pushed,
 * unless a message mentions them. A bleep's push carries its callback. Over the real broker, database and the fake
 * push service (which decrypts every push with the phone's key). These charge nurses are paged by no other test.
 */
@QuarkusTest
class ConversationPushFlowTest extends FlowTest {
    static final FakePushService PUSH = PagerlessInfra.pushService();
    static final Api PAUL = Api.as("paul.smith");
    static final Api SEAN = Api.as("sean.byrne");
    static final Api TINA = Api.as("tina.wood");
    static final Api KAI = Api.as("kai.lewis");

    private final List<String[]> registered = new ArrayList<>();

    @AfterEach
    void subscriptionsOff() {
        registered.forEach(r -> Api.as(r[0]).request().delete("/api/v1/me/push-subscriptions/" + r[1]));
        assertThat(PUSH.refused()).as("pushes the fake push service refused").isEmpty();
    }

    @Test
    void aMessageIsPushedAsWhereNeverWhatAndAMutedMemberIsPushedOnlyWhenMentioned() throws Exception {
        Subscription sean = subscribe(SEAN);
        Subscription tina = subscribe(TINA);
        String group = PAUL.post("/api/v1/conversations/groups", Map.of("title", "Night nurses in charge",
                "members", List.of(SEAN.user(), TINA.user(), KAI.user()))).then().statusCode(201).extract().path("id");
        TINA.request().put("/api/v1/conversations/" + group + "/mute").then().statusCode(200).body("muted", equalTo(true));
        TINA.get("/api/v1/conversations/" + group).statusCode(200).body("muted", equalTo(true));

        Conversations.post(PAUL, group, "K+ 6.1 for " + Patients.NAME + " (" + Patients.NHS_NUMBER + "), bed 12");

        await().atMost(Duration.ofSeconds(30)).until(() -> pushes(sean, group).size() == 1);
        FakePushService.Push push = pushes(sean, group).get(0);
        JsonPath payload = JsonPath.from(push.payload());
        assertThat(payload.getString("text")).isEqualTo("New message in Night nurses in charge");
        assertThat(payload.getString("kind")).isEqualTo("message");
        assertThat(payload.getString("tag")).isEqualTo("conversation-" + group);
        assertThat(payload.getMap("")).containsOnlyKeys("deliveryId", "notificationId", "kind", "conversationId",
                "tag", "text");
        assertThat(push.payload()).doesNotContain("6.1").doesNotContain(Patients.NAME).doesNotContain("Quillfeather")
                .doesNotContain(Patients.NHS_NUMBER).doesNotContain("bed 12");
        assertThat(push.urgency()).isEqualTo("normal");
        assertThat(push.topic()).isEqualTo(group.replace("-", ""));

        // Tina muted it: mentioned now, she is pushed, and only that (the first message planned nothing for her).
        Conversations.post(PAUL, group, "@tina.wood can you take the 7A bleep?");
        await().atMost(Duration.ofSeconds(30)).until(() -> pushes(tina, group).size() == 1);
        assertThat(JsonPath.from(pushes(tina, group).get(0).payload()).getString("text"))
                .isEqualTo("You were mentioned in Night nurses in charge");
        assertThat(outboxRows("tina.wood", group)).containsExactly("push MENTION");
        // Never a text or a call for chat, and the author is never told of their own message.
        assertThat(outboxRows("sean.byrne", group)).allMatch(r -> r.startsWith("push "));
        assertThat(outboxRows("paul.smith", group)).isEmpty();

        TINA.request().delete("/api/v1/conversations/" + group + "/mute").then().statusCode(200)
                .body("muted", equalTo(false));
        TINA.get("/api/v1/conversations").statusCode(200)
                .body("find { it.id == '" + group + "' }.muted", equalTo(false));
    }

    @Test
    void aBleepsPushCarriesItsCallbackAndNotItsMessage() {
        Subscription kai = subscribe(KAI);
        // As a client does when intake answers 503 (the broker slow to take it on a loaded box): retry, same key.
        String key = java.util.UUID.randomUUID().toString();
        String id = await().atMost(Duration.ofSeconds(60)).until(() -> {
            io.restassured.response.Response r = PAUL.request().header("Idempotency-Key", key)
                    .body(Map.of("to", Map.of("person", KAI.user()), "callback", "4417",
                            "message", "Query about " + Patients.NAME, "priority", "routine")).post("/api/v1/bleeps");
            assertThat(r.statusCode()).isIn(202, 503);
            return r.statusCode() == 202 ? r.<String>path("id") : null;
        }, java.util.Objects::nonNull);
        await().atMost(Duration.ofSeconds(30)).until(() -> PUSH.pushesTo(kai).stream()
                .anyMatch(p -> p.payload().contains(id.substring(0, 6).toUpperCase())));
        String text = PUSH.pushesTo(kai).stream().map(p -> JsonPath.from(p.payload()).getString("text"))
                .filter(t -> t != null && t.contains(id.substring(0, 6).toUpperCase())).findFirst().orElseThrow();
        assertThat(text).isEqualTo("ROUTINE bleep, call 4417, ref " + id.substring(0, 6).toUpperCase()
                + " \u2014 open Pagerless");
        assertThat(PUSH.pushesTo(kai)).allSatisfy(p -> assertThat(p.payload()).doesNotContain("Quillfeather"));
        KAI.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
    }

    private static List<FakePushService.Push> pushes(Subscription s, String conversationId) {
        return PUSH.pushesTo(s).stream().filter(p -> p.payload().contains(conversationId)).toList();
    }

    /** The person's outbox rows for the conversation, as "channel KIND". */
    private static List<String> outboxRows(String staffId, String conversationId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(
                "select channel, kind from delivery where staff_id = ? and conversation_id = ?::uuid order by created_at")) {
            ps.setString(1, staffId);
            ps.setString(2, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return rows;
    }

    private Subscription subscribe(Api who) {
        Subscription s = PUSH.subscribe();
        String id = who.post("/api/v1/me/push-subscriptions", s.json()).then().statusCode(201).extract().path("id");
        registered.add(new String[] {who.user(), id});
        return s;
    }
}
