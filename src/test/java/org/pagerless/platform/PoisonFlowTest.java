package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.pagerless.delivery.Notification;
import org.pagerless.intake.Intake;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.Deliveries;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Tasks;
import org.pagerless.task.TaskCodec;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskKind;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * No record can stall a consumer (issue 9, ADR 0013): poison on every topic (null, not UTF-8, oversized, of an unknown
 * type, one a rule throws on) is parked with the reason, and the good record published after it on the same
 * partition is handled, once. Each scenario publishes the poison first and then the good record with the same key, so
 * the good record's effect is the barrier: the consumer has moved past every poison record.
 */
@QuarkusTest
class PoisonFlowTest extends FlowTest {
    static final String SWITCHBOARD_ID = "sam.patel";
    static final Api SWITCHBOARD = Api.as(SWITCHBOARD_ID);
    static final String DOCTOR = "amira.khan";
    /** "(" after a UTF-8 lead byte, then a lone continuation byte: not UTF-8. */
    static final byte[] NOT_UTF8 = {'{', (byte) 0xC3, '(', (byte) 0xA9, '}'};
    /** What each poison record carried, by where it landed. */
    private static final Map<String, Optional<byte[]>> SENT = new ConcurrentHashMap<>();

    @Inject
    TaskCodec codec;
    @Inject
    MeterRegistry registry;
    @Inject
    ObjectMapper json;

    @Test
    void poisonCommandsAreParkedAndTheNextCommandIsAppliedOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        String id = Intake.taskId(SWITCHBOARD_ID, key).toString();
        double parkedBefore = parkedCount("task-processor");
        String throwsInRules = codec.command(new RaiseTask(UUID.randomUUID(), UUID.randomUUID(), SWITCHBOARD_ID,
                TaskKind.BLEEP, Priority.URGENT, false, null, TaskDetails.bleep("4417", null)));
        Map<RecordMetadata, String> poison = publishPoison(Topics.TASK_COMMANDS, id, Map.of(
                        "{\"type\":\"FlyToTheMoon\",\"commandId\":\"" + UUID.randomUUID() + "\",\"taskId\":\"" + id + "\"}",
                        "unknown type",
                        throwsInRules, "NullPointerException"));

        bleepDoctor(key);
        Tasks.awaitStatus(id, "offered");

