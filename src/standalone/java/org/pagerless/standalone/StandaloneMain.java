package org.pagerless.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Standalone mode: Pagerless with everything it needs inside one JVM, for a laptop or a demo. Run it with
 * {@code java -jar target-standalone/quarkus-app/quarkus-run.jar} (see docs/adr/0001-standalone-mode.md). Before
 * handing over to Quarkus it starts ({@link EmbeddedInfra})
 * <ul>
 * <li>an embedded PostgreSQL (zonky binaries, a child process) on port {@value #DEFAULT_POSTGRES_PORT} with a
 * database {@code pagerless}, user and password {@code postgres};</li>
 * <li>a single-node combined (broker + controller) KRaft Kafka broker in this JVM, built with Kafka's own
 * {@code KafkaClusterTestKit}. Clients use an extra PLAINTEXT listener pinned to port
 * {@value #DEFAULT_KAFKA_PORT}; the test kit's own broker and controller listeners stay on random ports.</li>
 * </ul>
 * and points the application at them through system properties. The demo hospital is seeded by the
 * application itself ({@code %standalone.pagerless.demo.seed=true}); staff sign in with password {@code demo}.
 * <p>
 * Ports can be moved with {@code -Dpagerless.standalone.postgres-port=} and
 * {@code -Dpagerless.standalone.kafka-port=}. The addresses are written to {@code standalone.properties} in
 * the profile's build directory ({@code target-standalone}) for tools such as benchmarks, and removed on exit.
 * <p>
 * <b>Data is kept</b> in one data directory ({@code ./pagerless-data}, or {@code -Dpagerless.data=} /
 * {@code PAGERLESS_DATA}): PostgreSQL's data directory and the broker's log, so a restart (even after
 * {@code kill -9}) carries on with its tasks, timers, outbox, rota and subscriptions, and the demo hospital is seeded
 * only into an empty database. Delete the directory to start afresh. See {@link EmbeddedInfra}.
 * <p>
 * <b>Live reload</b>: Quarkus dev mode calls this {@code main} again on every reload, in a new class loader, so
 * static fields do not survive. A JVM-wide system property makes sure the infrastructure is started only once
 * (a second broker in the same JVM would halt it); later calls only restart the application.
 */
@QuarkusMain
public class StandaloneMain {
    static final int DEFAULT_POSTGRES_PORT = 15432;
    static final int DEFAULT_KAFKA_PORT = 19092;
    /** Set once the infrastructure is up; survives dev-mode reloads because it lives in the JVM, not the class. */
    static final String STARTED = "pagerless.standalone.started";

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
        Path data = EmbeddedInfra.dataDirectory();

        EmbeddedInfra infra = EmbeddedInfra.start(data, postgresPort, kafkaPort);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitApplicationStop();
            closeQuietly(infra, addresses);
        }, "pagerless-standalone-shutdown"));

        System.setProperty("quarkus.datasource.jdbc.url", infra.jdbcUrl());
        System.setProperty("quarkus.datasource.username", "postgres");
        System.setProperty("quarkus.datasource.password", "postgres");
        System.setProperty("kafka.bootstrap.servers", infra.bootstrapServers());
        writeAddresses(addresses, infra.bootstrapServers(), infra.jdbcUrl());
        System.out.printf("Pagerless standalone: data in %s; PostgreSQL %s, Kafka %s (addresses in %s)%n", data,
                infra.jdbcUrl(), infra.bootstrapServers(), addresses);
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

    private static void closeQuietly(EmbeddedInfra infra, Path addresses) {
        try {
            Files.deleteIfExists(addresses);
        } catch (Exception e) {
            System.err.println("standalone: could not delete " + addresses + ": " + e);
        }
        infra.close();
    }
}
