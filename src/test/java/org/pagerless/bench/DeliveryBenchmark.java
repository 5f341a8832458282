package org.pagerless.bench;

import java.io.FileInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.pagerless.support.FakePushService;
import org.pagerless.support.FakeTwilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Deliveries per second and intake → first delivery attempt latency through Web Push and through Twilio SMS,
 * each on its own, beside the floor measured in the same run. Starts the test tree's fake Twilio (fixed
 * loopback port) and fake push service (any loopback port; it checks every push's VAPID token and decrypts
 * it as a browser would) in this process, then the packaged standalone Pagerless as a child process pointed
 * at them (Twilio account, token, sender and API base URL as system properties; push endpoints on
 * http://127.0.0.1 allowed; the standalone profile's demo VAPID key pair), on its own ports. Each doctor
 * holding "Medical SHO On-Call" (two holders) now or in the next half hour registers one push subscription
 * on the fake push service, as that doctor, and it is retired at the end. Then stat bleeps go to the role at
 * fixed rates; stat pushes and texts go at once (ladder {@code in-app@0s,push@0s,sms@0s,voice@0s}) and are
 * never rate-limited or bundled, so every bleep makes one push and one text per holder. Latency per channel
 * = POST sent → the fake receives the first push (or text) carrying the task's ref (the dispatcher's first
 * attempt on that channel). The drain ends once every bleep has its first push and its first text (or after
 * 60 s); then every bleep is cancelled, and deliveries not yet at a fake are not counted. Loopback only;
 * bounded in count and time; the child is stopped at the end.
 * <p>
 * As a hospital runs it (since 2026-12-02, branch {@code statpush}): the app's public URL is its own address, so the
 * voice step places a call on the fake and texts ask for status callbacks, and the fake reports back as a carrier
 * would ({@link FakeTwilio#reportLikeACarrier}: texts sent, delivered; calls answered with the TwiML fetched and
 * reported by the status events the call asked for; every webhook signed). {@code -Dbench.carrier=false}: no public URL, as before (the voice
 * step fails "not configured", no callbacks). A warm-up ({@code -Dbench.warmup=COUNT@RATE}, default 400 at 20/s)
 * and after every rate a barrier ({@link #settle}): nothing due or in flight in the outbox, every bleep cancelled,
 * nothing left for the carrier to report, so no rate pays for an earlier one's work. The provider's allowance and
 * the senders' places: {@code -Dbench.sms-allowance}, {@code -Dbench.voice-allowance}, {@code -Dbench.sms-workers},
 * {@code -Dbench.voice-workers} (the app's {@code pagerless.delivery.*} settings; unset: the app's defaults).
 * The cost table up to each barrier also counts PostgreSQL's WAL records and flushes (fsyncs) per bleep, and with
 * {@code -Dbench.statements=true} statements per bleep and the statements that took the database longest per rate (pg_stat_statements,
 * loaded by restarting the app's PostgreSQL once before the warm-up).
 * Stat first under an allowance: {@code -Dbench.mixed=K} also raises K urgent bleeps with every stat bleep, their
 * ladder texting at once, and reports per rate how long their SMS rows and the stat ones waited to be claimed, e.g.
 * {@code -Dbench.mixed=2 -Dbench.sms-allowance=8 ... DeliveryBenchmark 2 100}.
 *
 * <pre>./mvnw -B -ntp -Pstandalone package -DskipTests
 * ./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.pagerless.bench.DeliveryBenchmark 5,20,50 200</pre>
 */
public final class DeliveryBenchmark {
    private static final String ROLE = "Medical SHO On-Call";
    private static final String ROLE_ID = "med-sho-oncall";
    private static final String SWITCHBOARD = "sam.patel";
    private static final int HTTP_PORT = Integer.getInteger("bench.http-port", 8091);
    private static final int TWILIO_PORT = Integer.getInteger("bench.twilio-port", 18089);
    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SMS_REF = Pattern.compile("ref ([0-9A-F]{6})");
    private static final Pattern PUSH_REF = Pattern.compile("\"ref\":\"([0-9A-F]{6})\"");
    private static final Pattern TASK_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    /** Calls placed and status callbacks as in a hospital ({@code -Dbench.carrier=false}: none, as before 2026-12-02 noon). */
    private static final boolean CARRIER = !"false".equals(System.getProperty("bench.carrier"));
    /** Warm-up before the measured rates, {@code COUNT@RATE} stat bleeps, followed by the barrier ({@link #settle}). */
    private static final String WARMUP = System.getProperty("bench.warmup", "400@20");
    /**
     * {@code -Dbench.statements=true}: the app's PostgreSQL restarted once before the warm-up with pg_stat_statements
     * loaded (and planning tracked), so each rate also reports statements per bleep until its barrier and the statements
     * that took the database longest, with their execution and planning time.
     */
    private static final boolean STATEMENTS = Boolean.getBoolean("bench.statements");
    /**
     * {@code -Dbench.mixed=K}: with every stat bleep, K urgent bleeps to the same role whose ladder texts at once (the
     * child's urgent ladder becomes {@code in-app@0s,push@0s,sms@0s} and the per-number SMS window 0s), so that under a
     * small {@code -Dbench.sms-allowance} stat texts and other texts compete for it: stat should go first.
     */
    private static final int MIXED = Integer.getInteger("bench.mixed", 0);
    /** Per rate, how the mixed-in urgent bleeps' texts fared ({@code -Dbench.mixed}). */
    private static final List<String> mixedRows = new ArrayList<>();
    /** The child's data directory (its PostgreSQL's control file lives there). */
    private static Path data;
    private static FakeTwilio fakeTwilio;
    /** Every bleep (task id) sent so far, for the barrier. */
    private static final List<String> bleeps = Collections.synchronizedList(new ArrayList<>());
    private static org.apache.kafka.clients.admin.Admin kafka;

    public static void main(String[] args) throws Exception {
        int[] rates = java.util.Arrays.stream((args.length > 0 ? args[0] : "5,20,50").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int perRate = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path dir = Path.of("target-standalone").toAbsolutePath();
        Path jar = dir.resolve("quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build it first: ./mvnw -B -ntp -Pstandalone package -DskipTests");
        }
        try (FakeTwilio twilio = new FakeTwilio(BASE, TWILIO_PORT); FakePushService push = new FakePushService()) {
            List<String> command = new ArrayList<>(List.of(AppProcess.APP_JAVA));
            // The production JVM options (config/jvm.options, as the README's run command gives them).
            command.addAll(AppProcess.productionJvmOptions());
            command.addAll(List.of(
                    "-Dquarkus.http.port=" + HTTP_PORT, "-Dquarkus.http.host=127.0.0.1",
                    "-Dpagerless.standalone.postgres-port=" + Integer.getInteger("bench.postgres-port", 15452),
                    "-Dpagerless.standalone.kafka-port=" + Integer.getInteger("bench.kafka-port", 19112),
                    "-Dpagerless.standalone.dir=" + dir,
                    // A fresh hospital for every run: standalone mode keeps its data (ADR 0001).
                    "-Dpagerless.data=" + (data = BenchData.fresh("delivery-bench")),
                    "-Dpagerless.twilio.account-sid=" + FakeTwilio.ACCOUNT_SID,
                    "-Dpagerless.twilio.auth-token=" + FakeTwilio.AUTH_TOKEN,
                    "-Dpagerless.twilio.from=" + FakeTwilio.FROM,
                    "-Dpagerless.twilio.base-url=" + twilio.baseUrl(),
                    // The fake push service is plain HTTP on loopback, as in the %test profile.
                    "-Dpagerless.delivery.push.endpoint-origins=http://127.0.0.1:*",
                    // SNPP and MLLP on any free port: another Pagerless on the machine may hold the defaults.
                    "-Dpagerless.interop.snpp.port=0", "-Dpagerless.interop.mllp.port=0",
                    "-Dquarkus.log.level=WARN"));
            if (CARRIER) {
                // As in a hospital: Twilio reaches the app at its public address (here the app's own port), so calls
                // are placed, texts ask for status callbacks, and the fake reports both back as a carrier would.
                command.add("-Dpagerless.delivery.public-url=" + BASE);
                twilio.reportLikeACarrier(BASE, Integer.getInteger("bench.carrier-threads", 4));
            }
            if (MIXED > 0) {
                command.add("-Dpagerless.delivery.ladder.urgent=in-app@0s,push@0s,sms@0s");
                command.add("-Dpagerless.delivery.sms.rate-window=0s");
            }
            // The provider's allowance and the blocking senders' places, when a run sets them (0 / 4 by default).
            for (String[] o : new String[][] {{"bench.sms-allowance", "pagerless.delivery.sms.allowance-per-second"},
                    {"bench.voice-allowance", "pagerless.delivery.voice.allowance-per-second"},
                    {"bench.sms-workers", "pagerless.delivery.workers.sms"},
                    {"bench.voice-workers", "pagerless.delivery.workers.voice"}}) {
                if (System.getProperty(o[0]) != null) {
                    command.add("-D" + o[1] + "=" + System.getProperty(o[0]));
                }
            }
            // Extra JVM options for the child, e.g. -Dbench.jvm="-XX:StartFlightRecording=filename=/tmp/d.jfr,settings=profile".
            command.addAll(AppProcess.benchJvmOptions());
            command.addAll(List.of("-jar", jar.toString()));
            Process app = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("delivery-bench-app.log").toFile()).start();
            try {
                server = app.toHandle();
                measure(twilio, push, rates, perRate, dir);
                System.out.printf("app JVM after the run (the application and the embedded Kafka broker; PostgreSQL is a "
                        + "process of its own, not counted): %s%n", AppProcess.memory(app.pid(), BASE, SWITCHBOARD));
            } finally {
                app.destroy();
                if (!app.waitFor(30, TimeUnit.SECONDS)) {
                    app.destroyForcibly();
                }
            }
        }
    }

    /** The standalone child (the application and the embedded broker; PostgreSQL runs as its descendant). */
    private static ProcessHandle server;
    /** Its database, for the commit counter. */
    private static Properties database;
    /** Cost per rate, printed after the latency table. */
    private static final List<String> costs = new ArrayList<>();
    /** Cost per rate until its barrier (all its work done), printed after the costs. */
    private static final List<String> settled = new ArrayList<>();
    /** Per rate, the statements that took the database longest until its barrier ({@code -Dbench.statements}). */
    private static final List<String> statementRows = new ArrayList<>();
    /** The server's CPU with nothing to do, ms per s (measured after the warm-up). */
    private static double idleCpuMsPerSecond;
    /** Where the first attempts' time went per rate and channel, printed after the costs. */
    private static final List<String> timelines = new ArrayList<>();

    /**
     * CPU time of the server side so far ({@link ServerCost}: the child JVM and every process under it, and the
     * app database's PostgreSQL, which pg_ctl daemonises out from under it), PostgreSQL's committed transactions in the
     * app's database and its tables' scans: what a run's bleeps cost, whatever the wall clock of a shared machine says.
     */
    private static long[] cost() throws Exception {
        ServerCost server = ServerCost.of(DeliveryBenchmark.server, database.getProperty("jdbc.url"),
                database.getProperty("jdbc.username"), database.getProperty("jdbc.password"));
        long cpu = server.cpuNanos();
        long commits = server.commits();
        long scans;
        long history;
        try (java.sql.Connection c = connect();
             java.sql.ResultSet rs = c.createStatement().executeQuery(
                     "select sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), coalesce(sum(n_tup_ins) filter "
                             + "(where relname = 'delivery_status_history'), 0) from pg_stat_user_tables")) {
            rs.next();
            scans = rs.getLong(1);
            history = rs.getLong(2);
        }
        // PostgreSQL's statistics reach these views up to half a second late (stats_fetch_consistency aside): a
        // run's last statements may count towards the next; over 200 bleeps that is noise.
        long[] wal = wal();
        return new long[] {cpu, commits, scans, server.inserted(), server.updated(), history,
                ServerCost.kafkaRecords(kafka), fakeTwilio.received().size(), fakeTwilio.calls().size(),
                fakeTwilio.webhooksAnswered(), fakeTwilio.webhooksRefused(), wal[0], wal[1], wal[2]};
    }

    /**
     * PostgreSQL's WAL records and WAL flushes (fsyncs) so far, cluster-wide (pg_stat_wal: the app's database is the
     * only busy one), and the statements run in the app's database ({@code -Dbench.statements}, else 0).
     */
    private static long[] wal() throws Exception {
        try (java.sql.Connection c = connect();
             java.sql.ResultSet rs = c.createStatement().executeQuery("select wal_records, wal_sync, "
                     + (STATEMENTS ? "(select coalesce(sum(calls), 0) from pg_stat_statements where dbid = "
                     + "(select oid from pg_database where datname = current_database()))" : "0") + " from pg_stat_wal")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    /**
     * Calls, execution and planning time (ms) so far per statement text in the app's database (pg_stat_statements), for
     * {@link #topStatements}.
     */
    private static Map<String, double[]> statements() throws Exception {
        Map<String, double[]> calls = new HashMap<>();
        if (!STATEMENTS) {
            return calls;
        }
        try (java.sql.Connection c = connect();
             java.sql.ResultSet rs = c.createStatement().executeQuery("select query, sum(calls), sum(total_exec_time), sum(total_plan_time), sum(plans) "
                     + "from pg_stat_statements where dbid = (select oid from pg_database where datname = "
                     + "current_database()) group by query")) {
            while (rs.next()) {
                calls.merge(rs.getString(1), new double[] {rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5)},
                        (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]});
            }
        }
        return calls;
    }

    /**
     * The {@code limit} statements that took the database the longest (execution and planning) between two
     * {@link #statements} readings: calls, plans, execution ms and planning ms per bleep (wall clock in the backend: on a busy
     * box it includes waiting for a core).
     */
    private static List<String> topStatements(int rate, Map<String, double[]> before, Map<String, double[]> after,
                                              double n, int limit) {
        return after.entrySet().stream()
                .map(e -> {
                    double[] b = before.getOrDefault(e.getKey(), new double[4]);
                    return Map.entry(e.getKey(), new double[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1],
                            e.getValue()[2] - b[2], e.getValue()[3] - b[3]});
                })
                .filter(e -> e.getValue()[0] > 0)
                .sorted((x, y) -> Double.compare(y.getValue()[1] + y.getValue()[2], x.getValue()[1] + x.getValue()[2]))
                .limit(limit)
                .map(e -> {
                    String sql = e.getKey().replaceAll("\\s+", " ").replace("|", "\\|");
                    return String.format("| %d | %.2f | %.2f | %.3f | %.3f | `%s` |", rate, e.getValue()[0] / n,
                            e.getValue()[3] / n, e.getValue()[1] / n, e.getValue()[2] / n,
                            sql.substring(0, Math.min(160, sql.length())));
                })
                .toList();
    }

    /**
     * Restarts the app's PostgreSQL with pg_stat_statements loaded, through the standalone's control file (as the
     * fault-injection harness stops it), and waits until the app is ready again.
     */
    private static void loadStatementStatistics(HttpClient http) throws Exception {
        try (java.sql.Connection c = connect()) {
            c.createStatement().execute("alter system set shared_preload_libraries = 'pg_stat_statements'");
        }
        Path stop = data.resolve("control").resolve("postgres.stop");
        Files.createDirectories(stop.getParent());
        Files.createFile(stop);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
        Files.delete(stop);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try (java.sql.Connection c = connect()) {
                c.createStatement().execute("create extension if not exists pg_stat_statements");
                // Planning too (known once the library is loaded): a statement planned afresh at every execution
                // shows its planning time apart.
                c.createStatement().execute("alter system set pg_stat_statements.track_planning = on");
                c.createStatement().execute("select pg_reload_conf()");
                break;
            } catch (java.sql.SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
        }
        awaitReady(http);
        System.out.println("pg_stat_statements loaded (PostgreSQL restarted once before the warm-up)");
    }

    /** A delivery as the fake at the far end saw it: the task's ref it carried, and when it arrived. */
    private record Arrival(String ref, Instant at) {
    }

    /** One channel: everything its fake received so far, oldest first (an append-only list). */
    private record Channel(String name, Supplier<List<Arrival>> arrivals) {
    }

    /**
     * For a bleep with no arrival: whether its fake holds one anyway (before this rate's first index, or none at all),
     * and what this rate's arrivals carried that matched no bleep — a page lost and a miscount read differently.
     */
    private static void unmatched(Channel channel, int before, Set<String> sent, Set<String> arrived) {
        List<Arrival> all = channel.arrivals().get();
        for (String ref : sent) {
            if (!arrived.contains(ref)) {
                List<Integer> at = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    if (ref.equals(all.get(i).ref())) {
                        at.add(i);
                    }
                }
                System.out.printf("  %s: no %s for ref %s since index %d; arrivals with that ref at indexes %s%n",
                        channel.name(), channel.name(), ref, before, at);
            }
        }
        all.subList(before, all.size()).stream().filter(a -> a.ref() == null || !sent.contains(a.ref()))
                .limit(5).forEach(a -> System.out.printf("  %s: an arrival of this rate matched no bleep: ref %s at %s%n",
                        channel.name(), a.ref(), a.at()));
    }

    private static Arrival arrival(Pattern ref, String carrier, Instant at) {
        Matcher m = ref.matcher(carrier == null ? "" : carrier);
        return new Arrival(m.find() ? m.group(1) : null, at);
    }

    private static void measure(FakeTwilio twilio, FakePushService push, int[] rates, int perRate, Path dir)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().build();
        awaitReady(http);
        Properties infra = new Properties();
        try (FileInputStream in = new FileInputStream(dir.resolve("standalone.properties").toFile())) {
            infra.load(in);
        }
        database = infra;
        fakeTwilio = twilio;
        kafka = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
                infra.getProperty("kafka.bootstrap.servers")));
        System.out.println(AppProcess.machine());
        Floor floor = Floor.measure(infra.getProperty("kafka.bootstrap.servers"), infra.getProperty("jdbc.url"),
                infra.getProperty("jdbc.username"), infra.getProperty("jdbc.password"), 500);
        System.out.println(floor.describe());
        if (STATEMENTS) {
            loadStatementStatistics(http);
        }

        List<Channel> channels = List.of(
                new Channel("push", () -> push.received().stream().map(p -> arrival(PUSH_REF, p.payload(), p.at())).toList()),
                new Channel("sms", () -> twilio.received().stream().map(s -> arrival(SMS_REF, s.body(), s.at())).toList()));
        Map<String, String> subscriptions = subscribeHolders(http, push);
        try {
            String[] warm = WARMUP.split("@");
            // Warm-up (JIT, pools, consumer groups), then a barrier: its work all done before anything is measured.
            run(http, channels, Integer.parseInt(warm[1]), Integer.parseInt(warm[0]));
            costs.clear();
            settled.clear();
            timelines.clear();
            statementRows.clear();
            mixedRows.clear();
            // Idle: what the server costs with nothing to do (after the warm-up's work has settled).
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
            long[] idleFrom = cost();
            long idleStart = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(10));
            long[] idleTo = cost();
            double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
            idleCpuMsPerSecond = (idleTo[0] - idleFrom[0]) / 1e6 / idleSeconds;
            System.out.printf("idle (%.0f s, nothing sent): server CPU %.1f ms/s, PostgreSQL commits %.2f/s, table scans %.1f/s%n",
                    idleSeconds, (idleTo[0] - idleFrom[0]) / 1e6 / idleSeconds, (idleTo[1] - idleFrom[1]) / idleSeconds,
                    (idleTo[2] - idleFrom[2]) / idleSeconds);
            System.out.println();
            System.out.println("| rate (stat bleeps/s) | channel | bleeps | deliveries received | deliveries/s | first attempt p50 ms | p95 ms | p99 ms | max ms | p50 / floor | p99 / floor | load avg after |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
            List<List<Result>> results = new ArrayList<>();
            List<String> loads = new ArrayList<>();
            for (int rate : rates) {
                results.add(run(http, channels, rate, perRate));
                loads.add(AppProcess.loadAverage());
            }
            for (int i = 0; i < rates.length; i++) {
                int rate = rates[i];
                for (Result r : results.get(i)) {
                    System.out.printf("| %d | %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f× | %.1f× | %s |%n", rate,
                            r.channel, r.sent, r.received, r.perSecond, r.latency.percentileMillis(50),
                            r.latency.percentileMillis(95), r.latency.percentileMillis(99), r.latency.maxMillis(),
                            r.latency.percentileMillis(50) / floor.millis(50), r.latency.percentileMillis(99) / floor.millis(99),
                            loads.get(i));
                }
            }
            System.out.println();
            System.out.println("| rate (stat bleeps/s) | bleeps | server CPU s | CPU ms per bleep | CPU ms per delivery (push + text) | PostgreSQL commits per bleep | table scans per bleep | rows inserted per bleep | rows updated per bleep | history rows per bleep |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            costs.forEach(System.out::println);
            System.out.println();
            System.out.println("| rate (stat bleeps/s) | bleeps | s until the barrier | server CPU ms per bleep until the barrier | less idle | PostgreSQL commits per bleep | WAL records per bleep | WAL flushes per bleep | statements per bleep | Kafka records per bleep | texts per bleep | calls placed per bleep | carrier webhooks answered per bleep (refused) | texts / calls in the busiest second |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            settled.forEach(System.out::println);
            if (MIXED > 0) {
                System.out.println();
                System.out.println("| rate (stat bleeps/s) | urgent bleeps sent with them | urgent SMS rows | claimed by the drain's end | urgent SMS row → claimed p50 / p99 ms | stat SMS row → claimed p50 / p99 ms | texts / calls in the busiest second |");
                System.out.println("|---|---|---|---|---|---|---|");
                mixedRows.forEach(System.out::println);
            }
            if (STATEMENTS) {
                System.out.println();
                System.out.println("| rate (stat bleeps/s) | calls per bleep until the barrier | plans per bleep | execution ms per bleep | planning ms per bleep | statement (pg_stat_statements, first 160 characters) |");
                System.out.println("|---|---|---|---|---|---|");
                statementRows.forEach(System.out::println);
            }
            System.out.println();
            System.out.println("| rate (stat bleeps/s) | channel | outbox rows | POST → offered p50 / p99 ms | offered → outbox row | outbox row → claimed | claimed → first arrival | offered → first arrival (the goal's \"stat offer → first push attempt\") | claims | rows per claim |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            timelines.forEach(System.out::println);
            System.out.printf("%nserver CPU: the child JVM (application + embedded Kafka) and the PostgreSQL processes under it, "
                    + "from the first bleep sent to the last first delivery; a stat bleep to two holders makes 8 outbox rows "
                    + "(in-app, push, SMS, voice each) and the commits include intake, the task processor and the planner; table "
                    + "scans = sequential + index scans of all the app's tables (pg_stat_user_tables), a proxy for statements.%n");
            System.out.printf("%npushes decrypted by the fake push service: %d; refused (VAPID or encryption): %d %s%n",
                    push.received().size(), push.refused().size(), new LinkedHashSet<>(push.refused()));
        } finally {
            retire(http, subscriptions);
        }
    }

    /**
     * One phone per doctor who holds the role now or in the next half hour (a shift may change during the
     * run), each subscribed on the fake push service and registered as that doctor. Subscription id → doctor.
     */
    private static Map<String, String> subscribeHolders(HttpClient http, FakePushService push) throws Exception {
        Set<String> doctors = new LinkedHashSet<>();
        for (Instant at : List.of(Instant.now(), Instant.now().plusSeconds(1800))) {
            HttpResponse<String> holders = http.send(request(SWITCHBOARD, "/api/v1/roles/" + ROLE_ID + "/holders?at="
                    + URLEncoder.encode(at.toString(), StandardCharsets.UTF_8)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (holders.statusCode() != 200) {
                throw new IllegalStateException("holders of " + ROLE_ID + ": HTTP " + holders.statusCode());
            }
            JSON.readTree(holders.body()).forEach(h -> doctors.add(h.get("id").asText()));
        }
        Map<String, String> registered = new LinkedHashMap<>();
        for (String doctor : doctors) {
            FakePushService.Subscription phone = push.subscribe();
            HttpResponse<String> r = http.send(post(doctor, "/api/v1/me/push-subscriptions",
                    JSON.writeValueAsString(phone.json())), HttpResponse.BodyHandlers.ofString());
            JsonNode view = r.statusCode() == 201 ? JSON.readTree(r.body()) : null;
            if (view == null) {
                throw new IllegalStateException("push subscription for " + doctor + ": HTTP " + r.statusCode() + " " + r.body());
            }
            registered.put(view.get("id").asText(), doctor);
        }
        System.out.printf("push subscriptions on the fake push service (%s): %s%n", push.origin(), doctors);
        return registered;
    }

    private static void retire(HttpClient http, Map<String, String> subscriptions) throws Exception {
        for (Map.Entry<String, String> s : subscriptions.entrySet()) {
            http.send(request(s.getValue(), "/api/v1/me/push-subscriptions/" + s.getKey()).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private record Result(String channel, int sent, int received, double perSecond, Stats latency) {
    }

    /** Sends {@code count} stat bleeps at {@code rate}, waits (≤ 60 s) for every channel's first attempt, one result per channel. */
    private static List<Result> run(HttpClient http, List<Channel> channels, int rate, int count) throws Exception {
        int[] before = channels.stream().mapToInt(c -> c.arrivals().get().size()).toArray();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(256);
        AtomicInteger failures = new AtomicInteger();
        String body = "{\"to\":{\"role\":\"" + ROLE + "\"},\"callback\":\"4417\",\"message\":\"bench\",\"priority\":\"stat\"}";
        String urgentBody = body.replace("\"stat\"", "\"urgent\"");
        Map<String, Long> urgentSentAt = new ConcurrentHashMap<>();
        long[] costBefore = cost();
        Map<String, double[]> statementsBefore = statements();
        long start = System.nanoTime();
        Instant wallStart = Instant.now();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            Pace.until(start, i, interval);
            inFlight.acquire();
            raise(http, body, inFlight, failures, ids, sentAt);
            for (int k = 0; k < MIXED; k++) {
                inFlight.acquire();
                raise(http, urgentBody, inFlight, failures, ids, urgentSentAt);
            }
        }
        inFlight.acquire(256);
        inFlight.release(256);

        // Per channel: ref → earliest arrival (the first attempt), and how many of this run's deliveries arrived.
        List<Map<String, Long>> first = new ArrayList<>();
        int[] received = new int[channels.size()];
        Instant[] last = new Instant[channels.size()];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean complete = false;
        while (!complete) {
            first.clear();
            complete = true;
            for (int c = 0; c < channels.size(); c++) {
                Map<String, Long> earliest = new HashMap<>();
                List<Arrival> all = channels.get(c).arrivals().get(); // a copy: deliveries keep arriving meanwhile
                received[c] = 0;
                last[c] = wallStart;
                for (Arrival a : all.subList(before[c], all.size())) {
                    if (a.ref() != null && sentAt.containsKey(a.ref())) {
                        earliest.merge(a.ref(), nanos(a.at()), Math::min);
                        received[c]++;
                        last[c] = a.at().isAfter(last[c]) ? a.at() : last[c];
                    }
                }
                first.add(earliest);
                complete &= earliest.keySet().containsAll(sentAt.keySet());
            }
            if (!complete && System.nanoTime() >= deadline) {
                break;
            }
            if (!complete) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        long[] costAfter = cost();
        timelines.addAll(timeline(rate, channels, first, sentAt));
        if (MIXED > 0) {
            Stats[] urgent = smsClaimed(urgentSentAt.keySet());
            Stats[] stat = smsClaimed(sentAt.keySet());
            mixedRows.add(String.format("| %d | %d | %d | %d | %.0f / %.0f | %.0f / %.0f | %d / %d |", rate,
                    urgentSentAt.size(), urgent[0].count(), urgent[1].count(), urgent[1].percentileMillis(50),
                    urgent[1].percentileMillis(99), stat[1].percentileMillis(50), stat[1].percentileMillis(99),
                    busiestSecond(fakeTwilio.received().stream().map(FakeTwilio.Sms::at).toList(), wallStart),
                    busiestSecond(fakeTwilio.calls().stream().map(FakeTwilio.Call::at).toList(), wallStart)));
        }
        cancel(http, ids);
        bleeps.addAll(ids);
        int delivered = java.util.Arrays.stream(received).sum();
        double cpuMs = (costAfter[0] - costBefore[0]) / 1e6;
        double n = Math.max(1, count);
        costs.add(String.format("| %d | %d | %.1f | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f |", rate, count,
                cpuMs / 1000, cpuMs / Math.max(1, count), cpuMs / Math.max(1, delivered),
                (costAfter[1] - costBefore[1]) / (double) Math.max(1, count),
                (costAfter[2] - costBefore[2]) / (double) Math.max(1, count),
                (costAfter[3] - costBefore[3]) / (double) Math.max(1, count),
                (costAfter[4] - costBefore[4]) / (double) Math.max(1, count),
                (costAfter[5] - costBefore[5]) / (double) Math.max(1, count)));
        // Everything the rate's bleeps caused: their texts, calls and carrier reports, and their cancellations.
        settle("after " + rate + "/s");
        long[] done = cost();
        double doneSeconds = (System.nanoTime() - start) / 1e9;
        double doneCpuMs = (done[0] - costBefore[0]) / 1e6;
        statementRows.addAll(topStatements(rate, statementsBefore, statements(), n, 15));
        settled.add(String.format("| %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %.1f | %.2f | %.2f | %.1f (%d) | %d / %d |", rate,
                count, doneSeconds, doneCpuMs / n, (doneCpuMs - idleCpuMsPerSecond * doneSeconds) / n,
                (done[1] - costBefore[1]) / n, (done[11] - costBefore[11]) / n, (done[12] - costBefore[12]) / n,
                STATEMENTS ? String.format("%.1f", (done[13] - costBefore[13]) / n) : "–", (done[6] - costBefore[6]) / n, (done[7] - costBefore[7]) / n,
                (done[8] - costBefore[8]) / n, (done[9] - costBefore[9]) / n, done[10] - costBefore[10],
                busiestSecond(fakeTwilio.received().stream().map(FakeTwilio.Sms::at).toList(), wallStart),
                busiestSecond(fakeTwilio.calls().stream().map(FakeTwilio.Call::at).toList(), wallStart)));

        List<Result> results = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            Stats latency = new Stats();
            Map<String, Long> earliest = first.get(c);
            sentAt.forEach((ref, sent) -> {
                Long at = earliest.get(ref);
                if (at != null) {
                    latency.add(Math.max(0, at - sent));
                }
            });
            String name = channels.get(c).name();
            if (failures.get() > 0 || latency.count() < sentAt.size()) {
                System.out.printf("rate %d, %s: %d requests failed, %d of %d bleeps had no %s within 60 s%n", rate, name,
                        failures.get(), sentAt.size() - latency.count(), sentAt.size(), name);
                unmatched(channels.get(c), before[c], sentAt.keySet(), earliest.keySet());
            }
            double seconds = Math.max(0.001, (last[c].toEpochMilli() - wallStart.toEpochMilli()) / 1000.0);
            results.add(new Result(name, count, received[c], received[c] / seconds, latency));
        }
        return results;
    }

    /**
     * Where a first attempt's time went, per channel, from the outbox rows of this rate's bleeps and their status
     * history (app clock = wall clock, one machine): POST → offer (the row's due time: the ladder's first steps are due
     * when offered), offer → outbox row written, row written → claimed (first {@code sending}), claim → the fake's first
     * arrival for the bleep; and how many claims took the rows (distinct claim instants). Gaps, not wall-clock load:
     * a row waiting for its claim while the lane is free shows here whatever else the machine does.
     */
    private static List<String> timeline(int rate, List<Channel> channels, List<Map<String, Long>> first,
                                         Map<String, Long> sentAt) throws Exception {
        Map<String, Stats[]> stages = new LinkedHashMap<>();
        Map<String, Set<Long>> claimsAt = new HashMap<>();
        Map<String, Map<String, Long>> claimedOf = new HashMap<>();
        Map<String, Map<String, Long>> offeredOf = new HashMap<>();
        try (java.sql.Connection c = connect();
             java.sql.PreparedStatement ps = c.prepareStatement("select d.ref, d.channel, d.due_at, d.created_at, "
                     + "min(h.at) filter (where h.status = 'sending') from delivery d left join delivery_status_history h "
                     + "on h.delivery_id = d.id where d.ref = any (?) and d.channel in ('push', 'sms') "
                     + "group by d.id, d.ref, d.channel, d.due_at, d.created_at")) {
            ps.setArray(1, c.createArrayOf("text", sentAt.keySet().toArray()));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String ref = rs.getString(1);
                    String channel = rs.getString(2);
                    long due = nanos(rs.getObject(3, java.time.OffsetDateTime.class).toInstant());
                    long created = nanos(rs.getObject(4, java.time.OffsetDateTime.class).toInstant());
                    java.time.OffsetDateTime claimedAt = rs.getObject(5, java.time.OffsetDateTime.class);
                    Stats[] s = stages.computeIfAbsent(channel, k -> new Stats[] {new Stats(), new Stats(), new Stats(), new Stats()});
                    s[0].add(Math.max(0, due - sentAt.get(ref)));
                    s[1].add(Math.max(0, created - due));
                    offeredOf.computeIfAbsent(channel, k -> new HashMap<>()).merge(ref, due, Math::min);
                    if (claimedAt != null) {
                        long claimed = nanos(claimedAt.toInstant());
                        s[2].add(Math.max(0, claimed - created));
                        claimsAt.computeIfAbsent(channel, k -> new HashSet<>()).add(claimed);
                        claimedOf.computeIfAbsent(channel, k -> new HashMap<>()).merge(ref, claimed, Math::min);
                    }
                }
            }
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            String channel = channels.get(i).name();
            Stats[] s = stages.get(channel);
            if (s == null) {
                continue;
            }
            Map<String, Long> arrived = first.get(i);
            claimedOf.getOrDefault(channel, Map.of()).forEach((ref, claimed) -> {
                Long at = arrived.get(ref);
                if (at != null) {
                    s[3].add(Math.max(0, at - claimed));
                }
            });
            Stats offeredToArrival = new Stats();
            offeredOf.getOrDefault(channel, Map.of()).forEach((ref, offered) -> {
                Long at = arrived.get(ref);
                if (at != null) {
                    offeredToArrival.add(Math.max(0, at - offered));
                }
            });
            int claims = claimsAt.getOrDefault(channel, Set.of()).size();
            StringBuilder row = new StringBuilder(String.format("| %d | %s | %d |", rate, channel, s[0].count()));
            for (Stats stage : s) {
                row.append(String.format(" %.0f / %.0f |", stage.percentileMillis(50), stage.percentileMillis(99)));
            }
            row.append(String.format(" %.0f / %.0f |", offeredToArrival.percentileMillis(50),
                    offeredToArrival.percentileMillis(99)));
            row.append(String.format(" %d | %.1f |", claims, s[2].count() / (double) Math.max(1, claims)));
            rows.add(row.toString());
        }
        return rows;
    }

    /** The most arrivals at or after {@code from} within any one second (a sliding window): the rate the sends were paced to. */
    private static int busiestSecond(List<Instant> arrivals, Instant from) {
        List<Long> at = arrivals.stream().filter(a -> !a.isBefore(from)).map(DeliveryBenchmark::nanos).sorted().toList();
        int most = 0;
        for (int i = 0, j = 0; i < at.size(); i++) {
            while (at.get(i) - at.get(j) >= 1_000_000_000L) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }

    /**
     * The SMS outbox rows of these bleeps (by ref) as they are now: [0] one entry per row, [1] row written → first
     * claimed ({@code sending} in its history) for the rows claimed so far.
     */
    private static Stats[] smsClaimed(Set<String> refs) throws Exception {
        Stats rows = new Stats();
        Stats claimed = new Stats();
        try (java.sql.Connection c = connect();
             java.sql.PreparedStatement ps = c.prepareStatement("select d.created_at, min(h.at) filter (where h.status = "
                     + "'sending') from delivery d left join delivery_status_history h on h.delivery_id = d.id "
                     + "where d.ref = any (?) and d.channel = 'sms' group by d.id, d.created_at")) {
            ps.setArray(1, c.createArrayOf("text", refs.toArray()));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(0);
                    java.time.OffsetDateTime at = rs.getObject(2, java.time.OffsetDateTime.class);
                    if (at != null) {
                        claimed.add(Math.max(0, nanos(at.toInstant())
                                - nanos(rs.getObject(1, java.time.OffsetDateTime.class).toInstant())));
                    }
                }
            }
        }
        return new Stats[] {rows, claimed};
    }

    /**
     * The barrier between a run's bleeps and the next measured rate: waits (at most 3 minutes) until the outbox has
     * nothing due or in flight (no row {@code sending}, none {@code pending} and due), every bleep sent so far is
     * cancelled (its later work withdrawn), and the fake carrier has nothing left to report; twice, half a second
     * apart. What the warm-up or the previous rate left behind then costs nothing in the next one's figures.
     */
    private static void settle(String what) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MINUTES.toNanos(3);
        int quiet = 0;
        long[] left = null;
        while (quiet < 2 && System.nanoTime() < deadline) {
            try (java.sql.Connection c = connect();
                 java.sql.PreparedStatement ps = c.prepareStatement("select (select count(*) from delivery where "
                         + "status = 'sending' or (status = 'pending' and due_at <= now())), (select count(*) from task "
                         + "where id::text = any (?) and lower(status) not in ('cancelled', 'completed', 'failed'))")) {
                ps.setArray(1, c.createArrayOf("text", bleeps.toArray()));
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    left = new long[] {rs.getLong(1), rs.getLong(2), fakeTwilio.reportsPending()};
                }
            }
            quiet = left[0] == 0 && left[1] == 0 && left[2] == 0 ? quiet + 1 : 0;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
        System.out.printf("barrier %s: %s after %.1f s (outbox rows due or sending %d, tasks open %d, carrier reports %d)%n",
                what, quiet >= 2 ? "settled" : "NOT settled", (System.nanoTime() - start) / 1e9, left[0], left[1], left[2]);
    }

    /**
     * Raises one bleep (a permit of {@code inFlight} already taken, given back on the answer): its task id to
     * {@code ids}, its send time on the wall clock (the fakes stamp arrivals with it) to {@code sentAt} by page ref.
     */
    private static void raise(HttpClient http, String body, Semaphore inFlight, AtomicInteger failures,
                              List<String> ids, Map<String, Long> sentAt) {
        Instant wall0 = Instant.now();
        http.sendAsync(post(SWITCHBOARD, "/api/v1/bleeps", body), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    // The permit goes back only once the bleep is recorded: the wait for arrivals starts when every
                    // permit is back, and must see every bleep (a permit given back first let it finish without the
                    // last one, which then counted as never delivered).
                    try {
                        Matcher m = error == null && response.statusCode() == 202 ? TASK_ID.matcher(response.body()) : null;
                        if (m == null || !m.find()) {
                            failures.incrementAndGet();
                            return;
                        }
                        ids.add(m.group(1));
                        sentAt.put(m.group(1).substring(0, 6).toUpperCase(), nanos(wall0));
                    } finally {
                        inFlight.release();
                    }
                });
    }

    /** A connection to the app's PostgreSQL, as the standalone app wrote it down. */
    private static java.sql.Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(database.getProperty("jdbc.url"),
                database.getProperty("jdbc.username"), database.getProperty("jdbc.password"));
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    private static void cancel(HttpClient http, List<String> ids) throws Exception {
        Semaphore inFlight = new Semaphore(32);
        for (String id : List.copyOf(ids)) {
            inFlight.acquire();
            http.sendAsync(post(SWITCHBOARD, "/api/v1/tasks/" + id + "/cancel", "{\"reason\":\"benchmark over\"}"),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> inFlight.release());
        }
        inFlight.acquire(32);
    }

    private static HttpRequest post(String user, String path, String json) {
        return request(user, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static HttpRequest.Builder request(String user, String path) {
        return HttpRequest.newBuilder(URI.create(BASE + path)).header("Authorization", basic(user));
    }

    private static void awaitReady(HttpClient http) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(Integer.getInteger("bench.ready-minutes", 10));
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(BASE + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
        throw new IllegalStateException("Pagerless did not become ready in time (see target-standalone/delivery-bench-app.log)");
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
    }
}
