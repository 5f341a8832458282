package org.pagerless.rota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Admins record leave, overrides and rotations over the real database; resolutions follow at once. */
@QuarkusTest
class RotaFlowTest extends FlowTest {
    static final String MED_REG = "Medical Registrar On-Call";
    static final Api ADMIN = Api.as("admin");
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Inject
    java.time.InstantSource clock;

    private final List<String> created = new ArrayList<>();

    @AfterEach
    void removeWhatWasAdded() {
        created.forEach(path -> ADMIN.request().delete(path));
    }

    private String create(String collection, Map<String, Object> body) {
        long id = ADMIN.post("/api/v1/rota/" + collection, body).then().statusCode(201).extract().jsonPath()
                .getLong("id");
        String path = "/api/v1/rota/" + collection + "/" + id;
        created.add(path);
        return path;
    }

    @Test
    void leaveRemovesHolder() {
        Instant now = clock.instant();
        List<String> before = SWITCHBOARD.holdersOf(MED_REG);
        assertThat(before).isNotEmpty();
        String away = before.get(0);

        String leave = create("leave", Map.of("staffId", away, "from", now.minus(Duration.ofMinutes(5)).toString(),
                "to", now.plus(Duration.ofHours(2)).toString(), "reason", "sick"));

        assertThat(SWITCHBOARD.holdersOf(MED_REG)).doesNotContain(away);
        SWITCHBOARD.get("/api/v1/roles/med-reg-oncall/holders?at=" + now.plus(Duration.ofHours(1)))
                .statusCode(200).body("id", not(hasItem(away)));
        SWITCHBOARD.get("/api/v1/rota/leave").statusCode(200).body("staffId", hasItem(away));

        ADMIN.request().delete(leave).then().statusCode(204);
        created.remove(leave);
        ADMIN.request().delete(leave).then().statusCode(404);
        assertThat(SWITCHBOARD.holdersOf(MED_REG)).contains(away);
    }

    @Test
    void overrideReplacesHolderForThePeriod() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String holder = SWITCHBOARD.holdersOf(MED_REG).get(0);
        Instant until = now.plus(Duration.ofMinutes(30));

        create("overrides", Map.of("roleId", "med-reg-oncall", "kind", "replace", "replacedStaffId", holder,
                "staffId", "david.osei", "from", now.minus(Duration.ofMinutes(1)).toString(), "to", until.toString()));

