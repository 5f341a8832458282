package org.pagerless.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor every Pagerless figure is compared with, measured on the same machine in the same run:
 * one raw Kafka produce→consume round trip ({@code acks=all}) plus one synchronous PostgreSQL commit.
 * No application can page faster than its broker and database let it.
 */
final class Floor {
    final Stats kafkaRoundTrip = new Stats();
    final Stats postgresCommit = new Stats();

    static Floor measure(String bootstrapServers, String jdbcUrl, String user, String password, int samples) throws Exception {
        Floor floor = new Floor();
        String topic = "pagerless.bench.floor." + UUID.randomUUID();
        Properties admin = new Properties();
        admin.put("bootstrap.servers", bootstrapServers);
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrapServers);
        c.put("enable.auto.commit", "false");
        c.put("fetch.max.wait.ms", "1");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            for (int i = 0; i < samples + 20; i++) {
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, "k", "floor-" + i)).get();
                int got = 0;
                while (got == 0) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    got = records.count();
                }
                if (i >= 20) { // the first round trips warm up connections and metadata
                    floor.kafkaRoundTrip.add(System.nanoTime() - t0);
                }
            }
        }
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            try (Statement st = db.createStatement()) {
                st.execute("create temporary table bench_floor (id bigint primary key, at timestamptz)");
                st.execute("set synchronous_commit = on");
            }
            db.setAutoCommit(false);
            try (PreparedStatement ps = db.prepareStatement("insert into bench_floor values (?, now())")) {
                for (int i = 0; i < samples + 20; i++) {
                    long t0 = System.nanoTime();
                    ps.setLong(1, i);
                    ps.executeUpdate();
                    db.commit();
                    if (i >= 20) {
                        floor.postgresCommit.add(System.nanoTime() - t0);
                    }
                }
            }
        }
        return floor;
    }

    /** The floor for one operation: Kafka round trip + PostgreSQL commit, at the given percentile. */
    double millis(double percentile) {
        return kafkaRoundTrip.percentileMillis(percentile) + postgresCommit.percentileMillis(percentile);
    }

    /** One line for a benchmark's output: each part's p50 and p99 and their sum, in milliseconds. */
    String describe() {
        return String.format("floor: kafka round trip p50 %.2f ms p99 %.2f ms; postgres commit p50 %.2f ms p99 %.2f ms;"
                        + " floor p50 %.2f ms p99 %.2f ms", kafkaRoundTrip.percentileMillis(50),
                kafkaRoundTrip.percentileMillis(99), postgresCommit.percentileMillis(50),
                postgresCommit.percentileMillis(99), millis(50), millis(99));
    }
}
