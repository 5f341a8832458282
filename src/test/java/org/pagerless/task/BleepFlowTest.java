package org.pagerless.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import io.quarkus.test.junit.QuarkusTest;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.LiveClient;

/** A bleep goes in, reaches whoever holds the role now, and is accepted, started and completed. */
@QuarkusTest
class BleepFlowTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void bleepIsOfferedToTheRotaHolderLiveThenAcceptedStartedAndCompleted() throws Exception {
        List<String> holders = SWITCHBOARD.holdersOf("Medical Registrar On-Call");
        assertThat(holders).hasSize(1);
        Api registrar = Api.as(holders.get(0));

        try (LiveClient phone = LiveClient.connect(port, registrar.user())) {
            String id = SWITCHBOARD.bleepRole("Medical Registrar On-Call", "urgent");

            await().atMost(Duration.ofSeconds(20)).until(() -> phone.received("TaskOffered", id));
            registrar.get("/api/v1/me/tasks").statusCode(200).body("id", hasItem(id));
            Map<String, Object> offered = registrar.task(id);
            assertThat(offered.get("status")).isEqualTo("offered");
            assertThat(offered.get("callback")).isEqualTo("4417");

            registrar.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("accepted"))
                    .body("owner.id", org.hamcrest.Matchers.equalTo(registrar.user()));
            registrar.post("/api/v1/tasks/" + id + "/start").then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("in-progress"));
            registrar.post("/api/v1/tasks/" + id + "/complete", Map.of("note", "Called ward, plan made")).then()
                    .statusCode(200).body("status", org.hamcrest.Matchers.equalTo("completed"));

            registrar.get("/api/v1/me/tasks").statusCode(200).body("id", not(hasItem(id)));
            List<String> timeline = registrar.get("/api/v1/tasks/" + id).statusCode(200).extract().jsonPath()
                    .getList("timeline.event");
            assertThat(timeline).containsExactly("TaskRaised", "TaskOffered", "TaskAccepted", "TaskStarted",
                    "TaskCompleted");
            await().atMost(Duration.ofSeconds(5)).until(() -> phone.received("TaskCompleted", id));
        }
    }
}
