package org.pagerless.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagerless.support.Ports;

/**
 * Standalone mode keeps its data (ADR 0001): the embedded PostgreSQL and broker of the standalone app
 * ({@link EmbeddedInfra}), run in a child JVM over one data directory, are killed with {@code kill -9} (the
 * postmaster survives as an orphan, with its pid file) and started again: the row and the record written before the
 * kill are there, and the second run shuts down cleanly and releases the directory.
 * The application on top (open tasks, timers, outbox, seeded once) is exercised by the fault-injection harness
 * against the packaged app (docs/reliability.md).
 */
class StandaloneDataTest {
    private static final String TOPIC = "standalone-check";

    @TempDir
    Path data;

    @Test
    void aRunKilledWithKill9LeavesItsDataForTheNextRun() throws Exception {
        int pg = Ports.free();
        int kafka = Ports.free();
        Process first = child("write", pg, kafka);
        try {
            assertThat(awaitLine(first, "WRITTEN")).as("the first run wrote its row and record").isTrue();
        } finally {
            first.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        }
        Path pgData = data.resolve("pagerless-data/postgres");
        assertThat(EmbeddedInfra.postmasterPid(pgData)).as("kill -9 leaves the postmaster's pid file").isPresent();

        Process second = child("read", pg, kafka);
        try {
            assertThat(awaitLine(second, "FOUND row=admitted record=bleep-1 fsync=on synchronous_commit=on")).isTrue();
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("the second run stops cleanly").isTrue();
            assertThat(second.exitValue()).isZero();
        } finally {
            second.destroyForcibly();
        }
        assertThat(EmbeddedInfra.postmasterPid(pgData)).as("a clean stop stops PostgreSQL").isEmpty();
    }

    /** The child: starts the infrastructure over {@code <dir>/pagerless-data}, then writes or reads and stops. */
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[1]).resolve("pagerless-data");
        EmbeddedInfra infra = EmbeddedInfra.start(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "postgres");
             Statement st = c.createStatement()) {
            if (args[0].equals("write")) {
                st.execute("create table ward_note (note text)");
                st.execute("insert into ward_note values ('admitted')");
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                    producer.send(new ProducerRecord<>(TOPIC, "k", "bleep-1")).get();
                }
                System.out.println("WRITTEN");
                System.out.flush();
                new java.util.concurrent.CountDownLatch(1).await(); // until killed
            }
            String row;
            try (ResultSet rs = st.executeQuery("select note from ward_note")) {
                row = rs.next() ? rs.getString(1) : "none";
            }
            List<String> records = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                    new StringDeserializer(), new StringDeserializer())) {
                TopicPartition p = new TopicPartition(TOPIC, 0);
                consumer.assign(List.of(p));
                consumer.seekToBeginning(List.of(p));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (records.isEmpty() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                        records.add(r.value());
                    }
                }
            }
            System.out.println("FOUND row=" + row + " record=" + String.join(",", records) + " fsync=" + setting(st, "fsync")
                    + " synchronous_commit=" + setting(st, "synchronous_commit"));
            System.out.flush();
        } finally {
            infra.close();
        }
        System.exit(0);
    }

    private Process child(String mode, int pg, int kafka) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(java, "-Xmx512m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp", System.getProperty("java.class.path"),
                StandaloneDataTest.class.getName(), mode, data.toString(), Integer.toString(pg),
                Integer.toString(kafka));
        b.redirectErrorStream(true);
        b.redirectOutput(ProcessBuilder.Redirect.PIPE);
        return b.start();
    }

    /** Reads the child's output (echoed here) until {@code line} appears, the child ends, or 5 minutes pass. */
    private static boolean awaitLine(Process p, String line) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        String l;
        while (System.nanoTime() < deadline && (l = out.readLine()) != null) {
            System.out.println("[child] " + l);
            if (l.startsWith(line)) {
                Thread drain = new Thread(() -> out.lines().forEach(x -> System.out.println("[child] " + x)));
                drain.setDaemon(true);
                drain.start();
                return true;
            }
        }
        return false;
    }


    private static String setting(Statement st, String name) throws Exception {
        try (ResultSet rs = st.executeQuery("show " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
