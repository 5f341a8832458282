package org.pagerless.standalone;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The embedded PostgreSQL and KRaft broker of standalone mode (ADR 0001), kept in one data directory so a restart
 * carries on where the last run stopped:
 * <pre>
 * pagerless-data/
 *   pagerless.lock     held while a run uses the directory (released by the OS if the run is killed)
 *   postgres/          PostgreSQL's data directory (initdb on the first run only)
 *   kafka/             the broker's metadata and log directories (formatted on the first run only)
 *   control/           broker.stop, postgres.stop: present = that part stopped (fault injection, see below)
 * </pre>
 * A run killed with {@code kill -9} leaves PostgreSQL's postmaster running on its own (pg_ctl detaches it) and its
 * {@code postmaster.pid} behind: the next start stops that orphan (fast shutdown) before starting its own. Kafka's
 * and our lock files are OS file locks, which die with the process; the broker recovers its unflushed log segments.
 * <p>
 * Parts can be stopped and started while the application runs, to show it rides through an outage: create
 * {@code control/broker.stop} or {@code control/postgres.stop} and the part stops within a second; delete it and
 * the part starts again on the same directory and port.
 */
public final class EmbeddedInfra implements AutoCloseable {
    static final String DATABASE = "pagerless";
    private static final String CLIENT_LISTENER = "STANDALONE";
    /** Fixed, so the broker's formatted directories match on every start. */
    private static final Uuid CLUSTER_ID = new Uuid(0x50616765726c6573L, 0x735374616e64616cL);
    private static final Duration ORPHAN_STOP = Duration.ofSeconds(60);

    private final Path data;
    private final int postgresPort;
    private final int kafkaPort;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private EmbeddedPostgres postgres;
    private KafkaClusterTestKit kafka;
    private Thread control;
    private volatile boolean closed;

    private EmbeddedInfra(Path data, int postgresPort, int kafkaPort, FileChannel lockChannel, FileLock lock) {
        this.data = data;
        this.postgresPort = postgresPort;
        this.kafkaPort = kafkaPort;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** {@code -Dpagerless.data}, else {@code PAGERLESS_DATA}, else {@code ./pagerless-data}. */
    public static Path dataDirectory() {
        String configured = System.getProperty("pagerless.data", System.getenv("PAGERLESS_DATA"));
        return Paths.get(configured == null || configured.isBlank() ? "pagerless-data" : configured).toAbsolutePath();
    }

    /** Starts PostgreSQL and the broker over {@code data} (created if missing); refuses a directory in use. */
    public static EmbeddedInfra start(Path data, int postgresPort, int kafkaPort) throws Exception {
        Files.createDirectories(data.resolve("control"));
        FileChannel channel = new RandomAccessFile(data.resolve("pagerless.lock").toFile(), "rw").getChannel();
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the data directory " + data + " is in use by another Pagerless run");
        }
        EmbeddedInfra infra = new EmbeddedInfra(data, postgresPort, kafkaPort, channel, lock);
        try {
            if (!Files.exists(infra.controlFile("postgres"))) {
                infra.startPostgres();
            }
            if (!Files.exists(infra.controlFile("broker"))) {
                infra.startKafka();
            }
            infra.watchControl();
            return infra;
        } catch (Exception | Error e) {
            infra.close();
            throw e;
        }
    }

    public Path data() {
        return data;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgresPort + "/" + DATABASE;
    }

    public String bootstrapServers() {
        return "localhost:" + kafkaPort;
    }

    /** PostgreSQL's data directory. */
    public Path postgresDirectory() {
        return data.resolve("postgres");
    }

