package org.pagerless.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.Conversations;
import org.pagerless.support.FlowTest;
import org.pagerless.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Rooms and role conversations follow the rota. The night and day doctor are put on the Dermatology Registrar role
 * (empty on the demo rota) by overrides, the night ending two minutes from now, and the shared clock is moved just
 * past it (as HandoverFlowTest does): no jump of hours that would fire every other test's timers.
 */
@QuarkusTest
class TeamRoomFlowTest extends FlowTest {
    static final Api ADMIN = Api.as("admin");
    static final Api NIGHT = Api.as("tom.reid");
    static final Api DAY = Api.as("ella.hughes");
    static final Api WARD_NURSE = Api.as("grace.okafor");
    static final String ROLE = "Dermatology Registrar";

    @Inject
    TestClock clock;

    private final List<String> overrides = new ArrayList<>();

    @AfterEach
    void backToTheRotaAsItWas() {
        overrides.forEach(path -> ADMIN.request().delete(path));
        overrides.clear();
        clock.reset();
    }

    @Test
    void atShiftChangeTheNightTeamIsInTheDayTeamIsOutAndSeesOnlyWhatItWasPartOf() {
        Instant shiftEnds = nightThenDay();
        String room = ADMIN.post("/api/v1/conversations/rooms", Map.of("title", "Dermatology on call", "roles", List.of(ROLE)))
                .then().statusCode(201).body("kind", equalTo("room")).body("members.id", equalTo(List.of(NIGHT.user())))
                .extract().path("id");
        Conversations.post(NIGHT, room, "Rash review in bed 4 still to do");
        DAY.get("/api/v1/conversations/" + room + "/messages").statusCode(403);

        clock.advance(Duration.between(clock.instant(), shiftEnds).plusSeconds(10));

        DAY.get("/api/v1/conversations/" + room).statusCode(200).body("members.id", equalTo(List.of(DAY.user())))
                .body("member", equalTo(true));
        // History stays with the room: the incoming doctor reads what was said before they came on.
        assertThat(Conversations.bodies(DAY, room)).contains("Rash review in bed 4 still to do");
        Conversations.post(DAY, room, "Seen bed 4, emollients started");
        Conversations.awaitBody(DAY, room, "Seen bed 4, emollients started");

        // The outgoing doctor keeps what they were part of, sees nothing after, and can no longer post.
        assertThat(Conversations.bodies(NIGHT, room)).containsExactly("Rash review in bed 4 still to do");
        NIGHT.post("/api/v1/conversations/" + room + "/messages", Map.of("body", "one more thing")).then().statusCode(403);
        NIGHT.get("/api/v1/conversations").statusCode(200).body("find { it.id == '" + room + "' }.member", equalTo(false));
    }

    @Test
    void aMessageToARoleReachesWhoeverHoldsItAndTheNextHolderSeesTheConversation() {
        Instant shiftEnds = nightThenDay();
        String id = WARD_NURSE.post("/api/v1/conversations/with", Map.of("role", ROLE)).then().statusCode(201)
                .body("kind", equalTo("role")).extract().path("id");
        WARD_NURSE.post("/api/v1/conversations/with", Map.of("role", "derm-reg")).then().statusCode(200)
                .body("id", equalTo(id));
        Conversations.post(WARD_NURSE, id, "Could someone look at the rash in bed 9 today?");
        Conversations.awaitBody(NIGHT, id, "Could someone look at the rash in bed 9 today?");

        clock.advance(Duration.between(clock.instant(), shiftEnds).plusSeconds(10));

        DAY.get("/api/v1/conversations").statusCode(200).body("id", hasItem(id));
        assertThat(Conversations.bodies(DAY, id)).contains("Could someone look at the rash in bed 9 today?");
        Conversations.post(DAY, id, "I will see bed 9 at 10:00");
        Conversations.awaitBody(WARD_NURSE, id, "I will see bed 9 at 10:00");
        assertThat(Conversations.bodies(NIGHT, id)).doesNotContain("I will see bed 9 at 10:00");
    }

    @Test
    void onlyAdminsDefineRoomsAndABadDefinitionNamesTheField() {
        WARD_NURSE.post("/api/v1/conversations/rooms", Map.of("title", "7B", "wards", List.of("7B"))).then().statusCode(403);
        ADMIN.post("/api/v1/conversations/rooms", Map.of("title", "Nowhere", "wards", List.of("7B", "Ward 99"))).then()
                .statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("wards[1]")).body("violations[0].reason", equalTo("unknown ward 'Ward 99'"));
        ADMIN.post("/api/v1/conversations/rooms", Map.of("title", " ")).then().statusCode(400)
                .body("violations.field", equalTo(List.of("title", "roles")));
        WARD_NURSE.post("/api/v1/conversations/with", Map.of("person", "grace.okafor")).then().statusCode(400)
                .body("violations[0].field", equalTo("person"));
    }

    @Test
    void anyoneMakesAGroupAndDirectMessagesGoBetweenTwoPeople() {
        String group = WARD_NURSE.post("/api/v1/conversations/groups",
                Map.of("title", "Bed 12 family meeting", "members", List.of("kate.morgan", "amira.khan"))).then()
                .statusCode(201).extract().path("id");
        Conversations.post(Api.as("amira.khan"), group, "Family arriving 15:00");
        Conversations.awaitBody(Api.as("kate.morgan"), group, "Family arriving 15:00");
        Api.as("raj.patel").get("/api/v1/conversations/" + group + "/messages").statusCode(403);

        String direct = Api.as("kate.morgan").post("/api/v1/conversations/with", Map.of("person", "raj.patel")).then()
                .statusCode(201).extract().path("id");
        Api.as("raj.patel").post("/api/v1/conversations/with", Map.of("person", "kate.morgan")).then()
                .statusCode(200).body("id", equalTo(direct));
        Conversations.post(Api.as("raj.patel"), direct, "Can you cover my 17:00 clinic?");
        Conversations.awaitBody(Api.as("kate.morgan"), direct, "Can you cover my 17:00 clinic?");
        WARD_NURSE.get("/api/v1/conversations/" + direct).statusCode(403);
    }

    /** The night doctor holds the role from an hour ago until two minutes from now, then the day doctor. */
    private Instant nightThenDay() {
        Instant now = clock.instant();
        Instant shiftEnds = now.plus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS);
        override(NIGHT.user(), now.minus(Duration.ofHours(1)), shiftEnds);
        override(DAY.user(), shiftEnds, shiftEnds.plus(Duration.ofHours(12)));
        assertThat(ADMIN.holdersOf(ROLE)).containsExactly(NIGHT.user());
        return shiftEnds;
    }

    private void override(String staffId, Instant from, Instant to) {
        long id = ADMIN.post("/api/v1/rota/overrides", Map.of("roleId", "derm-reg", "kind", "add", "staffId", staffId,
                "from", from.toString(), "to", to.toString(), "reason", "conversation test"))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        overrides.add("/api/v1/rota/overrides/" + id);
    }
}
