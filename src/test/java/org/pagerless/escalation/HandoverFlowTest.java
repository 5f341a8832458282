package org.pagerless.escalation;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/** At shift change, open tasks whose owner has gone off duty are reported: nobody on duty is doing them. */
@QuarkusTest
class HandoverFlowTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api NURSE_IN_CHARGE = Api.as("grace.okafor");
    static final List<String> SHO_POOL = List.of("amira.khan", "dan.wright", "sofia.rossi", "liam.murphy",
            "zara.ahmed", "noah.green");

    @Test
    void aTaskOwnedBySomeoneOffDutyIsAnOrphanAndOneOwnedBySomeoneOnDutyIsNot() {
        List<String> onDuty = SWITCHBOARD.holdersOf("Medical SHO On-Call");
        String offDuty = SHO_POOL.stream().filter(s -> !onDuty.contains(s)).findFirst().orElseThrow();

        String orphan = bleepAndAccept(offDuty);
        String covered = bleepAndAccept(onDuty.get(0));

        NURSE_IN_CHARGE.get("/api/v1/handover/orphans").statusCode(200)
                .body("id", hasItem(orphan)).body("id", not(hasItem(covered)));
        Api.as(offDuty).get("/api/v1/handover/orphans").statusCode(403);

        Api.as(offDuty).post("/api/v1/tasks/" + orphan + "/complete", Map.of("note", "Done before leaving"))
                .then().statusCode(200);
        NURSE_IN_CHARGE.get("/api/v1/handover/orphans").statusCode(200).body("id", not(hasItem(orphan)));
    }

    private static String bleepAndAccept(String person) {
        String id = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("person", person), "callback", "4417",
                "priority", "routine")).then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        Api.as(person).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        return id;
    }
}
