package org.pagerless.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.pagerless.standalone.EmbeddedInfra;

/**
 * Issue 13's "production jar ready &lt; 3 s once broker and database are up", and what an idle pod costs.
 * <p>
 * Starts a broker and PostgreSQL in this process for each jar and options named (the standalone mode's {@link EmbeddedInfra}, fresh
 * data directories, ports {@code bench.postgres-port + i} and {@code bench.kafka-port + i}: jars with different
 * migrations can alternate, and a loaded start's tasks never slow another's), starts each once so that its database
 * is migrated and seeded (not counted), then
 * starts each jar named on the command line {@code RUNS} times, alternating (jar 1, jar 2, jar 1, …: load on a shared machine
 * falls on both alike), each as a child JVM with {@link AppProcess#productionArgs} (the demo sign-in, never a
 * hospital's settings). For each start: <b>ready</b> (process start to {@code /q/health/ready} answering 200), the
 * JVM's <b>CPU time until ready</b> (user + system, from {@code /proc}: steadier than wall time on a loaded
 * machine), and then, after {@code bench.idle-settle} seconds, over {@code bench.idle-seconds}: the JVM's CPU per
 * second and PostgreSQL's commits per second with nothing to do, and the tables read meanwhile (scans per second,
 * those read at least once in ten seconds). The JVM's idle CPU in the first minute after start is mostly the JIT
 * compiler finishing start-up's work (per-thread figures from {@code /proc/<pid>/task}): use a longer settle time for
 * the steady idle cost. Prints
 * every start and the medians per jar.
 *
 * <pre>./mvnw -B -ntp package -DskipTests
 * ./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.pagerless.bench.StartupBenchmark 5 \
 *     target/quarkus-app/quarkus-run.jar /tmp/before/quarkus-app/quarkus-run.jar</pre>
 * A jar may carry JVM options after {@code ::}, e.g. {@code target/quarkus-app/quarkus-run.jar::-XX:SharedArchiveFile=target/quarkus-app/app-cds.jsa}
 * (options are split on {@code ,}); {@code java=<launcher>} among them runs that jar on another JVM than the
 * benchmark's own or {@code -Dbench.java}'s (e.g. {@code jar::java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}).
 * Every jar runs with the production JVM options ({@code config/jvm.options},
 * {@link AppProcess#productionJvmOptions}) unless its options name an argument file of their own: {@code jar::@/dev/null}
 * runs it with the JVM's defaults. Optional: {@code -Dbench.idle-seconds=20} (0: ready time only),
 * {@code -Dbench.idle-settle=10}, {@code -Dbench.http-port=8094}; {@code -Dbench.load-seconds=30} (default 0: none)
 * offers each start, as soon as it is ready, a closed loop of bleeps end to end ({@link BleepLoop}: each of
 * {@code -Dbench.load-connections=128} sends its next bleep when the last one's offer reaches the holder's live feed),
 * for {@code -Dbench.load-rounds=1} rounds, and reports each round's offers/s, 202 and in-app offer latency: how a
 * fresh pod takes a load (cold, and warm in later rounds). The loop always has its 128 bleeps between POST and offer,
 * so their mean time there is 128 / the rate (Little's law): its in-app latency says how fast the pod routes, not how
 * long a bleep takes at a rate offered — that is {@link IntakeBenchmark}'s open loop. Beside the floor
 * ({@link Floor}) measured on each spec's broker and database before its first run, with each round's CPU per bleep
 * of the app, of PostgreSQL and of this JVM (the broker and the load generator); with
 * {@code -Dpagerless.standalone.postgres-preload=pg_stat_statements}
 * also the statements that took the database's time in each start's last round ({@link StatementTimes}; other rounds:
 * {@code -Dbench.statement-rounds=15,40}; each after a checkpoint: {@code -Dbench.checkpoint=true}). The AOT cache's
 * training ({@code src/main/docker/aot-train.sh}) can run one round ({@code TRAINING_OPTS=-Dbench.load-seconds=60}); it
 * does not by default (docs/benchmarks.md, stop 30).
 */
