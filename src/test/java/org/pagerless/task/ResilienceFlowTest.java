package org.pagerless.task;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.platform.Topics;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.task.model.TaskCommand.AcceptTask;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Nothing accepted is lost: not when the processor restarts, not when the database is down; nothing is applied twice. */
@QuarkusTest
class ResilienceFlowTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @Inject
    TaskProcessor processor;
    @Inject
    TaskCodec codec;

    @Test
    void aCommandPublishedWhileTheProcessorIsStoppedIsAppliedWhenItStarts() {
        processor.stop();
        String id;
        try {
            given().get("/q/health/ready").then().statusCode(503);
            id = SWITCHBOARD.bleepRole(SHO, "stat");
            SWITCHBOARD.get("/api/v1/tasks/" + id).statusCode(404);
        } finally {
            processor.start();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> SWITCHBOARD.get("/api/v1/tasks/" + id)
                .statusCode(200).body("status", equalTo("offered")));
    }

    @Test
    void bleepsAreAcceptedWhileTheDatabaseIsDownAndRoutedWhenItReturns() throws Exception {
        String id;
        try (Connection admin = PagerlessInfra.adminConnection(); Statement st = admin.createStatement()) {
            st.execute("alter database " + PagerlessInfra.DATABASE + " allow_connections false");
            try {
                st.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                        + PagerlessInfra.DATABASE + "'");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                        .statusCode(503));
                id = SWITCHBOARD.bleepRole(SHO, "urgent");
            } finally {
                st.execute("alter database " + PagerlessInfra.DATABASE + " allow_connections true");
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> SWITCHBOARD.get("/api/v1/tasks/" + id)
                .statusCode(200).body("status", equalTo("offered")));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void theSameCommandDeliveredTwiceIsAppliedOnce() throws Exception {
        List<String> holders = SWITCHBOARD.holdersOf(SHO);
        String id = SWITCHBOARD.bleepRole(SHO, "urgent");
        Tasks.awaitStatus(id, "offered");

        UUID commandId = UUID.randomUUID();
        String accept = codec.command(new AcceptTask(commandId, UUID.fromString(id), holders.get(0)));
        Broker.publishCommand(id, accept);
        Broker.publishCommand(id, accept);
        Tasks.awaitStatus(id, "accepted");
        // A later command on the same key proves both copies have been consumed.
        Api.as(holders.get(0)).post("/api/v1/tasks/" + id + "/start").then().statusCode(200);

        assertThat(count("select count(*) from task_event where command_id = ?", commandId)).isEqualTo(1);
        assertThat(count("select count(*) from processed_command where command_id = ?", commandId)).isEqualTo(1);
        Map<String, Object> task = SWITCHBOARD.task(id);
        assertThat(Tasks.events(task)).containsExactly("TaskRaised", "TaskOffered", "TaskAccepted",
                "TaskStarted");
    }

    @Test
    void retryingARequestWithTheSameIdempotencyKeyRaisesOneTask() throws Exception {
        Map<String, Object> bleep = Map.of("to", Map.of("role", SHO), "callback", "4417", "priority", "urgent");
        String key = UUID.randomUUID().toString();
        String first = SWITCHBOARD.request().header("Idempotency-Key", key).body(bleep).post("/api/v1/bleeps")
                .then().statusCode(202).extract().path("id");
        String second = SWITCHBOARD.request().header("Idempotency-Key", key).body(bleep).post("/api/v1/bleeps")
                .then().statusCode(202).extract().path("id");
        assertThat(second).isEqualTo(first);
        Tasks.awaitStatus(first, "offered");
        // Everything either request put on the broker has been applied once this later command has.
        UUID marker = Tasks.settle(first, codec);
        assertThat(count("select count(*) from processed_command where task_id = ? and command_id <> '" + marker + "'",
                UUID.fromString(first))).isEqualTo(1);
        assertThat(Tasks.events(SWITCHBOARD.task(first))).containsExactly("TaskRaised", "TaskOffered");
    }

    private static long count(String sql, UUID id) throws Exception {
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