        assertThat(SWITCHBOARD.holdersOf(MED_REG)).contains("david.osei").doesNotContain(holder);
        SWITCHBOARD.get("/api/v1/roles/" + MED_REG + "/holders?at=" + until).statusCode(200)
                .body("id", not(hasItem("david.osei")));
        SWITCHBOARD.get("/api/v1/rota/overrides").statusCode(200).body("kind", hasItem("replace"));
    }

    @Test
    void rotationsAndOverridesReadBackAsWritten() {
        LocalDate start = LocalDate.ofInstant(clock.instant(), LONDON).plusDays(3);
        String rotation = create("rotations", Map.of("roleId", "derm-reg", "name", "Derm weekends",
                "staff", List.of("fiona.bell", "david.osei"), "days", List.of("saturday", "sunday"),
                "startTime", "08:00", "endTime", "20:30", "startDate", start.toString(),
                "endDate", start.plusDays(28).toString()));
        Instant from = clock.instant().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        String override = create("overrides", Map.of("roleId", "derm-reg", "kind", "remove",
                "replacedStaffId", "fiona.bell", "from", from.toString(),
                "to", from.plus(Duration.ofHours(3)).toString(), "reason", "course"));

        Map<String, Object> read = SWITCHBOARD.get("/api/v1/rota/rotations").statusCode(200).extract().jsonPath()
                .getMap("find { it.id == " + rotation.substring(rotation.lastIndexOf('/') + 1) + " }");
        assertThat(read).containsEntry("roleId", "derm-reg").containsEntry("name", "Derm weekends")
                .containsEntry("staff", List.of("fiona.bell", "david.osei"))
                .containsEntry("days", List.of("saturday", "sunday")).containsEntry("startTime", "08:00")
                .containsEntry("endTime", "20:30").containsEntry("startDate", start.toString())
                .containsEntry("endDate", start.plusDays(28).toString());
        Map<String, Object> removed = SWITCHBOARD.get("/api/v1/rota/overrides").statusCode(200).extract().jsonPath()
                .getMap("find { it.id == " + override.substring(override.lastIndexOf('/') + 1) + " }");
        assertThat(removed).containsEntry("kind", "remove").containsEntry("staffId", null)
                .containsEntry("replacedStaffId", "fiona.bell").containsEntry("from", from.toString())
                .containsEntry("reason", "course");
    }

    @Test
    void gapsAreReportedWhereLeaveLeavesARotationUncovered() {
        LocalDate tomorrow = LocalDate.ofInstant(clock.instant(), LONDON).plusDays(1);
        // Dermatology registrar has no rota in the demo: a 24-hour rotation of one person covers it from today.
        create("rotations", Map.of("roleId", "derm-reg", "name", "Derm 24h", "staff", List.of("fiona.bell"),
                "days", List.of("every-day"), "startTime", "09:00", "endTime", "09:00",
                "startDate", tomorrow.minusDays(1).toString()));
        Instant awayFrom = tomorrow.atTime(12, 0).atZone(LONDON).toInstant();
        Instant awayTo = tomorrow.atTime(14, 0).atZone(LONDON).toInstant();
        create("leave", Map.of("staffId", "fiona.bell", "from", awayFrom.toString(), "to", awayTo.toString()));
        Instant from = tomorrow.atTime(10, 0).atZone(LONDON).toInstant();

        List<Map<String, Object>> gaps = SWITCHBOARD.get("/api/v1/rota/gaps?from=" + from).statusCode(200)
                .extract().jsonPath().getList("findAll { it.roleId == 'derm-reg' }");
        assertThat(gaps).hasSize(1);
        assertThat(gaps.get(0)).containsEntry("from", awayFrom.toString()).containsEntry("to", awayTo.toString())
                .containsEntry("roleName", "Dermatology Registrar");
        SWITCHBOARD.get("/api/v1/roles/derm-reg/holders?at=" + from).statusCode(200)
                .body("id", equalTo(List.of("fiona.bell")));
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        ADMIN.post("/api/v1/rota/overrides", Map.of("roleId", "Wizard On-Call", "kind", "swap",
                "from", "yesterday", "to", "2026-01-01T00:00:00Z")).then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", equalTo(List.of("roleId", "kind", "staffId", "from")));
        ADMIN.post("/api/v1/rota/leave", Map.of("staffId", "nobody.here", "from", "2026-01-02T00:00:00Z",
                "to", "2026-01-01T00:00:00Z")).then().statusCode(400)
                .body("violations.field", equalTo(List.of("staffId", "to")));
        ADMIN.post("/api/v1/rota/rotations", Map.of("roleId", "derm-reg", "staff", List.of("fiona.bell"),
                "days", List.of("funday"), "startTime", "25:00", "endTime", "09:00", "startDate", "2026-01-01"))
                .then().statusCode(400).body("violations.field", equalTo(List.of("days[0]", "startTime")));
        SWITCHBOARD.get("/api/v1/roles/med-reg-oncall/holders?at=noon").statusCode(400)
                .body("violations[0].field", equalTo("at"));
    }

    @Test
    void onlyAdminsChangeTheRota() {
        Instant now = clock.instant();
        SWITCHBOARD.post("/api/v1/rota/leave", Map.of("staffId", "kate.morgan", "from", now.toString(),
                "to", now.plus(Duration.ofHours(1)).toString())).then().statusCode(403);
    }

    @Test
    void swapAcceptedChangesHolder() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String holder = SWITCHBOARD.holdersOf(MED_REG).get(0);
        Api requester = Api.as(holder);
        long id = requester.post("/api/v1/rota/swaps", Map.of("roleId", "med-reg-oncall", "counterpartId",
                "david.osei", "from", now.minus(Duration.ofMinutes(1)).toString(), "to",
                now.plus(Duration.ofMinutes(30)).toString())).then().statusCode(201)
                .body("status", equalTo("requested")).body("requesterId", equalTo(holder))
                .extract().jsonPath().getLong("id");
        created.add("/api/v1/rota/swaps/" + id);

        assertThat(SWITCHBOARD.holdersOf(MED_REG)).contains(holder).doesNotContain("david.osei");
        requester.post("/api/v1/rota/swaps/" + id + "/accept").then().statusCode(403);

        Api.as("david.osei").post("/api/v1/rota/swaps/" + id + "/accept").then().statusCode(200)
                .body("status", equalTo("accepted")).body("decidedAt", not(equalTo(null)));

        assertThat(SWITCHBOARD.holdersOf(MED_REG)).contains("david.osei").doesNotContain(holder);
        Api.as("david.osei").post("/api/v1/rota/swaps/" + id + "/decline").then().statusCode(409);
        SWITCHBOARD.get("/api/v1/rota/swaps").statusCode(200).body("status", hasItem("accepted"));
    }

    @Test
    void aDeclinedSwapIsRecordedAndChangesNothing() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String holder = SWITCHBOARD.holdersOf(MED_REG).get(0);
        long id = Api.as(holder).post("/api/v1/rota/swaps", Map.of("roleId", "med-reg-oncall", "counterpartId",
                "david.osei", "from", now.toString(), "to", now.plus(Duration.ofMinutes(30)).toString()))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        created.add("/api/v1/rota/swaps/" + id);

        Api.as("david.osei").post("/api/v1/rota/swaps/" + id + "/decline").then().statusCode(200)
                .body("status", equalTo("declined"));

        assertThat(SWITCHBOARD.holdersOf(MED_REG)).contains(holder).doesNotContain("david.osei");
    }
}
