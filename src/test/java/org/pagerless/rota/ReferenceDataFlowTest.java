package org.pagerless.rota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
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

/** Admins manage staff, roles, teams and shifts; bad input names the field; nothing referenced is deleted. */
@QuarkusTest
class ReferenceDataFlowTest extends FlowTest {
    static final Api ADMIN = Api.as("admin");
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api CLINICIAN = Api.as("kate.morgan");

    @Inject
    java.time.InstantSource clock;

    /** Paths to delete after each test, last created first (shifts before the staff and roles they name). */
    private final List<String> created = new ArrayList<>();

    @AfterEach
    void removeWhatWasAdded() {
        for (int i = created.size() - 1; i >= 0; i--) {
            ADMIN.request().delete(created.get(i));
        }
    }

    private void create(String collection, Map<String, Object> body, String id) {
        ADMIN.post("/api/v1/rota/" + collection, body).then().statusCode(201);
        created.add("/api/v1/rota/" + collection + "/" + id);
    }

    private String shift(String roleId, String staffId, Instant from, Instant to) {
        long id = ADMIN.post("/api/v1/rota/shifts", Map.of("roleId", roleId, "staffId", staffId,
                "from", from.toString(), "to", to.toString())).then().statusCode(201).extract().jsonPath().getLong("id");
        String path = "/api/v1/rota/shifts/" + id;
        created.add(path);
        return path;
    }

    @Test
    void aNewLocumOnANewRoleHoldsItOnceGivenAShift() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        create("staff", Map.of("id", "leo.locum", "name", "Dr Leo Locum", "grade", "Registrar",
                "appRole", "clinician", "phone", "+447700900999"), "leo.locum");
        create("roles", Map.of("id", "gastro-reg", "name", "Gastroenterology Registrar", "specialty", "gastro",
                "bleep", "2340", "wards", List.of("7B", "AMU"), "rank", 3), "gastro-reg");

        SWITCHBOARD.get("/api/v1/rota/staff/leo.locum").statusCode(200).body("name", equalTo("Dr Leo Locum"))
                .body("phone", equalTo("+447700900999"));
        SWITCHBOARD.get("/api/v1/rota/roles/gastro-reg").statusCode(200).body("siteId", equalTo("seg"))
                .body("wards", equalTo(List.of("7B", "AMU"))).body("rank", equalTo(3));
        assertThat(SWITCHBOARD.holdersOf("Gastroenterology Registrar")).isEmpty();

