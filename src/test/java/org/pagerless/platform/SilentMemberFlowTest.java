package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.pagerless.support.FlowTest;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A consumer that vanishes without leaving its group (a pod killed outright, or a standalone run killed and started
 * again) holds its partitions only until the group's session timeout: its commands are then taken by the consumer
 * that is left (ADR 0090). With Kafka's own 45 s, bleeps answered {@code 202} after a crash were raised a minute
 * or more later; the fault-injection harness saw it (docs/reliability.md, runs 21 and 23).
 */
@QuarkusTest
class SilentMemberFlowTest extends FlowTest {

    @Inject
    Kafka kafka;

    @Test
    void aMemberKilledOutrightHandsItsPartitionsOverWellBeforeKafkasOwnTimeout() {
        String group = "silent-member-" + UUID.randomUUID();
        KafkaConsumer<byte[], ?> killed = kafka.consumer(group, "silent-member-killed", 10);
        try {
            killed.subscribe(Set.of(Topics.TASK_COMMANDS));
            pollUntilItHoldsEveryPartition(killed, Duration.ofSeconds(60));
        } finally {
            // Gone without a word: no LeaveGroup, as after kill -9. The group learns only from its silence.
            killed.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
        }
        try (KafkaConsumer<byte[], ?> left = kafka.consumer(group, "silent-member-left", 10)) {
            left.subscribe(Set.of(Topics.TASK_COMMANDS));
            long started = System.nanoTime();
            pollUntilItHoldsEveryPartition(left, Duration.ofSeconds(40));
            // The session timeout (10 s) and one rebalance; Kafka's own 45 s would not have handed them over by now.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        }
    }

    /** Polls until the consumer is assigned every partition of the task commands, or fails after {@code within}. */
    private void pollUntilItHoldsEveryPartition(KafkaConsumer<byte[], ?> consumer, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int partitions = consumer.partitionsFor(Topics.TASK_COMMANDS).size();
        Set<TopicPartition> held = Set.of();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
            held = consumer.assignment();
            if (held.size() == partitions) {
                return;
            }
        }
        assertThat(held).as("partitions held after " + within).hasSize(partitions);
    }
}