public final class StartupBenchmark {
    private static final int HTTP_PORT = Integer.getInteger("bench.http-port", 8094);
    /** Seconds of each load round after a start is ready; 0: no load. */
    private static final int LOAD_SECONDS = Integer.getInteger("bench.load-seconds", 0);
    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> specs = args.length > 1 ? Arrays.asList(args).subList(1, args.length)
                : List.of("target/quarkus-app/quarkus-run.jar");
        int idleSeconds = Integer.getInteger("bench.idle-seconds", 20);
        int settleSeconds = Integer.getInteger("bench.idle-settle", 10);
        System.out.println(AppProcess.machine());
        Path data = BenchData.fresh("startup-bench");
        int pg = Integer.getInteger("bench.postgres-port", 15472);
        int kafka = Integer.getInteger("bench.kafka-port", 19132);
        // Each spec (a jar and its options) its own broker and database (ports + i), migrated and seeded by its first
        // start (not counted): jars with different migrations can then alternate for any number of rounds (an older
        // jar's Flyway refuses a newer schema), and the tasks a loaded start leaves (-Dbench.load-seconds: tens of
        // thousands a run; the database's growth measurably slows the next) fall on each spec alike.
        Map<String, EmbeddedInfra> infras = new LinkedHashMap<>();
        try {
            for (String spec : specs) {
                if (!infras.containsKey(spec)) {
                    int i = infras.size();
                    EmbeddedInfra infra = EmbeddedInfra.start(data.resolve("infra-" + i), pg + i, kafka + i);
                    infras.put(spec, infra);
                    try (AppProcess first = start(spec, jvm(infra), data, "migrate-" + i)) {
                        System.out.printf("first start of %s (empty database: migrations, demo seed): ready in %.0f ms%n",
                                spec, first.awaitReadyMillis(10));
                    }
                    if (LOAD_SECONDS > 0) {
                        // The loaded rounds' figures beside the floor on the same broker and database.
                        System.out.println(Floor.measure(infra.bootstrapServers(), infra.jdbcUrl(), "postgres", "postgres",
                                500).describe());
                    }
                }
            }
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            specs.forEach(s -> results.put(s, new ArrayList<>()));
            for (int r = 1; r <= runs; r++) {
                for (String spec : specs) {
                    EmbeddedInfra infra = infras.get(spec);
                    double[] figures = once(spec, jvm(infra), data, infra, idleSeconds, settleSeconds, r);
                    results.get(spec).add(figures);
                }
            }
            System.out.println();
            System.out.println("| jar | starts | ready p50 ms (min–max) | CPU until ready p50 ms | of which main thread "
                    + "p50 | JIT p50 | idle CPU ms/s p50 | idle commits/s p50 | RSS idle MiB p50 |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (var e : results.entrySet()) {
                List<double[]> all = e.getValue();
                System.out.printf("| %s | %d | %.0f (%.0f–%.0f) | %.0f | %.0f | %.0f | %.0f | %.1f | %.0f |%n", e.getKey(),
                        all.size(), median(all, 0), min(all, 0), max(all, 0), median(all, 1), median(all, 5),
                        median(all, 6), median(all, 2), median(all, 3), median(all, 4));
            }
            if (LOAD_SECONDS > 0) {
                System.out.println();
                System.out.println("| jar | starts | first load round: offers/s p50 (min–max) | its in-app p99 ms p50 | "
                        + "last round: offers/s p50 (min–max) | its in-app p99 ms p50 |");
                System.out.println("|---|---|---|---|---|---|");
                for (var e : results.entrySet()) {
                    List<double[]> all = e.getValue();
                    System.out.printf("| %s | %d | %.0f (%.0f–%.0f) | %.0f | %.0f (%.0f–%.0f) | %.0f |%n", e.getKey(),
                            all.size(), median(all, 7), min(all, 7), max(all, 7), median(all, 8), median(all, 9),
                            min(all, 9), max(all, 9), median(all, 10));
                }
            }
        } finally {
            for (EmbeddedInfra infra : infras.values()) {
                infra.close();
            }
        }
        System.out.printf("load average after: %s%n", AppProcess.loadAverage());
    }

    private static List<String> jvm(EmbeddedInfra infra) {
        return AppProcess.productionArgs(HTTP_PORT, infra.jdbcUrl(), infra.bootstrapServers());
    }

    private static AppProcess start(String spec, List<String> jvm, Path data, String name) throws Exception {
        String[] parts = spec.split("::", 2);
        List<String> options = new ArrayList<>();
        String java = AppProcess.APP_JAVA;
        if (parts.length > 1 && !parts[1].isBlank()) {
            for (String option : parts[1].split(",")) {
                if (option.startsWith("java=")) {
                    java = option.substring("java=".length());
                } else {
                    options.add(option);
                }
            }
        }
        options.addAll(jvm);
        return AppProcess.start(java, Path.of(parts[0]).toAbsolutePath(), options, BASE,
                data.resolve("startup-bench-" + name + ".log"));
    }

    /** One start: ready ms, CPU ms until ready, idle CPU ms per s, idle commits per s, idle RSS MiB. */
    private static double[] once(String spec, List<String> jvm, Path data, EmbeddedInfra infra, int idleSeconds,
                                 int settleSeconds, int run) throws Exception {
        String load = AppProcess.loadAverage();
        try (AppProcess app = start(spec, jvm, data, "run" + run)) {
            double ready = app.awaitReadyMillis(10);
            double cpuReady = cpuMillis(app.process.pid());
            Map<String, Double> split = ProcCpu.byThreadGroup(app.process.pid());
            double mainQueued = mainThreadQueuedMillis(app.process.pid());
            double[] bleeps = load(app.process.pid(), infra);
            double idleCpu = Double.NaN;
            double commits = Double.NaN;
            String reads = "";
            if (idleSeconds > 0) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(settleSeconds));
                long c0 = commits(infra);
                Map<String, Long> s0 = tableReads(infra);
                double cpu0 = cpuMillis(app.process.pid());
                long t0 = System.nanoTime();
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(idleSeconds));
                double cpu1 = cpuMillis(app.process.pid());
                long c1 = commits(infra);
                Map<String, Long> s1 = tableReads(infra);
                double seconds = (System.nanoTime() - t0) / 1e9;
                idleCpu = (cpu1 - cpu0) / seconds;
                // Less this program's own statements (one each per sample).
                commits = (c1 - c0 - 3) / seconds;
                reads = busiest(s0, s1, seconds);
            }
            double rss = AppProcess.rssMiB(app.process.pid())[0];
            System.out.printf("%s run %d (load before %s): ready %.0f ms (Quarkus: started in %.3f s), CPU until ready "
                    + "%.0f ms (main %.0f, JIT %.0f, GC %.0f, other %.0f; main thread runnable but waiting for a core %.0f ms); idle: %.0f ms CPU/s, %.1f commits/s, RSS %.0f MiB%s%n",
                    spec, run, load, ready, app.quarkusStartedSeconds(), cpuReady, split.get("main"), split.get("jit"),
                    split.get("gc"), split.get("other"), mainQueued, idleCpu, commits, rss, reads.isEmpty() ? "" : "; reads/s " + reads);
            return new double[] {ready, cpuReady, idleCpu, commits, rss, split.get("main"), split.get("jit"), bleeps[0],
                bleeps[1], bleeps[2], bleeps[3]};
        }
    }

    /**
     * The bleeps a fresh start takes at once: {@code bench.load-rounds} rounds of {@link BleepLoop} for
     * {@code bench.load-seconds} each ({@code bench.load-connections} in flight, each waiting for its offer on the
     * role holder's live feed, open as a phone holds it), each round then waiting (≤ 60 s) for the last offers.
     * Prints each round; returns the first and the last round's offers per second on the feed (from the round's
     * start to its last offer: the rate the pod routed bleeps at, not only took them) and in-app offer p99 (NaN: no load).
     */
    private static double[] load(long pid, EmbeddedInfra infra) throws Exception {
        double[] firstAndLast = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        if (LOAD_SECONDS <= 0) {
            return firstAndLast;
        }
        int rounds = Integer.getInteger("bench.load-rounds", 1);
        int connections = Integer.getInteger("bench.load-connections", 128);
        Set<Integer> counted = statementRounds(rounds);
        HttpClient http = HttpClient.newBuilder().build();
        Map<String, Long> delivered = new ConcurrentHashMap<>();
        try (BleepPosts posts = new BleepPosts(connections);
             LiveFeed feed = LiveFeed.ofFirstHolder(http, BASE, BleepLoop.ROLE, delivered)) {
            for (int round = 1; round <= rounds; round++) {
                if (counted.contains(round)) {
                    StatementTimes.reset(infra);
                }
                double cpu0 = cpuMillis(pid);
                long pg0 = ProcCpu.postgresTicks(infra);
                long own0 = ProcCpu.ticks(ProcessHandle.current().pid());
                BleepLoop.Result r = BleepLoop.run(posts, List.of(BASE), connections, LOAD_SECONDS, "startup bench", feed);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!delivered.keySet().containsAll(r.sentAt().keySet()) && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
                Stats delivery = r.delivery(delivered);
                double offered = r.offeredPerSecond(delivered);
                System.out.printf("  load round %d (%d in flight, %d s): %d accepted (%.0f/s), %d refused; offers on the "
                        + "feed %.0f/s (to the last); 202 p50 %.0f ms, p99 %.0f ms; in-app offer p50 %.0f ms, p99 %.0f ms, "
                        + "not received %d; CPU ms/bleep: app %.2f, PostgreSQL %.2f, this JVM (broker and load) %.2f; "
                        + "live feed closes so far %d%n", round, connections,
                        LOAD_SECONDS, r.accepted(), r.perSecond(), r.refused(), offered, r.accept().percentileMillis(50),
                        r.accept().percentileMillis(99),
                        delivery.percentileMillis(50), delivery.percentileMillis(99), r.accepted() - delivery.count(),
                        (cpuMillis(pid) - cpu0) / Math.max(1, r.accepted()),
                        (ProcCpu.postgresTicks(infra) - pg0) * 10.0 / Math.max(1, r.accepted()),
                        (ProcCpu.ticks(ProcessHandle.current().pid()) - own0) * 10.0 / Math.max(1, r.accepted()),
                        feed.closes.get());
                feed.sayIfHoldersChanged(BASE);
                if (round == 1) {
                    firstAndLast[0] = offered;
                    firstAndLast[1] = delivery.percentileMillis(99);
                }
                firstAndLast[2] = offered;
                firstAndLast[3] = delivery.percentileMillis(99);
                if (counted.contains(round)) {
                    StatementTimes.print(infra, "  round " + round, 12);
                }
            }
        }
        return firstAndLast;
    }

    /** The rounds whose statements {@link StatementTimes} prints: {@code -Dbench.statement-rounds=15,40}; the last. */
    private static Set<Integer> statementRounds(int rounds) {
        String listed = System.getProperty("bench.statement-rounds", String.valueOf(rounds));
        return Arrays.stream(listed.split(",")).map(String::trim).map(Integer::valueOf).collect(Collectors.toSet());
    }

    /** user + system CPU of a process so far, in ms ({@link ProcCpu#ticks}: 100 ticks a second). */
    private static double cpuMillis(long pid) {
        return ProcCpu.ticks(pid) * 10.0;
    }

    /**
     * How long the main thread has been runnable but not running (waiting for a core: the JIT and the app's other
     * threads had them), in ms, from {@code /proc/<pid>/task/<tid>/schedstat} (its second field); NaN where the
     * kernel does not keep it. With the main thread's CPU, what is left of its time is what it waited on (I/O,
     * another thread).
     */
    static double mainThreadQueuedMillis(long pid) {
        double queued = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).equals("java")) {
                        queued += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]) / 1e6;
                    }
                } catch (Exception threadGone) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        return queued;
    }

    private static long commits(EmbeddedInfra infra) throws Exception {
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "postgres");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select xact_commit from pg_stat_database where datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Sequential and index scans so far, per table. */
    private static Map<String, Long> tableReads(EmbeddedInfra infra) throws Exception {
        Map<String, Long> reads = new HashMap<>();
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "postgres");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) "
                     + "from pg_stat_user_tables")) {
            while (rs.next()) {
                reads.put(rs.getString(1), rs.getLong(2));
            }
        }
        return reads;
    }

    /** The tables scanned at least once in ten seconds over the span, with their scans per second, busiest first. */
    private static String busiest(Map<String, Long> before, Map<String, Long> after, double seconds) {
        StringBuilder out = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / seconds))
                .filter(e -> e.getValue() >= 0.1)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.append(out.length() == 0 ? "" : ", ").append(e.getKey())
                        .append(String.format(" %.1f", e.getValue())));
        return out.toString();
    }

    private static double median(List<double[]> all, int i) {
        double[] v = all.stream().mapToDouble(a -> a[i]).sorted().toArray();
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<double[]> all, int i) {
        return all.stream().mapToDouble(a -> a[i]).min().orElse(Double.NaN);
    }

    private static double max(List<double[]> all, int i) {
        return all.stream().mapToDouble(a -> a[i]).max().orElse(Double.NaN);
    }
}
