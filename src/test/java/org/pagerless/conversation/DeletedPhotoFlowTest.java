package org.pagerless.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.Conversations;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Photos;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A photo whose message was deleted is withdrawn with it: members (and its author) get 410 problem+json, while the
 * record keeps the photo (and the message's history) until retention (ADR 0039). A portrait photo uploaded raw is
 * served upright.
 */
@QuarkusTest
class DeletedPhotoFlowTest extends FlowTest {
    static final Api KATE = Api.as("kate.morgan");
    static final Api RAJ = Api.as("raj.patel");

    @Test
    void aDeletedMessagesPhotoIsGoneForMembersButKeptInTheRecord() {
        String group = KATE.post("/api/v1/conversations/groups", Map.of("title", "Dermatology photos",
                "members", List.of(RAJ.user()))).then().statusCode(201).extract().path("id");
        byte[] portrait = PhotoOrientationTest.withOrientation(Photos.jpegWithLocation(300, 200), 6, false);
        String photo = KATE.request().contentType("image/jpeg").body(portrait)
                .post("/api/v1/conversations/" + group + "/photos").then().statusCode(201).extract().path("id");
        String id = KATE.post("/api/v1/conversations/" + group + "/messages", Map.of("body", "Rash, left forearm",
                "photo", photo)).then().statusCode(202).extract().path("id");
        Conversations.awaitBody(RAJ, group, "Rash, left forearm");
        String address = "/api/v1/conversations/" + group + "/photos/" + photo;
        byte[] served = RAJ.request().accept("image/*").get(address).then().statusCode(200).extract().asByteArray();
        assertThat(Photos.read(served).getWidth()).as("served upright: portrait").isEqualTo(200);
        assertThat(Photos.read(served).getHeight()).isEqualTo(300);

        String message = "/api/v1/conversations/" + group + "/messages/" + id;
        KATE.request().delete(message).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> RAJ.get(message).extract().path("deleted") != null);

        for (Api who : List.of(RAJ, KATE)) {
            who.request().get(address).then().statusCode(410)
                    .contentType("application/problem+json").body("detail", containsString("deleted"));
        }
        // Deletion withdraws, it does not erase: the message's history is still there.
        assertThat(RAJ.get(message + "/versions").statusCode(200).extract().<List<String>>path("change"))
                .containsExactly("posted", "deleted");
    }
}
