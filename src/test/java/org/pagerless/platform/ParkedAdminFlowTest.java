package org.pagerless.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Tasks;
import org.pagerless.task.TaskCodec;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskKind;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** An admin lists, reads, replays and discards parked records (ADR 0013); readiness says they are waiting. */
@QuarkusTest
class ParkedAdminFlowTest extends FlowTest {
    static final Api ADMIN = Api.as("admin");
    static final String PARKED = "/api/v1/admin/parked";

    @Inject
    TaskCodec codec;

    @Test
    void aParkedCommandIsShownWithItsReasonStaysParkedWhenReplayedAndCanBeDiscarded() throws Exception {
        String unknown = "{\"type\":\"FlyToTheMoon\",\"taskId\":\"" + UUID.randomUUID() + "\"}";
        RecordMetadata at = Broker.publishBytes(Topics.TASK_COMMANDS, UUID.randomUUID().toString(),
                unknown.getBytes(StandardCharsets.UTF_8));
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> parkedAt("task-processor", at), i -> i != null);

        Api.as("sam.patel").get(PARKED).statusCode(403);
        ADMIN.get(PARKED + "?status=NONSENSE").statusCode(400).body("violations[0].field", equalTo("status"));
        ADMIN.get(PARKED + "/" + id).statusCode(200).body("consumer", equalTo("task-processor"))
                .body("topic", equalTo(Topics.TASK_COMMANDS)).body("offset", equalTo((int) at.offset()))
                .body("value", equalTo(unknown))
                .body("valueBase64", equalTo(Base64.getEncoder().encodeToString(unknown.getBytes(StandardCharsets.UTF_8))))
                .body("reason", containsString("unknown type")).body("status", equalTo("WAITING"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Consumers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Consumers' }.data.status", equalTo("degraded"))
                .body("checks.find { it.name == 'Consumers' }.data.'task-processor'", containsString("parked record"));

        // Switchboard's "Needs a human" queue says messages were set aside, without saying what they held.
        Api.as("sam.patel").get("/api/v1/ops/alerts").statusCode(200)
                .body("find { it.consumer == 'task-processor' }.kind", equalTo("parked"))
                .body("find { it.consumer == 'task-processor' }.explanation", containsString("could not be handled"));

        ADMIN.post(PARKED + "/" + id + "/replay").then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("unknown type"));
        ADMIN.get(PARKED + "/" + id).statusCode(200).body("status", equalTo("WAITING"));

        ADMIN.post(PARKED + "/" + id + "/discard").then().statusCode(200).body("status", equalTo("DISCARDED"))
                .body("resolvedBy", equalTo("admin"));
        ADMIN.post(PARKED + "/" + id + "/discard").then().statusCode(409);
        assertThat(ADMIN.get(PARKED + "?consumer=task-processor").statusCode(200).extract().jsonPath()
                .getList("id", String.class)).doesNotContain(id);
        assertThat(ADMIN.get(PARKED + "?status=DISCARDED&consumer=task-processor").statusCode(200).extract()
                .jsonPath().getList("id", String.class)).contains(id);
        ADMIN.get(PARKED + "/" + UUID.randomUUID()).statusCode(404);
    }

    @Test
    void aReplayedRecordGoesThroughTheConsumerAndIsAppliedOnce() throws Exception {
        // A good command parked earlier (say by a version with a bug since fixed): replaying it raises the task.
        UUID taskId = UUID.randomUUID();
        String command = codec.command(new RaiseTask(UUID.randomUUID(), taskId, "sam.patel", TaskKind.BLEEP,
                Priority.URGENT, false, Target.person("amira.khan"), TaskDetails.bleep("4417", null)));
        UUID id = UUID.randomUUID();
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement("""
                insert into parked_record (id, consumer, topic, kafka_partition, kafka_offset, record_key, record_value,
                                           reason, parked_at)
                values (?, 'task-processor', ?, 0, ?, ?, ?, 'IllegalStateException: a bug since fixed', ?)
                """)) {
            ps.setObject(1, id);
            ps.setString(2, Topics.TASK_COMMANDS);
            ps.setLong(3, -System.nanoTime()); // no real offset: this record is not in the topic any more
            ps.setBytes(4, taskId.toString().getBytes(StandardCharsets.UTF_8));
            ps.setBytes(5, command.getBytes(StandardCharsets.UTF_8));
            ps.setObject(6, OffsetDateTime.now());
            ps.executeUpdate();
        }

        ADMIN.post(PARKED + "/" + id + "/replay").then().statusCode(200).body("status", equalTo("REPLAYED"))
                .body("resolvedBy", equalTo("admin"));
        Tasks.awaitStatus(taskId.toString(), "offered");
        ADMIN.post(PARKED + "/" + id + "/replay").then().statusCode(409);
        assertThat(Tasks.events(ADMIN.task(taskId.toString()))).containsExactly("TaskRaised", "TaskOffered");
    }

    /** The id of the record {@code consumer} parked from {@code at}, or null while it has not. */
    private static String parkedAt(String consumer, RecordMetadata at) {
        List<Map<String, Object>> rows = ADMIN.get(PARKED + "?status=ALL&consumer=" + consumer + "&limit=500")
                .statusCode(200).extract().jsonPath().getList("");
        return rows.stream()
                .filter(r -> at.topic().equals(r.get("topic")) && ((Number) r.get("partition")).intValue() == at.partition()
                        && ((Number) r.get("offset")).longValue() == at.offset())
                .map(r -> (String) r.get("id")).findFirst().orElse(null);
    }
}
