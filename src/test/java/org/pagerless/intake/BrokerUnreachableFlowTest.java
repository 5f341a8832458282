package org.pagerless.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Problem;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;
import org.pagerless.support.Ports;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import jakarta.inject.Inject;

/**
 * Intake never blocks an I/O thread on the broker (issue 9, item 5): with the broker unreachable, a bleep or a task
 * request is answered 503 problem+json with Retry-After within the accept timeout (2 s), well before the producer's
 * own 10 s; retried with the same Idempotency-Key once the broker is back, it raises one task.
 */
@QuarkusTest
class BrokerUnreachableFlowTest extends FlowTest {
    static final String SWITCHBOARD_ID = "sam.patel";
    static final Api SWITCHBOARD = Api.as(SWITCHBOARD_ID);
    static final Map<String, Object> BLEEP = Map.of("to", Map.of("person", "amira.khan"), "callback", "4417",
            "priority", "urgent");
    /** Shorter than the producer's max block (10 s): the old intake, blocked in send, would not answer in time. */
    static final RestAssuredConfig ANSWER_WITHIN_6S = RestAssuredConfig.config().httpClient(
            HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 6000));

    @Inject
    Kafka kafka;

    @Test
    void anUnreachableBrokerIsA503WithRetryAfterAndTheRetryWithTheSameKeyRaisesOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        String taskKey = UUID.randomUUID().toString();
        try (AutoCloseable unreachable = kafka.drillBrokerAt("127.0.0.1:" + Ports.free())) {
            SWITCHBOARD.request().config(ANSWER_WITHIN_6S).header("Idempotency-Key", key).body(BLEEP)
                    .post("/api/v1/bleeps").then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", notNullValue()).body("status", equalTo(503));
            SWITCHBOARD.request().config(ANSWER_WITHIN_6S).header("Idempotency-Key", taskKey)
                    .body(Patients.cannulaRequest(Map.of("person", "amira.khan"), "urgent"))
                    .post("/api/v1/tasks").then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", notNullValue());
        }

        String id = Intake.taskId(SWITCHBOARD_ID, key).toString();
        // The caller retries, as told, with the same key, until the broker takes it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> SWITCHBOARD.request().header("Idempotency-Key", key)
                .body(BLEEP).post("/api/v1/bleeps").then().statusCode(202).body("id", equalTo(id)));
        SWITCHBOARD.request().header("Idempotency-Key", key).body(BLEEP).post("/api/v1/bleeps").then().statusCode(202)
                .body("id", equalTo(id));
        Tasks.awaitStatus(id, "offered");
        assertThat(Tasks.events(SWITCHBOARD.task(id))).containsExactly("TaskRaised", "TaskOffered");
    }
}
