package org.pagerless.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pagerless.platform.Topics;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/** Other hospital systems publish bleeps and tasks as JSON; what cannot be accepted goes to the DLQ with the reason. */
@QuarkusTest
class IntakeTopicFlowTest extends FlowTest {

    @Test
    void aNurseCallBleepPublishedOnTheIntakeTopicIsRaisedAndRouted() throws Exception {
        String key = "bay-3-" + UUID.randomUUID();
        Broker.publish(Topics.INTAKE, key, """
                {"kind":"bleep","requester":"nurse-call","idempotencyKey":"%s",
                 "to":{"role":"Medical SHO On-Call"},"callback":"4417","message":"Bay 3 call bell","priority":"urgent"}
                """.formatted(key));
        String id = Intake.taskId("nurse-call", key).toString();
        Tasks.awaitStatus(id, "offered");
    }

    @Test
    void anEprTaskWithPatientDetailIsRaised() throws Exception {
        String key = "epr-" + UUID.randomUUID();
        Broker.publish(Topics.INTAKE, key, """
                {"kind":"task","requester":"epr","idempotencyKey":"%s","to":{"ward":"7B"},
                 "patient":{"nhsNumber":"%s","name":"%s"},"location":{"ward":"7B","bed":"4"},
                 "type":"Bloods","detail":"Repeat potassium, was 6.1","priority":"asap","news2":2}
                """.formatted(key, Patients.NHS_NUMBER, Patients.NAME));
        Tasks.awaitStatus(Intake.taskId("epr", key).toString(), "offered");
    }

    @Test
    void invalidRecordsGoToTheDeadLetterTopicWithTheReason() throws Exception {
        String unknownRole = "bad-role-" + UUID.randomUUID();
        Broker.publish(Topics.INTAKE, unknownRole, """
                {"kind":"bleep","requester":"nurse-call","to":{"role":"Astrology Registrar"},"callback":"4417","priority":"urgent"}
                """);
        String notJson = "not-json-" + UUID.randomUUID();
        Broker.publish(Topics.INTAKE, notJson, "call 4417 please");
        String badNhs = "bad-nhs-" + UUID.randomUUID();
        Broker.publish(Topics.INTAKE, badNhs, """
                {"kind":"task","requester":"epr","to":{"role":"Medical SHO On-Call"},
                 "patient":{"nhsNumber":"%s","name":"A Patient"},"location":{"ward":"7B"},
                 "type":"Bloods","detail":"Repeat U&E","priority":"urgent"}
                """.formatted(Patients.INVALID_NHS_NUMBER));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var dlq = Broker.readAll(Topics.INTAKE_DLQ);
            assertThat(reason(dlq, unknownRole)).contains("to.role").contains("unknown role");
            assertThat(reason(dlq, notJson)).contains("body");
            assertThat(reason(dlq, badNhs)).contains("patient.nhsNumber").contains("modulus 11");
        });
        String original = Broker.readAll(Topics.INTAKE_DLQ).stream().filter(r -> notJson.equals(r.key())).findFirst()
                .orElseThrow().value();
        assertThat(original).isEqualTo("call 4417 please");
    }

    private static String reason(java.util.List<ConsumerRecord<String, String>> dlq, String key) {
        return dlq.stream().filter(r -> key.equals(r.key())).findFirst()
                .map(r -> new String(r.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8))
                .orElse("");
    }
}
