package org.pagerless.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reading and posting in conversations through the API, as the apps do. */
public final class Conversations {
    private Conversations() {
    }

    /** Posts {@code body} as {@code who} and returns the new message's id (202 expected). */
    public static String post(Api who, String conversationId, String body) {
        return who.post("/api/v1/conversations/" + conversationId + "/messages", Map.of("body", body))
                .then().statusCode(202).extract().path("id");
    }

    /** The bodies of the messages {@code who} sees, oldest first. */
    public static List<String> bodies(Api who, String conversationId) {
        return who.get("/api/v1/conversations/" + conversationId + "/messages").statusCode(200)
                .extract().jsonPath().getList("body", String.class);
    }

    /** Waits until {@code who} sees a message with exactly this body, and returns what they see. */
    public static List<String> awaitBody(Api who, String conversationId, String body) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> bodies(who, conversationId), b -> b.contains(body));
    }
}
