package org.pagerless.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.TaskPhones;
import org.pagerless.support.Tasks;
import org.pagerless.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Admins set each role's chain; a chain that could end with no one is refused, naming the step. */
@QuarkusTest
class EscalationPolicyFlowTest extends FlowTest {
    static final String ED_REGISTRAR = "ED Registrar";
    static final String PATH = "/api/v1/escalation-policies/";
    static final Api ADMIN = Api.as("admin");
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @Inject
    TestClock clock;

    static Map<String, Object> edChain(Object lastStepTargets) {
        return Map.of("name", "ED registrar", "steps", List.of(
                Map.of("name", "ED registrar", "targets", List.of(Map.of("kind", "addressee")),
                        "acceptWithinMinutes", Map.of("stat", 1), "repeat", 0),
                Map.of("name", "Medical registrar", "targets", List.of(Map.of("kind", "role", "id",
                        "Medical Registrar On-Call"))),
                Map.of("name", "Nurse in charge and switchboard", "targets", lastStepTargets, "repeat", 1)));
    }

    @AfterEach
    void backToTheDefault() {
        ADMIN.request().delete(PATH + "ed-reg");
    }

    @Test
    void anAdminSetsARolesChainAndNewTasksFollowItWhileRaisedOnesKeepTheirs() {
        ADMIN.get(PATH + "ed-reg").statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("default"));
        String before = SWITCHBOARD.bleepRole(ED_REGISTRAR, "stat");
        Tasks.awaitStatus(before, "offered");

        ADMIN.request().body(edChain(List.of(Map.of("kind", "ward-nurse-in-charge"), Map.of("kind", "switchboard"))))
                .put(PATH + "ed-reg").then().statusCode(200)
                .body("roleId", equalTo("ed-reg"))
                .body("steps[1].targets[0].id", equalTo("med-reg-oncall"))
                .body("steps[0].acceptWithinMinutes.stat", equalTo(1))
                .body("steps[0].acceptWithinMinutes.urgent", equalTo(10));
        ADMIN.get(PATH).statusCode(200).body("roleId", hasItem("ed-reg"));
        SWITCHBOARD.get(PATH + "ED Registrar").statusCode(200).body("steps.name",
                equalTo(List.of("ED registrar", "Medical registrar", "Nurse in charge and switchboard")));

        String after = SWITCHBOARD.bleepRole(ED_REGISTRAR, "stat");
        Tasks.awaitStatus(after, "offered");
        assertThat(escalation(after)).containsEntry("policy", "ED registrar").containsEntry("steps", 3);
        // Snapshotted when raised: the earlier bleep keeps the default chain it was raised with.
        assertThat(escalation(before)).containsEntry("policy", "Default (stat)").containsEntry("steps", 2);

        // Both stat: each ED registrar's phone was texted and rung once for each, whichever chain it follows.
        List<String> edRegistrars = SWITCHBOARD.holdersOf(ED_REGISTRAR);
        assertThat(edRegistrars).isNotEmpty();
        for (String id : List.of(before, after)) {
            TaskPhones phones = TaskPhones.of(id).settled(clock.instant());
            edRegistrars.forEach(registrar -> phones.got(registrar, 1, 1));
        }

        ADMIN.request().delete(PATH + "ed-reg").then().statusCode(204);
        ADMIN.get(PATH + "ed-reg").statusCode(404);
    }

    @Test
    void aChainThatCouldEndWithNoOneIsRefusedNamingTheStep() {
        ADMIN.request().body(edChain(List.of(Map.of("kind", "person", "id", "kate.morgan"))))
                .put(PATH + "ed-reg").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("steps[2].targets"))
                .body("violations[0].reason", containsString("step 3 'Nurse in charge and switchboard'"))
                .body("violations[0].reason", containsString("no one responsible"));
        ADMIN.get(PATH + "ed-reg").statusCode(404);
    }

    @Test
    void unknownRolesPeopleAndKindsAreRefusedNamingTheStep() {
        ADMIN.request().body(Map.of("name", "Broken", "steps", List.of(
                        Map.of("name", "First", "targets", List.of(Map.of("kind", "role", "id", "Wizard On-Call"),
                                Map.of("kind", "pager"))),
                        Map.of("name", "Last", "targets", List.of(Map.of("kind", "person", "id", "nobody.here"),
                                Map.of("kind", "coordinator")), "repeat", 12))))
                .put(PATH + "ed-reg").then().statusCode(400)
                .body("violations.field", equalTo(List.of("steps[0].targets[0].id", "steps[0].targets[1].kind",
                        "steps[1].targets[0].id", "steps[1].repeat")))
                .body("violations[0].reason", equalTo("step 1 'First': no role 'Wizard On-Call'"))
                .body("violations[2].reason", equalTo("step 2 'Last': no member of staff 'nobody.here'"));
    }

    @Test
    void onlyAnAdminChangesChainsAndEveryDefaultIsPublished() {
        SWITCHBOARD.request().body(edChain(List.of(Map.of("kind", "switchboard")))).put(PATH + "ed-reg").then()
                .statusCode(403);
        SWITCHBOARD.get(PATH + "defaults/urgent").statusCode(200)
                .body("steps[0].acceptWithinMinutes.urgent", equalTo(10))
                .body("steps[1].targets.kind", equalTo(List.of("ward-nurse-in-charge", "coordinator", "switchboard")));
        SWITCHBOARD.get(PATH + "Medical SHO On-Call").statusCode(200)
                .body("steps[1].targets.kind", equalTo(List.of("role", "ward-nurse-in-charge")));
        ADMIN.get(PATH + "Nonexistent Role").statusCode(404);
    }

    @Test
    void theRolesChainsEndWithAreSetTogetherAndSwitchboardIsRequired() {
        Map<String, Object> current = SWITCHBOARD.get("/api/v1/escalation-duties").statusCode(200)
                .body("nurseInCharge.'7B'", equalTo("nic-7b")).body("coordinator", equalTo("han-coord"))
                .body("switchboard", equalTo("switchboard")).extract().jsonPath().getMap("");

        ADMIN.request().body(Map.of("nurseInCharge", Map.of("Ward 99", "Nurse in Charge 7B"),
                        "coordinator", "Night Wizard"))
                .put("/api/v1/escalation-duties").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", equalTo(List.of("nurseInCharge.Ward 99", "coordinator", "switchboard")))
                .body("violations[2].reason", containsString("last resort"));
        SWITCHBOARD.request().body(current).put("/api/v1/escalation-duties").then().statusCode(403);
        // Names are accepted and stored as role ids.
        ADMIN.request().body(Map.of("nurseInCharge", current.get("nurseInCharge"), "coordinator",
                        "Hospital at Night Coordinator", "switchboard", "Switchboard"))
                .put("/api/v1/escalation-duties").then().statusCode(200)
                .body("coordinator", equalTo("han-coord")).body("switchboard", equalTo("switchboard"))
                .body("nurseInCharge.'7B'", equalTo("nic-7b"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> escalation(String id) {
        return (Map<String, Object>) SWITCHBOARD.task(id).get("escalation");
    }
}
