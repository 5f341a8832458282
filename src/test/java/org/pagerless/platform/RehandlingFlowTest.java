package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.pagerless.intake.Intake;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.Deliveries;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Tasks;
import org.pagerless.task.model.TaskLane;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A retry never duplicates (issue 9, item 2): every consumer group (the intake topic's among them) is
 * rewound over what it has already handled and handles it all again — an intake record without an idempotency key, a bleep, their commands, events and
 * notifications — and nothing changes: no task raised twice, no event, applied command or outbox row added.
 */
@QuarkusTest
class RehandlingFlowTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final String DOCTOR = "amira.khan";
    /** Consumer name → group id, for every consumer group in the application. */
    static final Map<String, String> GROUPS = new LinkedHashMap<>(Map.of(
            "intake-consumer", "pagerless-intake",
            "task-processor", "pagerless-task-processor",
            "task-processor-stat", "pagerless-task-processor-stat",
            "delivery-planner", "pagerless-delivery-planner",
            "delivery-outbox", "pagerless-delivery-outbox"));
    static final Map<String, String> TOPICS = Map.of(
            "intake-consumer", Topics.INTAKE,
            "task-processor", Topics.TASK_COMMANDS,
            "task-processor-stat", Topics.STAT_TASK_COMMANDS,
            "delivery-planner", Topics.TASK_EVENTS,
            "delivery-outbox", Topics.NOTIFICATIONS);
    /** How far back each partition is rewound: enough to cover this test's records, bounded for a long run. */
    static final long REWIND = 40;

    @Inject
    Consumers consumers;

    @Test
    void everyConsumerHandlingItsRecordsAgainChangesNothing() throws Exception {
        RecordMetadata keyless = Broker.publishBytes(Topics.INTAKE, "bay-" + UUID.randomUUID(), """
                {"kind":"bleep","requester":"nurse-call","to":{"person":"%s"},"callback":"4417","priority":"urgent"}
                """.formatted(DOCTOR).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String fromTopic = Intake.taskIdOfRecord(keyless.topic(), keyless.partition(), keyless.offset()).toString();
        String key = UUID.randomUUID().toString();
        SWITCHBOARD.request().header("Idempotency-Key", key)
                .body(Map.of("to", Map.of("person", DOCTOR), "callback", "4417", "priority", "urgent"))
                .post("/api/v1/bleeps").then().statusCode(202);
        String bleep = Intake.taskId("sam.patel", key).toString();
        String statKey = UUID.randomUUID().toString();
        SWITCHBOARD.request().header("Idempotency-Key", statKey)
                .body(Map.of("to", Map.of("person", DOCTOR), "callback", "2222", "priority", "stat"))
                .post("/api/v1/bleeps").then().statusCode(202);
        String stat = TaskLane.STAT.taskId(Intake.taskId("sam.patel", statKey)).toString();
        for (String id : List.of(fromTopic, bleep, stat)) {
            Tasks.awaitStatus(id, "offered");
            await().atMost(Duration.ofSeconds(30)).until(() -> !Deliveries.deliveries(DOCTOR, id, "in-app").isEmpty());
        }
        awaitCaughtUp();
        Map<String, Long> before = counts(fromTopic, bleep, stat);

        try (Admin admin = admin()) {
            for (Map.Entry<String, String> group : GROUPS.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> rewound = rewound(admin, TOPICS.get(group.getKey()));
                ConsumerLoop loop = consumers.loop(group.getKey()).orElseThrow();
                loop.stop();
                try {
                    admin.alterConsumerGroupOffsets(group.getValue(), rewound).all().get(30, TimeUnit.SECONDS);
                } finally {
                    loop.start();
                }
            }
        }
        awaitCaughtUp();

        assertThat(counts(fromTopic, bleep, stat)).isEqualTo(before);
        for (String id : List.of(fromTopic, bleep, stat)) {
            assertThat(Tasks.events(SWITCHBOARD.task(id))).containsExactly("TaskRaised", "TaskOffered");
        }
    }

    /** What re-handling could duplicate: tasks raised from intake, and this test's events, commands and deliveries. */
    private static Map<String, Long> counts(String... ids) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("intake tasks", count("select count(*) from task where requester = 'nurse-call'"));
        for (String table : List.of("task", "task_event", "processed_command", "delivery")) {
            String column = "task".equals(table) ? "id" : "task_id";
            counts.put(table, count("select count(*) from " + table + " where " + column + " in ('"
                    + String.join("', '", ids) + "')"));
        }
        return counts;
    }

    /** Every group has committed up to the end of its topic (and so has handled everything in it). */
    private static void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            try (Admin admin = admin()) {
                for (Map.Entry<String, String> group : GROUPS.entrySet()) {
                    Map<TopicPartition, Long> end = ends(admin, TOPICS.get(group.getKey()));
                    Map<TopicPartition, OffsetAndMetadata> committed = admin
                            .listConsumerGroupOffsets(group.getValue()).partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
                    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                        OffsetAndMetadata at = committed.get(e.getKey());
                        assertThat(e.getValue() == 0 || at != null && at.offset() == e.getValue())
                                .as("%s at the end of %s", group.getKey(), e.getKey()).isTrue();
                    }
                }
            }
        });
    }

    private static Map<TopicPartition, OffsetAndMetadata> rewound(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        ends(admin, topic).forEach((tp, end) -> offsets.put(tp, new OffsetAndMetadata(Math.max(0, end - REWIND))));
        return offsets;
    }

    private static Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, PagerlessInfra.bootstrapServers());
        return Admin.create(props);
    }

    private static long count(String sql) throws Exception {
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
