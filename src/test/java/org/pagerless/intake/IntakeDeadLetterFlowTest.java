package org.pagerless.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Topics;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Ports;
import org.pagerless.support.Tasks;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The intake topic's consumer loop (ADR 0003, 0013, 0083): a refused record reaches the dead-letter topic unchanged,
 * with the reason in both documented headers and where it came from; poison is refused with the reason and parked for
 * the admin; a record the broker cannot take now is tried again, not refused, until it is raised once; and the
 * offsets stay in the group they have always been committed in.
 */
@QuarkusTest
class IntakeDeadLetterFlowTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api ADMIN = Api.as("admin");
    static final String PARKED = "/api/v1/admin/parked";
    static final String CONSUMERS = "checks.find { it.name == 'Consumers' }";
    /** "(" after a UTF-8 lead byte, then a lone continuation byte: not UTF-8. */
    static final byte[] NOT_UTF8 = {'{', (byte) 0xC3, '(', (byte) 0xA9, '}'};

    @Inject
    Kafka kafka;
    @Inject
    MeterRegistry registry;

    @Test
    void aRefusedRecordCarriesTheReasonInBothHeadersAndWhereItCameFrom() throws Exception {
        String key = "astrology-" + UUID.randomUUID();
        byte[] sent = """
                {"kind":"bleep","requester":"nurse-call","to":{"role":"Astrology Registrar"},"callback":"4417","priority":"urgent"}
                """.getBytes(StandardCharsets.UTF_8);
        RecordMetadata at = Broker.publishBytes(Topics.INTAKE, key, sent);

        ConsumerRecord<String, String> dead = await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetter(key), Optional::isPresent).orElseThrow();
        assertThat(header(dead, Topics.DLQ_REASON_HEADER)).contains("to.role").contains("unknown role");
        assertThat(header(dead, "dead-letter-reason")).isEqualTo(header(dead, Topics.DLQ_REASON_HEADER));
        assertThat(header(dead, "dead-letter-topic")).isEqualTo(Topics.INTAKE);
        assertThat(header(dead, "dead-letter-partition")).isEqualTo(Integer.toString(at.partition()));
        assertThat(header(dead, "dead-letter-offset")).isEqualTo(Long.toString(at.offset()));
        assertThat(dead.value().getBytes(StandardCharsets.UTF_8)).isEqualTo(sent);
    }

    @Test
    void poisonIsRefusedWithTheReasonAndParkedForTheAdmin() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        RecordMetadata at = Broker.publishBytes(Topics.INTAKE, key, NOT_UTF8);

        ConsumerRecord<String, String> dead = await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetter(key), Optional::isPresent).orElseThrow();
        assertThat(header(dead, Topics.DLQ_REASON_HEADER)).contains("value: is not UTF-8");
        assertThat(header(dead, "dead-letter-offset")).isEqualTo(Long.toString(at.offset()));
        // Parked before it was refused: the row is there once the dead letter is.
        String parkedId;
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement("""
                select reason, status, record_value, id from parked_record
                where consumer = ? and topic = ? and kafka_partition = ? and kafka_offset = ?
                """)) {
            ps.setString(1, IntakeTopicConsumer.NAME);
            ps.setString(2, at.topic());
            ps.setInt(3, at.partition());
            ps.setLong(4, at.offset());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("value: is not UTF-8");
                assertThat(rs.getString(2)).isEqualTo("WAITING");
                assertThat(rs.getBytes(3)).isEqualTo(NOT_UTF8);
                parkedId = rs.getString(4);
            }
        }
        // The admin's replay goes through the channel's own handler: poison still, so 422 and it stays parked.
        ADMIN.post(PARKED + "/" + parkedId + "/replay").then().statusCode(422)
                .body("detail", containsString("value: is not UTF-8"));
        ADMIN.post(PARKED + "/" + parkedId + "/discard").then().statusCode(200);
    }

    /**
     * The broker unreachable for the consumer's sends is transient: the record is held and tried again (the retry is
     * counted, and after the test profile's 3 s stall time readiness says the record is in hand), never refused; once
     * the broker is back it is raised, once, and nothing of it is on the dead-letter topic.
     */
    @Test
    void aRecordTheBrokerCannotTakeIsRetriedNotRefusedAndRaisedOnceWhenItIsBack() throws Exception {
        String key = "bay-" + UUID.randomUUID();
        String id = Intake.taskId("nurse-call", key).toString();
        double retriesBefore = retries();
        try (AutoCloseable unreachable = kafka.drillBrokerAt("127.0.0.1:" + Ports.free())) {
            Broker.publish(Topics.INTAKE, key, """
                    {"kind":"bleep","requester":"nurse-call","idempotencyKey":"%s",
                     "to":{"person":"amira.khan"},"callback":"4417","priority":"urgent"}
                    """.formatted(key));
            await().atMost(Duration.ofSeconds(30)).until(() -> retries() > retriesBefore);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .body(CONSUMERS + ".status", equalTo("UP"))
                    .body(CONSUMERS + ".data.'" + IntakeTopicConsumer.NAME + "'",
                            containsString("stalled: ")));
            assertThat(stalled()).isEqualTo(1.0);
        }

        Tasks.awaitStatus(id, "offered");
        assertThat(Tasks.events(SWITCHBOARD.task(id))).containsExactly("TaskRaised", "TaskOffered");
        // Raised means acknowledged, and a refusal would have been sent before that: none was.
        assertThat(deadLetter(key)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stalled()).isEqualTo(0.0));
    }

    /**
     * The loop commits in group {@code pagerless-intake}, where the intake topic's offsets were committed before it
     * (by SmallRye's channel): a pod upgraded to it goes on from where the last one left off.
     */
    @Test
    void theIntakeOffsetsAreCommittedInTheGroupTheyAlwaysWere() throws Exception {
        String key = "bay-" + UUID.randomUUID();
        RecordMetadata at = Broker.publishBytes(Topics.INTAKE, key, """
                {"kind":"bleep","requester":"nurse-call","idempotencyKey":"%s",
                 "to":{"person":"amira.khan"},"callback":"4417","priority":"routine"}
                """.formatted(key).getBytes(StandardCharsets.UTF_8));
        Tasks.awaitStatus(Intake.taskId("nurse-call", key).toString(), "offered");
        TopicPartition partition = new TopicPartition(at.topic(), at.partition());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", PagerlessInfra.bootstrapServers()))) {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(IntakeTopicConsumer.GROUP)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(partition);
                assertThat(committed).isNotNull();
                assertThat(committed.offset()).isGreaterThan(at.offset());
            }
        });
    }

    private static Optional<ConsumerRecord<String, String>> deadLetter(String key) {
        return Broker.readAll(Topics.INTAKE_DLQ).stream().filter(r -> key.equals(r.key())).findFirst();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private double retries() {
        FunctionCounter counter = registry.find("pagerless.consumer.retries").tag("consumer", IntakeTopicConsumer.NAME)
                .functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private double stalled() {
        Gauge gauge = registry.find("pagerless.consumer.stalled").tag("consumer", IntakeTopicConsumer.NAME).gauge();
        return gauge.value();
    }
}