        String shift = shift("gastro-reg", "leo.locum", now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(8)));

        assertThat(SWITCHBOARD.holdersOf("Gastroenterology Registrar")).containsExactly("leo.locum");
        SWITCHBOARD.get("/api/v1/rota/shifts?roleId=gastro-reg").statusCode(200).body("staffId",
                equalTo(List.of("leo.locum")));
        SWITCHBOARD.get("/api/v1/wards/7B/on-call").statusCode(200)
                .body("roles.find { it.roleId == 'gastro-reg' }.holders[0].id", equalTo("leo.locum"))
                .body("roles.find { it.roleId == 'gastro-reg' }.bleep", equalTo("2340"));

        // A locum becomes a consultant's cover: the same shift, moved to another day.
        ADMIN.request().body(Map.of("roleId", "gastro-reg", "staffId", "leo.locum",
                "from", now.plus(Duration.ofDays(1)).toString(), "to", now.plus(Duration.ofDays(1).plusHours(8))
                        .toString())).put(shift).then().statusCode(200);
        assertThat(SWITCHBOARD.holdersOf("Gastroenterology Registrar")).isEmpty();

        ADMIN.request().body(Map.of("name", "Dr Leo Locum", "grade", "Consultant", "appRole", "clinician"))
                .put("/api/v1/rota/staff/leo.locum").then().statusCode(200);
        SWITCHBOARD.get("/api/v1/rota/staff/leo.locum").statusCode(200).body("grade", equalTo("Consultant"))
                .body("phone", nullValue());
    }

    @Test
    void somethingStillReferencedIsNotDeleted() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        create("staff", Map.of("id", "leo.locum", "name", "Dr Leo Locum", "appRole", "clinician"), "leo.locum");
        create("roles", Map.of("id", "gastro-reg", "name", "Gastroenterology Registrar", "bleep", "2340"),
                "gastro-reg");
        create("teams", Map.of("id", "gi-bleed", "name", "GI Bleed Team", "roles", List.of("gastro-reg",
                "Medical Registrar On-Call")), "gi-bleed");
        String shift = shift("gastro-reg", "leo.locum", now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(2)
                .plusHours(8)));

        ADMIN.request().delete("/api/v1/rota/staff/leo.locum").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("1 shift(s)"));
        ADMIN.request().delete("/api/v1/rota/roles/gastro-reg").then().statusCode(409)
                .body("detail", containsString("1 shift(s), 1 team(s)"));
        SWITCHBOARD.get("/api/v1/rota/roles/gastro-reg").statusCode(200);
        ADMIN.request().delete("/api/v1/rota/roles/med-reg-oncall").then().statusCode(409);

        ADMIN.request().delete(shift).then().statusCode(204);
        ADMIN.request().delete("/api/v1/rota/teams/gi-bleed").then().statusCode(204);
        ADMIN.request().delete("/api/v1/rota/roles/gastro-reg").then().statusCode(204);
        ADMIN.request().delete("/api/v1/rota/staff/leo.locum").then().statusCode(204);
        SWITCHBOARD.get("/api/v1/rota/staff/leo.locum").statusCode(404);
        assertThat(SWITCHBOARD.holdersOf("Gastroenterology Registrar")).isEmpty();
    }

    @Test
    void aRoleOrPersonNamedInAnEscalationChainIsNotDeleted() {
        create("staff", Map.of("id", "leo.locum", "name", "Dr Leo Locum", "appRole", "clinician"), "leo.locum");
        create("roles", Map.of("id", "gastro-reg", "name", "Gastroenterology Registrar"), "gastro-reg");
        ADMIN.request().body(Map.of("name", "Gastro", "steps", List.of(
                Map.of("name", "Gastro registrar", "targets", List.of(Map.of("kind", "addressee"))),
                Map.of("name", "Locum", "targets", List.of(Map.of("kind", "person", "id", "leo.locum"))),
                Map.of("name", "Switchboard", "targets", List.of(Map.of("kind", "switchboard"))))))
                .put("/api/v1/escalation-policies/gastro-reg").then().statusCode(200);
        created.add("/api/v1/escalation-policies/gastro-reg");

        ADMIN.request().delete("/api/v1/rota/staff/leo.locum").then().statusCode(409)
                .body("detail", containsString("1 escalation policy(ies)"));
        ADMIN.request().delete("/api/v1/rota/roles/gastro-reg").then().statusCode(409)
                .body("detail", containsString("1 escalation policy(ies)"));

        ADMIN.request().delete("/api/v1/escalation-policies/gastro-reg").then().statusCode(204);
        ADMIN.request().delete("/api/v1/rota/staff/leo.locum").then().statusCode(204);
        ADMIN.request().delete("/api/v1/rota/roles/gastro-reg").then().statusCode(204);
    }

    @Test
    void teamsAreTheRolesABroadcastAlerts() {
        create("teams", Map.of("id", "stroke", "name", "Stroke Team", "roles", List.of("med-reg-oncall", "ed-reg")),
                "stroke");
        SWITCHBOARD.get("/api/v1/teams").statusCode(200)
                .body("find { it.id == 'stroke' }.roleIds", equalTo(List.of("med-reg-oncall", "ed-reg")));

        ADMIN.request().body(Map.of("name", "Stroke Team", "roles", List.of("ed-reg"))).put("/api/v1/rota/teams/stroke")
                .then().statusCode(200);
        SWITCHBOARD.get("/api/v1/rota/teams").statusCode(200)
                .body("find { it.id == 'stroke' }.roles", equalTo(List.of("ed-reg")));
    }

    @Test
    void badReferenceDataIsRefusedNamingEachField() {
        ADMIN.post("/api/v1/rota/roles", Map.of("id", "Gastro Reg!", "name", "Medical Registrar On-Call",
                "siteId", "nowhere", "bleep", "2320", "wards", List.of("7B", "Ward 99"), "rank", 0)).then()
                .statusCode(400).contentType("application/problem+json")
                .body("violations.field", equalTo(List.of("id", "name", "siteId", "bleep", "wards[1]", "rank")))
                .body("violations.find { it.field == 'bleep' }.reason",
                        equalTo("is already the bleep of Medical Registrar On-Call"))
                .body("violations.find { it.field == 'wards[1]' }.reason", equalTo("no ward 'Ward 99'"));
        ADMIN.post("/api/v1/rota/staff", Map.of("id", "x.y", "appRole", "surgeon", "phone", "07700 900123"))
                .then().statusCode(400).body("violations.field", equalTo(List.of("name", "appRole", "phone")));
        ADMIN.post("/api/v1/rota/staff", Map.of("id", "x.y", "name", "X Y", "appRole", "clinician",
                "phone", "+447700900100")).then().statusCode(400).body("violations[0].reason",
                containsString("already the number of tom.reid"));
        ADMIN.post("/api/v1/rota/shifts", Map.of("roleId", "med-reg-oncall", "staffId", "nobody.here",
                "from", "2026-01-02T08:00:00Z", "to", "2026-01-02T07:00:00Z")).then().statusCode(400)
                .body("violations.field", equalTo(List.of("staffId", "to")))
                .body("violations[1].reason", equalTo("must be after from: a shift cannot end before it starts"));
        ADMIN.post("/api/v1/rota/teams", Map.of("id", "empty", "name", "Crash Team", "roles", List.of("Wizard")))
                .then().statusCode(400).body("violations.field", equalTo(List.of("name", "roles[0]")));
        ADMIN.post("/api/v1/rota/staff", Map.of("id", "tom.reid", "name", "Tom Again", "appRole", "clinician"))
                .then().statusCode(409);
        SWITCHBOARD.get("/api/v1/rota/staff/x.y").statusCode(404);
    }

    @Test
    void onlyAdminsChangeReferenceData() {
        SWITCHBOARD.post("/api/v1/rota/staff", Map.of("id", "x.y", "name", "X Y", "appRole", "admin"))
                .then().statusCode(403).contentType("application/problem+json");
        CLINICIAN.post("/api/v1/rota/shifts", Map.of("roleId", "med-reg-oncall", "staffId", "kate.morgan",
                "from", "2026-01-02T08:00:00Z", "to", "2026-01-02T20:00:00Z")).then().statusCode(403);
        CLINICIAN.request().delete("/api/v1/rota/roles/derm-reg").then().statusCode(403);
        CLINICIAN.request().body(Map.of("name", "Crash", "roles", List.of("ed-reg"))).put("/api/v1/rota/teams/crash")
                .then().statusCode(403);
        SWITCHBOARD.get("/api/v1/rota/teams").statusCode(200).body("find { it.id == 'crash' }.roles",
                hasItem("med-reg-oncall"));
    }

    @Test
    void theWardViewShowsWhoIsOnCallWithBleepAndRoute() {
        SWITCHBOARD.get("/api/v1/wards").statusCode(200).body("id", hasItem("7B"));
        var onCall = SWITCHBOARD.get("/api/v1/wards/7B/on-call").statusCode(200)
                .body("wardId", equalTo("7B"))
                .body("roles.roleId", equalTo(List.of("med-fy1-7b", "med-sho-oncall")))
                .body("roles.find { it.roleId == 'med-sho-oncall' }.bleep", equalTo("2310"))
                .extract().jsonPath();
        List<String> holders = onCall.getList("roles.find { it.roleId == 'med-sho-oncall' }.holders.id");
        assertThat(holders).containsExactlyInAnyOrderElementsOf(SWITCHBOARD.holdersOf("Medical SHO On-Call"));
        assertThat(onCall.getList("roles.find { it.roleId == 'med-sho-oncall' }.holders.routes[0]"))
                .isEqualTo(List.of("in-app", "sms"));
        assertThat(onCall.getString("roles.find { it.roleId == 'med-sho-oncall' }.holders[0].phone")).startsWith("+44");
        // A clinician sees the routes but not colleagues' numbers.
        CLINICIAN.get("/api/v1/wards/7B/on-call").statusCode(200)
                .body("roles.find { it.roleId == 'med-sho-oncall' }.holders[0].phone", nullValue());
        SWITCHBOARD.get("/api/v1/wards/Ward 42/on-call").statusCode(404);
        SWITCHBOARD.get("/api/v1/rota/staff").statusCode(200).body("id", not(hasItem("leo.locum")));
    }
}