        assertParked("task-processor", poison);
        assertThat(Tasks.events(SWITCHBOARD.task(id))).containsExactly("TaskRaised", "TaskOffered");
        assertThat(count("select count(*) from processed_command where task_id = ?", id)).isEqualTo(1);
        assertThat(parkedCount("task-processor")).isEqualTo(parkedBefore + poison.size());
    }

    @Test
    void poisonTaskEventsAreParkedByThePlannerAndTheFeedAndTheNextEventIsPlannedOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        String id = Intake.taskId(SWITCHBOARD_ID, key).toString();
        Map<RecordMetadata, String> poison = publishPoison(Topics.TASK_EVENTS, id, Map.of(
                "{\"type\":\"TaskTeleported\",\"event\":{}}", "unknown event type",
                "{\"type\":\"TaskOffered\",\"event\":{\"taskId\":\"" + id + "\",\"offeredTo\":[]},\"task\":null}",
                "audience: is missing"));

        bleepDoctor(key);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Deliveries.deliveries(DOCTOR, id, "in-app").isEmpty());

        assertParked("delivery-planner", poison);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertParked("task-event-feed", poison));
        assertThat(Deliveries.deliveries(DOCTOR, id, "in-app")).hasSize(1);
    }

    @Test
    void poisonNotificationsAreParkedAndTheNextOneIsWrittenOnce() throws Exception {
        Map<RecordMetadata, String> poison = publishPoison(Topics.NOTIFICATIONS, DOCTOR, Map.of(
                "{\"id\":\"not-a-uuid\"}", "JSON of the wrong shape at id",
                "{}", "id, taskId (or conversationId), staffId and priority are required"));

        // A page's notifications go straight into the outbox (ADR 0075): the good record after the poison is a
        // notification as an older planner published it, for a page the doctor was just sent.
        String key = UUID.randomUUID().toString();
        String id = Intake.taskId(SWITCHBOARD_ID, key).toString();
        bleepDoctor(key);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Deliveries.deliveries(DOCTOR, id, "in-app").isEmpty());
        UUID eventId = UUID.randomUUID();
        String notificationId = Notification.idFor(eventId, DOCTOR).toString();
        Broker.publish(Topics.NOTIFICATIONS, DOCTOR, json.writeValueAsString(new Notification(
                UUID.fromString(notificationId), eventId, UUID.fromString(id), DOCTOR, "urgent", false, "BLEEP", null,
                Deliveries.ref(id), Instant.now())));
        String written = "select count(*) from delivery where notification_id = ? and channel = 'in-app'";
        await().atMost(Duration.ofSeconds(30)).until(() -> count(written, notificationId) > 0);

        assertParked("delivery-outbox", poison);
        assertThat(count(written, notificationId)).isEqualTo(1);
    }

    @Test
    void poisonOnTheIntakeTopicIsParkedAndTheNextRecordIsRaisedOnce() throws Exception {
        String key = "bay-" + UUID.randomUUID();
        Map<RecordMetadata, String> poison = publishPoison(Topics.INTAKE, key, Map.of());

        Broker.publish(Topics.INTAKE, key, """
                {"kind":"bleep","requester":"nurse-call","idempotencyKey":"%s",
                 "to":{"person":"%s"},"callback":"4417","priority":"urgent"}
                """.formatted(key, DOCTOR));
        String id = Intake.taskId("nurse-call", key).toString();
        Tasks.awaitStatus(id, "offered");

        assertParked("intake-consumer", poison);
        assertThat(Tasks.events(SWITCHBOARD.task(id))).containsExactly("TaskRaised", "TaskOffered");
    }

    @Test
    void poisonRotaEventsAreParkedAndTheNextChangeStillReloadsTheRota() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        Map<RecordMetadata, String> poison = publishPoison(Topics.ROTA_EVENTS, key, Map.of(
                "{\"type\":\"ShiftsOnFire\"}", "is not RotaChanged"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertParked("rota-event-feed", poison));

        double reloads = reloads();
        Broker.publish(Topics.ROTA_EVENTS, key, """
                {"eventId":"%s","type":"RotaChanged","key":"%s","change":"shift.created","by":"test","at":"2026-01-01T00:00:00Z"}
                """.formatted(UUID.randomUUID(), key));
        await().atMost(Duration.ofSeconds(30)).until(() -> reloads() > reloads);
    }

    /**
     * Publishes the poison every consumer must park, then the consumer-specific kinds; returns where each landed and
     * the reason it must be parked for.
     */
    private static Map<RecordMetadata, String> publishPoison(String topic, String key, Map<String, String> specific)
            throws Exception {
        Map<RecordMetadata, String> out = new LinkedHashMap<>();
        out.put(publish(topic, key, null), "value: is null");
        out.put(publish(topic, key, NOT_UTF8), "value: is not UTF-8");
        byte[] huge = new byte[300_000];
        Arrays.fill(huge, (byte) 'x');
        out.put(publish(topic, key, huge), "more than the limit of 262144");
        for (Map.Entry<String, String> e : specific.entrySet()) {
            out.put(publish(topic, key, e.getKey().getBytes(StandardCharsets.UTF_8)), e.getValue());
        }
        return out;
    }

    /** Publishes {@code value} and remembers its bytes, which the consumer that parks it must keep exactly. */
    private static RecordMetadata publish(String topic, String key, byte[] value) throws Exception {
        RecordMetadata at = Broker.publishBytes(topic, key, value);
        SENT.put(sentAt(at), Optional.ofNullable(value));
        return at;
    }

    private static String sentAt(RecordMetadata at) {
        return at.topic() + "-" + at.partition() + "@" + at.offset();
    }

    private static void bleepDoctor(String key) {
        SWITCHBOARD.request().header("Idempotency-Key", key)
                .body(Map.of("to", Map.of("person", DOCTOR), "callback", "4417", "priority", "urgent"))
                .post("/api/v1/bleeps").then().statusCode(202);
    }

    /** Each poison record is parked by {@code consumer}, waiting, with its original bytes and the reason. */
    private static void assertParked(String consumer, Map<RecordMetadata, String> poison) throws Exception {
        for (Map.Entry<RecordMetadata, String> e : poison.entrySet()) {
            RecordMetadata at = e.getKey();
            try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement("""
                    select reason, status, octet_length(record_value), record_value from parked_record
                    where consumer = ? and topic = ? and kafka_partition = ? and kafka_offset = ?
                    """)) {
                ps.setString(1, consumer);
                ps.setString(2, at.topic());
                ps.setInt(3, at.partition());
                ps.setLong(4, at.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("%s parked offset %d (%s)", consumer, at.offset(), e.getValue()).isTrue();
                    assertThat(rs.getString(1)).contains(e.getValue());
                    assertThat(rs.getString(2)).isEqualTo("WAITING");
                    assertThat(rs.getObject(3) == null ? -1 : rs.getInt(3)).isEqualTo(at.serializedValueSize());
                    // Byte for byte: the consumer reads a value where the client put it, often inside one buffer
                    // with the records around it, and copies it out only to park it.
                    assertThat(Optional.ofNullable(rs.getBytes(4)).map(HexFormat.of()::formatHex))
                            .isEqualTo(SENT.get(sentAt(at)).map(HexFormat.of()::formatHex));
                }
            }
        }
    }

    private double parkedCount(String consumer) {
        Counter counter = registry.find("pagerless.records.parked").tag("consumer", consumer).counter();
        return counter == null ? 0 : counter.count();
    }

    private double reloads() {
        Counter counter = registry.find("pagerless.rota.reloads").tag("cause", "event").counter();
        return counter == null ? 0 : counter.count();
    }

    static long count(String sql, String id) throws Exception {
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
