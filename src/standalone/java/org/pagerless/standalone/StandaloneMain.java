package org.pagerless.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Standalone mode: Pagerless with everything it needs inside one JVM, for a laptop or a demo. Run it with
 * {@code ./mvnw -Pstandalone quarkus:dev} (see docs/adr/0001-standalone-mode.md). Before handing over to
 * Quarkus it starts
 * <ul>
 * <li>an embedded PostgreSQL (zonky binaries, a child process) on port {@value #DEFAULT_POSTGRES_PORT} with a
 * database {@value #DATABASE}, user and password {@code postgres};</li>
 * <li>a single-node combined (broker + controller) KRaft Kafka broker in this JVM, built with Kafka's own
 * {@link KafkaClusterTestKit}. Clients use an extra PLAINTEXT listener pinned to port
 * {@value #DEFAULT_KAFKA_PORT}; the test kit's own broker and controller listeners stay on random ports.</li>
 * </ul>
 * and points the application at them through system properties. The demo hospital is seeded by the
 * application itself ({@code %dev.pagerless.demo.seed=true}); staff sign in with password {@code demo}.
 * <p>
 * Ports can be moved with {@code -Dpagerless.standalone.postgres-port=} and
 * {@code -Dpagerless.standalone.kafka-port=}. The addresses are written to {@code standalone.properties} in
 * the profile's build directory ({@code target-standalone}) for tools such as benchmarks, and removed on exit.
 * <p>
 * <b>Data is ephemeral</b>: both the database and the Kafka log live in fresh temporary directories and are
 * deleted on exit, so every start begins with an empty hospital that is seeded again.
 * <p>
 * <b>Live reload</b>: Quarkus dev mode calls this {@code main} again on every reload, in a new class loader, so
 * static fields do not survive. A JVM-wide system property makes sure the infrastructure is started only once
 * (a second broker in the same JVM would halt it); later calls only restart the application.
 */
@QuarkusMain
public class StandaloneMain {
    static final String DATABASE = "pagerless";
    static final int DEFAULT_POSTGRES_PORT = 15432;
    static final int DEFAULT_KAFKA_PORT = 19092;
    /** Set once the infrastructure is up; survives dev-mode reloads because it lives in the JVM, not the class. */
    static final String STARTED = "pagerless.standalone.started";
    private static final String CLIENT_LISTENER = "STANDALONE";
    /** Fixed so logs and tools see the same cluster id on every start. */
    private static final Uuid CLUSTER_ID = new Uuid(0x50616765726c6573L, 0x735374616e64616cL);

    public static void main(String... args) throws Exception {
        if (System.getProperty(STARTED) == null) {
            startInfrastructure();
            System.setProperty(STARTED, "true");
        }
        // The packaged standalone app runs the "standalone" profile: demo hospital and demo sign-in on.
        if (System.getProperty("quarkus.profile") == null && System.getenv("QUARKUS_PROFILE") == null) {
            System.setProperty("quarkus.profile", "standalone");
        }
        Quarkus.run(args);
    }

    private static void startInfrastructure() throws Exception {
        int postgresPort = Integer.getInteger("pagerless.standalone.postgres-port", DEFAULT_POSTGRES_PORT);
        int kafkaPort = Integer.getInteger("pagerless.standalone.kafka-port", DEFAULT_KAFKA_PORT);
        Path dir = Paths.get(System.getProperty("pagerless.standalone.dir", "target-standalone")).toAbsolutePath();
        Path addresses = dir.resolve("standalone.properties");

        // Our shutdown hook closes it, after the application has stopped.
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(postgresPort)
                .setRegisterShutdownHook(false)
                .start();
        KafkaClusterTestKit kafka = null;
        try {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("create database " + DATABASE);
            }
            kafka = startKafka(kafkaPort);
        } catch (Exception | Error e) {
            closeQuietly(kafka, postgres, null);
            throw e;
        }
        String bootstrap = "localhost:" + kafkaPort;
        String jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;

        final KafkaClusterTestKit broker = kafka;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitApplicationStop();
            closeQuietly(broker, postgres, addresses);
        }, "pagerless-standalone-shutdown"));

        System.setProperty("quarkus.datasource.jdbc.url", jdbcUrl);
        System.setProperty("quarkus.datasource.username", "postgres");
        System.setProperty("quarkus.datasource.password", "postgres");
        System.setProperty("kafka.bootstrap.servers", bootstrap);
        writeAddresses(addresses, bootstrap, jdbcUrl);
        System.out.printf("Pagerless standalone: PostgreSQL %s, Kafka %s (addresses in %s)%n", jdbcUrl, bootstrap,
                addresses);
    }

    private static KafkaClusterTestKit startKafka(int port) throws Exception {
        // Our own directory: the test kit's default one is deleted by a shutdown hook of its own, racing the broker's
        // shutdown. The test kit deletes this one when it closes.
        Path logs = Files.createTempDirectory("pagerless-standalone-kafka-");
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBaseDirectory(logs)
                .setClusterId(CLUSTER_ID.toString())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        String broker = nodes.brokerListenerName().value();
        String controller = nodes.controllerListenerName().value();
        // The test kit binds its own broker and controller listeners to random ports before start-up and ignores
        // any port configured for them, so clients get a further listener of their own on a fixed port.
        KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("listeners", broker + "://localhost:0," + controller + "://localhost:0,"
                        + CLIENT_LISTENER + "://localhost:" + port)
                .setConfigProp("listener.security.protocol.map", broker + ":" + nodes.brokerListenerProtocol().name
                        + "," + controller + ":" + nodes.controllerListenerProtocol().name
                        + "," + CLIENT_LISTENER + ":PLAINTEXT")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        try {
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            return kafka;
        } catch (Exception | Error e) {
            closeQuietly(kafka, null, null);
            throw e;
        }
    }

    /** Plain {@code key=value} lines (readable by {@link java.util.Properties} and by eye; nothing needs escaping). */
    private static void writeAddresses(Path file, String bootstrap, String jdbcUrl) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n",
                "# Pagerless standalone mode: addresses of the embedded infrastructure (removed on exit)",
                "kafka.bootstrap.servers=" + bootstrap,
                "jdbc.url=" + jdbcUrl,
                "jdbc.username=postgres",
                "jdbc.password=postgres",
                ""), StandardCharsets.UTF_8);
    }

    /**
     * Quarkus stops the application from its own shutdown hook, which runs at the same time as ours. Give it a
     * moment to close its Kafka clients and database connections before the broker and database go away.
     */
    private static void awaitApplicationStop() {
        Application app = Application.currentApplication();
        if (app == null) {
            return;
        }
        Thread waiter = new Thread(app::awaitShutdown, "pagerless-standalone-await-stop");
        waiter.setDaemon(true);
        waiter.start();
        try {
            waiter.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(KafkaClusterTestKit kafka, EmbeddedPostgres postgres, Path addresses) {
        try {
            if (addresses != null) {
                Files.deleteIfExists(addresses);
            }
        } catch (Exception e) {
            System.err.println("standalone: could not delete " + addresses + ": " + e);
        }
        try {
            if (kafka != null) {
                kafka.close();
            }
        } catch (Exception e) {
            System.err.println("standalone: Kafka did not close cleanly: " + e);
        }
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (Exception e) {
            System.err.println("standalone: PostgreSQL did not close cleanly: " + e);
        }
    }
}
