package org.pagerless.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.pagerless.standalone.EmbeddedInfra;
import org.pagerless.support.Ports;

/**
 * One instance against two (issue 13's scale-out figures), and where a bleep's CPU and round trips go. Starts Kafka
 * and PostgreSQL in this process ({@link EmbeddedInfra}, fresh data directory, fsync on), then the <b>production jar</b>
 * as one child JVM, and offers a closed loop of {@code connections} concurrent bleeps (urgent, to "Medical SHO
 * On-Call", as switchboard: {@link BleepLoop}) for {@code seconds}; then starts a second child on the same broker and database and runs
 * the same loop spread over both. For each run, after every accepted bleep is offered (the drain):
 * <ul>
 * <li>accepted bleeps/s over the load window, and the time to drain;</li>
 * <li><b>CPU per bleep</b>, less what the same instances used idle over as long a time just before, from {@code /proc}: the app JVMs (user + system), PostgreSQL (the postmaster and its
 * backends), and this JVM (the broker and the load generator together) — CPU time, so it holds on a shared machine
 * where wall-clock figures do not;</li>
 * <li><b>round trips per bleep</b>: PostgreSQL transactions committed and rows inserted/updated
 * ({@code pg_stat_database}), and Kafka records written (end offsets of every topic).</li>
 * </ul>
 *
 * <pre>./mvnw -B -ntp package -DskipTests
 * ./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.pagerless.bench.ScaleOutBenchmark 30 16</pre>
 * Arguments: seconds of load per run (30), concurrent connections (16). {@code -Dbench.jfr=/tmp/scaleout} records each
 * instance with JFR from its start ({@code /tmp/scaleout-1.jfr}, {@code -2.jfr}); {@code -Dbench.instances=1} stops
 * after the one-instance run (a before/after comparison of one change needs no second instance).
 */
