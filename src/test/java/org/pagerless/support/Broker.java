package org.pagerless.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pagerless.task.CommandGateway;
import org.pagerless.task.model.TaskLane;

/** Direct access to the test broker, as another hospital system (or an operator) would have. */
public final class Broker {
    private Broker() {
    }

    public static void publish(String topic, String key, String value) throws Exception {
        publish(topic, key, value, Map.of());
    }

    /** As {@link #publish(String, String, String)}, with these headers (UTF-8 values). */
    public static void publish(String topic, String key, String value, Map<String, String> headers) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PagerlessInfra.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, v) -> record.headers().add(name, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            producer.send(record).get();
        }
    }

    /**
     * Publishes raw bytes (a null value, bytes that are not UTF-8, anything) as a misbehaving system could; returns
     * where the record landed.
     */
    public static RecordMetadata publishBytes(String topic, String key, byte[] value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PagerlessInfra.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Publishes a command for the task {@code taskId} on its lane's topic, as the command gateway would. */
    public static void publishCommand(String taskId, String command) throws Exception {
        publish(CommandGateway.topicOf(UUID.fromString(taskId)), taskId, command);
    }

    /** Every task command now in the broker, both lanes' (each lane in its own order). */
    public static List<ConsumerRecord<String, String>> readAllCommands() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (TaskLane lane : TaskLane.values()) {
            records.addAll(readAll(CommandGateway.topicOf(lane)));
        }
        return records;
    }

    /** How many task commands the broker has ever taken, both lanes'. */
    public static long commandsTaken() {
        long taken = 0;
        for (TaskLane lane : TaskLane.values()) {
            taken += recordsIn(CommandGateway.topicOf(lane));
        }
        return taken;
    }

    /** Sum of the end offsets of every partition: how many records the topic has ever taken. */
    public static long recordsIn(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Every record now in the topic, read from the beginning. */
    public static List<ConsumerRecord<String, String>> readAll(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The values of every record now in the topic. */
    public static List<String> valuesIn(String topic) {
        return readAll(topic).stream().map(ConsumerRecord::value).collect(Collectors.toList());
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, PagerlessInfra.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