    /** The running postmaster's process id, from its {@code postmaster.pid}. */
    public static Optional<Long> postmasterPid(Path postgresDirectory) {
        try {
            List<String> lines = Files.readAllLines(postgresDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    synchronized void startPostgres() throws Exception {
        if (postgres != null) {
            return;
        }
        Path dir = postgresDirectory();
        stopOrphanedPostmaster(dir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(postgresPort)
                .setRegisterShutdownHook(false)
                // zonky starts PostgreSQL for throwaway tests (-F: no fsync; no synchronous commit). Standalone data
                // must survive a power cut, not only a killed process: a later -c wins over -F.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on");
        // -Dpagerless.standalone.postgres-preload=pg_stat_statements: the benchmarks' statement counts (off by default).
        String preload = System.getProperty("pagerless.standalone.postgres-preload", "");
        if (!preload.isBlank()) {
            builder.setServerConfig("shared_preload_libraries", preload);
        }
        // -Dpagerless.standalone.postgres-config=max_wal_size=4GB,wal_compression=on: the benchmarks' server settings.
        for (String setting : System.getProperty("pagerless.standalone.postgres-config", "").split(",")) {
            String[] nameAndValue = setting.split("=", 2);
            if (nameAndValue.length == 2) {
                builder.setServerConfig(nameAndValue[0].trim(), nameAndValue[1].trim());
            }
        }
        EmbeddedPostgres started = builder.start();
        try (Connection c = started.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = st.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                st.execute("create database " + DATABASE);
            }
        } catch (Exception e) {
            started.close();
            throw e;
        }
        postgres = started;
    }

    synchronized void stopPostgres() throws IOException {
        if (postgres != null) {
            EmbeddedPostgres stopping = postgres;
            postgres = null;
            stopping.close();
        }
    }

    synchronized void startKafka() throws Exception {
        if (kafka != null) {
            return;
        }
        Path dir = data.resolve("kafka");
        boolean formatted = Files.exists(dir) && containsMetaProperties(dir);
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBaseDirectory(dir)
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
        KafkaClusterTestKit started = new KafkaClusterTestKit.Builder(nodes)
                .setDeleteOnClose(false)
                .setConfigProp("listeners", broker + "://localhost:0," + controller + "://localhost:0,"
                        + CLIENT_LISTENER + "://localhost:" + kafkaPort)
                .setConfigProp("listener.security.protocol.map", broker + ":" + nodes.brokerListenerProtocol().name
                        + "," + controller + ":" + nodes.controllerListenerProtocol().name
                        + "," + CLIENT_LISTENER + ":PLAINTEXT")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        try {
            if (!formatted) {
                started.format();
            }
            started.startup();
            started.waitForReadyBrokers();
        } catch (Exception | Error e) {
            closeQuietly(started);
            throw e;
        }
        kafka = started;
    }

    synchronized void stopKafka() throws Exception {
        if (kafka != null) {
            KafkaClusterTestKit stopping = kafka;
            kafka = null;
            stopping.close();
        }
    }

    private Path controlFile(String part) {
        return data.resolve("control").resolve(part + ".stop");
    }

    /** Polls the control directory: a part whose stop file appears is stopped, and started again once it goes. */
    private void watchControl() {
        control = new Thread(() -> {
            while (!closed) {
                try {
                    boolean brokerStop = Files.exists(controlFile("broker"));
                    boolean postgresStop = Files.exists(controlFile("postgres"));
                    if (brokerStop) {
                        stopKafka();
                    } else {
                        startKafka();
                    }
                    if (postgresStop) {
                        stopPostgres();
                    } else {
                        startPostgres();
                    }
                    TimeUnit.MILLISECONDS.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.err.println("standalone: control: " + e);
                    try {
                        TimeUnit.SECONDS.sleep(1);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }, "pagerless-standalone-control");
        control.setDaemon(true);
        control.start();
    }

    /**
     * A run killed with {@code kill -9} leaves its postmaster running (pg_ctl detached it) with the data directory
     * and port: stop it, fast (its clients died with the run). A {@code postmaster.pid} naming a process that is
     * not a postgres (the id was reused after a reboot) is removed, since PostgreSQL would refuse to start.
     */
    static void stopOrphanedPostmaster(Path dir) throws IOException, InterruptedException {
        Optional<Long> pid = postmasterPid(dir);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        boolean postgres = process.flatMap(p -> p.info().command()).map(c -> c.endsWith("postgres")).orElse(false);
        if (process.isPresent() && postgres) {
            System.out.println("standalone: stopping PostgreSQL left running by an earlier run (pid " + pid.get() + ")");
            signal(pid.get(), "CONT"); // in case it was frozen
            signal(pid.get(), "INT"); // fast shutdown
            long deadline = System.nanoTime() + ORPHAN_STOP.toNanos();
            while (process.get().isAlive() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            if (process.get().isAlive()) {
                process.get().destroyForcibly();
                process.get().onExit().join();
            }
        } else if (process.isPresent()) {
            Files.deleteIfExists(dir.resolve("postmaster.pid"));
        }
        // A postmaster.pid of a dead process is PostgreSQL's own to handle: it checks and replaces it.
    }

    private static void signal(long pid, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    }

    private static boolean containsMetaProperties(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().equals("meta.properties"));
        }
    }

    private static void closeQuietly(KafkaClusterTestKit kit) {
        try {
            kit.close();
        } catch (Exception e) {
            System.err.println("standalone: Kafka did not close cleanly: " + e);
        }
    }

    /** Stops the broker, then the database; the data directory stays for the next run. */
    @Override
    public void close() {
        closed = true;
        if (control != null) {
            control.interrupt();
            try {
                control.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            stopKafka();
        } catch (Exception e) {
            System.err.println("standalone: Kafka did not close cleanly: " + e);
        }
        try {
            stopPostgres();
        } catch (Exception e) {
            System.err.println("standalone: PostgreSQL did not close cleanly: " + e);
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            System.err.println("standalone: could not release " + data.resolve("pagerless.lock") + ": " + e);
        }
    }
}