public final class ScaleOutBenchmark {
    private static final long TICKS = 100; // USER_HZ: /proc times are in clock ticks of 1/100 s on Linux

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build it first: ./mvnw -B -ntp package -DskipTests");
        }
        System.out.println(AppProcess.machine());
        Path data = BenchData.fresh("scaleout-bench");
        try (EmbeddedInfra infra = EmbeddedInfra.start(data, Ports.free(), Ports.free());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            List<AppProcess> apps = new ArrayList<>();
            try {
                apps.add(start(jar, infra, "1"));
                System.out.printf("instance 1 ready %.0f ms from process start (empty database)%n",
                        apps.get(0).awaitReadyMillis(10));
                run("warm-up, 1 instance", Math.max(5, seconds / 3), connections, apps, infra, admin, false);
                run("1 instance", seconds, connections, apps, infra, admin, true);
                if (Integer.getInteger("bench.instances", 2) < 2) {
                    return;
                }
                apps.add(start(jar, infra, "2"));
                System.out.printf("instance 2 ready %.0f ms from process start (migrated database)%n",
                        apps.get(1).awaitReadyMillis(10));
                run("warm-up, 2 instances", Math.max(5, seconds / 3), connections, apps, infra, admin, false);
                run("2 instances", seconds, connections, apps, infra, admin, true);
            } finally {
                for (AppProcess app : apps) {
                    app.close();
                }
            }
        }
        System.out.printf("load average after: %s%n", AppProcess.loadAverage());
    }

    /** CPU ticks of the app JVMs, PostgreSQL and this JVM; commits, rows inserted, rows updated; Kafka records. */
    private static long[] sample(List<AppProcess> apps, EmbeddedInfra infra, Admin admin) throws Exception {
        long app = 0;
        for (AppProcess a : apps) {
            app += ProcCpu.ticks(a.process.pid());
        }
        long[] db = dbStats(infra);
        return new long[] {app, ProcCpu.postgresTicks(infra), ProcCpu.ticks(ProcessHandle.current().pid()), db[0], db[1], db[2],
            ServerCost.kafkaRecords(admin), System.nanoTime()};
    }

    private static void run(String label, int seconds, int connections, List<AppProcess> apps, EmbeddedInfra infra,
            Admin admin, boolean print) throws Exception {
        // Idle first, as long as the load: what the instances cost with no bleeps (engine ticks, polls), to subtract.
        long[] idle0 = sample(apps, infra, admin);
        if (print) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
        }
        long[] idle1 = sample(apps, infra, admin);
        long[] s0 = sample(apps, infra, admin);
        long t0 = System.nanoTime();
        BleepLoop.Result load;
        try (BleepPosts posts = new BleepPosts(connections)) {
            load = BleepLoop.run(posts, apps.stream().map(a -> a.base).toList(), connections, seconds,
                    "scale-out bench", null);
        }
        String mark = load.mark();
        long offered;
        long drainDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        do {
            offered = scalar(infra, "select count(distinct e.task_id) from task_event e join task t on t.id = e.task_id "
                    + "where e.type = 'TaskOffered' and t.state::text like '%scale-out bench " + mark + " %'");
        } while (offered < load.accepted() && System.nanoTime() < drainDeadline && pause());
        double drained = (System.nanoTime() - t0) / 1e9;
        long[] s1 = sample(apps, infra, admin);
        if (!print) {
            // Counted all the same: a flight recording from the start spans the warm-up too.
            System.out.printf("%s: accepted %d, offered %d%n", label, load.accepted(), offered);
            return;
        }
        long n = Math.max(1, load.accepted());
        // The idle rate over the loaded span (load + drain), taken off before dividing by the bleeps.
        double scale = (s1[7] - s0[7]) / (double) Math.max(1, idle1[7] - idle0[7]);
        double[] per = new double[7];
        for (int i = 0; i < 7; i++) {
            per[i] = ((s1[i] - s0[i]) - scale * (idle1[i] - idle0[i])) / n;
        }
        double idleSeconds = (idle1[7] - idle0[7]) / 1e9;
        double msPerTick = 1000.0 / TICKS;
        System.out.printf("%n%s: %d connections for %d s, load average after %s%n", label, connections, seconds,
                AppProcess.loadAverage());
        System.out.printf("  accepted %d (%.0f/s over %.1f s), refused %d; offered %d, all offered %.1f s after the start%n",
                load.accepted(), load.perSecond(), load.seconds(), load.refused(), offered, drained);
        System.out.printf("  idle, per second: app JVM(s) %.0f ms CPU, PostgreSQL %.0f ms, this JVM %.0f ms; %.1f commits%n",
                (idle1[0] - idle0[0]) * msPerTick / idleSeconds, (idle1[1] - idle0[1]) * msPerTick / idleSeconds,
                (idle1[2] - idle0[2]) * msPerTick / idleSeconds, (idle1[3] - idle0[3]) / idleSeconds);
        System.out.printf("  CPU per bleep (idle rate taken off): app JVM(s) %.2f ms, PostgreSQL %.2f ms, broker + load "
                + "generator %.2f ms%n", per[0] * msPerTick, per[1] * msPerTick, per[2] * msPerTick);
        System.out.printf("  per bleep (idle rate taken off): PostgreSQL commits %.2f, rows inserted %.1f, rows updated %.1f; "
                + "Kafka records %.1f%n", per[3], per[4], per[5], per[6]);
    }

    private static boolean pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        return true;
    }

    private static AppProcess start(Path jar, EmbeddedInfra infra, String name) throws Exception {
        int port = Ports.free();
        List<String> args = new ArrayList<>(AppProcess.productionArgs(port, infra.jdbcUrl(), infra.bootstrapServers()));
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null) {
            // A flight recording per instance from its start (start-up and load), written when it stops.
            args.add("-XX:StartFlightRecording=filename=" + jfr + "-" + name + ".jfr,settings=profile");
        }
        return AppProcess.start(jar, args, "http://127.0.0.1:" + port, jar.getParent().getParent()
                .resolve("scale-out-bench-app-" + name + ".log"));
    }

    /** Transactions committed, rows inserted, rows updated in the database so far. */
    private static long[] dbStats(EmbeddedInfra infra) throws Exception {
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "postgres");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select xact_commit, tup_inserted, tup_updated from pg_stat_database "
                     + "where datname = current_database()")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    private static long scalar(EmbeddedInfra infra, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "postgres");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private ScaleOutBenchmark() {
    }
}
