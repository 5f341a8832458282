package org.pagerless.bench;

import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Sends bleeps at fixed rates to a running Pagerless (standalone mode) and reports throughput and
 * intake→in-app delivery latency (POST sent → the holder's open app receives the offer over the
 * WebSocket), beside the floor measured in the same run, and per rate which stage the time went to ({@link OfferStages}:
 * intake, task processor, live feed); then what each rate cost the server ({@link ServerCost}:
 * CPU of the standalone JVM and its PostgreSQL, commits and rows per bleep). With {@code -Dbench.jar=production} it
 * measures the goal's production-profile jar instead: it starts a broker and PostgreSQL in its own JVM (fresh
 * {@link BenchData}, ports {@code bench.postgres-port} and {@code bench.kafka-port}) and {@code target/quarkus-app}'s
 * jar ({@code -Dbench.target} for another build) with the production JVM options ({@link AppProcess#start}) on
 * {@code bench.http-port} (8094); the cost table is then the application's JVM and its PostgreSQL. Loopback only;
 * bounded in time and count. The bleeps go over HTTP/1.1 connections ({@link BleepPosts}: one per request in flight, at
 * most 512, reused: past what the server takes, the 202's time is mostly the wait for one of them), the WebSocket and
 * set-up calls over the JDK's client. A warm-up ({@code -Dbench.warmup=COUNT@RATE}, default 200 at 50/s) goes first:
 * the JIT is still compiling through the first measured rate unless it is longer (the production jar's C2 was still
 * ~30% of a core after 20,000 at 300/s; docs/benchmarks.md, stops 50 and 54), and the cost table says how much
 * of each rate's CPU went to the app's and this JVM's compilers. With {@code -Dbench.stat=N}, N of each second's bleeps
 * are stat (the same bleep, priority stat) and their delivery is told apart: how long a stat bleep waits when the
 * routine ones queue (ADR 0099).
 *
 * <pre>./mvnw -B -ntp test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.pagerless.bench.IntakeBenchmark -Dexec.args="100,500,1000 3000"
 * java -Dbench.jar=production -Dbench.warmup=60000@600 -cp target/test-classes:target/classes:$(cat target/test-cp.txt) \
 *   org.pagerless.bench.IntakeBenchmark 800,1000,1200,1400 15000</pre>
 */
public final class IntakeBenchmark {
    private static final Pattern TASK_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final String ROLE = "Medical SHO On-Call";
    /** Bleeps in flight at most (each on a connection of its own): past what the server takes, the 202 waits for one. */
    private static final int IN_FLIGHT = 512;
    private static final Pattern TIMELINE_EVENT = Pattern.compile("\\{\"at\":\"([^\"]+)\",\"event\":\"(Task[A-Za-z]+)\"");
    private static final Pattern OFFERED_TO = Pattern.compile(".*?\"offeredTo\":(\\[[^\\]]*\\])");
    /** Stat bleeps a second among each rate's, each in a routine one's place ({@code -Dbench.stat}; none by default). */
    private static final int STAT_PER_SECOND = Integer.getInteger("bench.stat", 0);

    public static void main(String[] args) throws Exception {
        int[] rates = java.util.Arrays.stream((args.length > 0 ? args[0] : "100,500,1000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int perRate = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        System.out.println(AppProcess.machine());
        if (!"production".equals(System.getProperty("bench.jar", "standalone"))) {
            String base = System.getProperty("pagerless.url", "http://localhost:8080");
            Properties infra = new Properties();
            try (FileInputStream in = new FileInputStream(System.getProperty("pagerless.standalone",
                    "target-standalone/standalone.properties"))) {
                infra.load(in);
            }
            measure(rates, perRate, base, new Database(infra.getProperty("jdbc.url"), infra.getProperty("jdbc.username"),
                    infra.getProperty("jdbc.password")), infra.getProperty("kafka.bootstrap.servers"), ServerCost.standalone(),
                    "the standalone JVM (pid %d: application + embedded broker) and its PostgreSQL");
            return;
        }
        // The goal's production-profile jar: the server cost is then the application's and PostgreSQL's.
        try (ProductionJar run = ProductionJar.start("intake-bench", 15462, 19122)) {
            measure(rates, perRate, run.base, new Database(run.infra.jdbcUrl(), "postgres", "postgres"),
                    run.infra.bootstrapServers(), Optional.of(run.app.process.toHandle()),
                    "the production jar's JVM (pid %d; the broker is in the benchmark's JVM) and its PostgreSQL");
            System.out.println("the production jar after the rates (the goal: at most 512 MiB resident): "
                    + run.app.memory("admin"));
        }
        System.out.printf("load average after: %s%n", AppProcess.loadAverage());
    }

    /**
     * The run itself, against the application at {@code base}: the floor on its broker and database, the warm-up, each
     * rate, the live feed's tally, and (if the server's process is known) what each rate cost it.
     */
    private static void measure(int[] rates, int perRate, String base, Database db, String bootstrapServers,
                                Optional<ProcessHandle> server, String serverIs) throws Exception {
        Floor floor = Floor.measure(bootstrapServers, db.url(), db.user(), db.password(), 500);
        System.out.println(floor.describe());

        HttpClient http = HttpClient.newBuilder().build();
        // The bleeps go over HTTP/1.1: a connection per request in flight, kept for reuse, so the server's event loops
        // share them as they would a ward's many clients.
        String body = "{\"to\":{\"role\":\"" + ROLE + "\"},\"callback\":\"4417\",\"message\":\"bench\",\"priority\":\"routine\"}";
        BleepPosts posts = new BleepPosts(IN_FLIGHT);
        // One request for every bleep: the generator builds nothing per bleep.
        BleepPosts.Request routine = posts.request(URI.create(base + "/api/v1/bleeps"), AppProcess.basic("sam.patel"),
                body, null);
        BleepPosts.Request stat = posts.request(URI.create(base + "/api/v1/bleeps"), AppProcess.basic("sam.patel"),
                body.replace("\"routine\"", "\"stat\""), null);
        Bleeps bleep = new Bleeps(routine, stat);
        System.out.println("bleeps sent with " + posts.client());
        Map<String, Long> delivered = new ConcurrentHashMap<>();
        LiveFeed feed = LiveFeed.ofFirstHolder(http, base, ROLE, delivered);
        Map<String, Double> liveAtStart = liveOutcomes(http, base);

        // Warm-up: JIT, connection pools, the processor's consumer group.
        String[] warm = System.getProperty("bench.warmup", "200@50").split("@");
        System.out.printf("warm-up: %s bleeps at %s/s%n", warm[0], warm[1]);
        run(posts, bleep, Integer.parseInt(warm[1]), Integer.parseInt(warm[0]), delivered);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        OfferStages stages = new OfferStages(bootstrapServers);
        List<String> stageLines = new ArrayList<>();
        double idleCpuMillisPerSecond = 0;
        if (server.isPresent()) {
            ServerCost before = db.cost(server.get());
            long t0 = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
            ServerCost idle = db.cost(server.get()).minus(before);
            idleCpuMillisPerSecond = idle.cpuNanos() / 1e6 / ((System.nanoTime() - t0) / 1e9);
        }
        List<String> costs = new ArrayList<>();
        System.out.println();
        List<String> live = new ArrayList<>();
        List<String> statLines = new ArrayList<>();
        Map<Integer, Set<String>> missedAt = new java.util.LinkedHashMap<>();
        System.out.println("| rate (bleeps/s) | sent | 202 p50 ms | 202 p99 ms | delivered | throughput /s | deliver p50 ms | p95 ms | p99 ms | max ms | p50 / floor | p99 / floor | server heap MB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int rate : rates) {
            ServerCost before = server.isPresent() ? db.cost(server.get()) : null;
            long recordsBefore = ServerCost.kafkaRecords(admin);
            // This JVM: the load generator and live feed (and, with bench.jar=production, the broker).
            long ownBefore = ProcCpu.ticks(ProcessHandle.current().pid());
            // Of each JVM's CPU, its JIT compilers': still compiling minutes into a run on a full box (stop 54).
            double appJitBefore = server.isPresent() ? ProcCpu.jitMillis(server.get().pid()) : 0;
            double ownJitBefore = ProcCpu.jitMillis(ProcessHandle.current().pid());
            Map<String, Double> liveBefore = liveOutcomes(http, base);
            long receivedBefore = feed.received.get();
            long t0 = System.nanoTime();
            Result r = run(posts, bleep, rate, perRate, delivered);
            Map<String, Double> liveAfter = liveOutcomes(http, base);
            missedAt.put(rate, r.missed);
            if (!r.stat.sentAt().isEmpty()) {
                Stats statOffered = stages.offered(r.stat.sentAt());
                Stats routineOffered = stages.offered(r.sentAt);
                statLines.add(String.format("| %d | %d | %d | %.0f | %.0f | %.0f | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f"
                        + " | %.0f |", rate, r.stat.sentAt().size(), statOffered.count(), statOffered.percentileMillis(50),
                        statOffered.percentileMillis(99), statOffered.maxMillis(), r.stat.delivery().count(),
                        r.stat.delivery().percentileMillis(50), r.stat.delivery().percentileMillis(99),
                        r.stat.delivery().maxMillis(), routineOffered.percentileMillis(50),
                        routineOffered.percentileMillis(99), r.delivery.percentileMillis(50),
                        r.delivery.percentileMillis(99)));
            }
            stageLines.add(rate + "/s: " + stages.describe(r.sentAt, delivered));
            live.add(String.format("| %d | %d | %d | %d | %.0f | %.0f | %.0f | %.0f | %d |", rate, r.sent, r.missed.size(),
                    feed.received.get() - receivedBefore, delta(liveAfter, liveBefore, "sent"),
                    delta(liveAfter, liveBefore, "failed"), delta(liveAfter, liveBefore, "behind"),
                    delta(liveAfter, liveBefore, "abandoned"), feed.closes.get()));
            if (server.isPresent()) {
                ServerCost spent = db.cost(server.get()).minus(before);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpuMs = spent.cpuNanos() / 1e6;
                costs.add(String.format("| %d | %d | %.1f | %.1f | %.1f | %.2f | %.2f | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f |",
                        rate, r.sent, cpuMs / 1000, cpuMs / r.sent, (cpuMs - idleCpuMillisPerSecond * seconds) / r.sent,
                        (ProcCpu.jitMillis(server.get().pid()) - appJitBefore) / r.sent,
                        spent.postgresNanos() / 1e6 / r.sent,
                        (ProcCpu.ticks(ProcessHandle.current().pid()) - ownBefore) * 10.0 / r.sent,
                        (ProcCpu.jitMillis(ProcessHandle.current().pid()) - ownJitBefore) / r.sent,
                        spent.commits() / (double) r.sent, spent.inserted() / (double) r.sent,
                        spent.updated() / (double) r.sent,
                        (ServerCost.kafkaRecords(admin) - recordsBefore) / (double) r.sent));
            }
            System.out.printf("| %d | %d | %.1f | %.1f | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f× | %.1f× | %.0f |%n",
                    rate, r.sent, r.accepted.percentileMillis(50), r.accepted.percentileMillis(99), r.delivery.count(),
                    r.throughput,
                    r.delivery.percentileMillis(50), r.delivery.percentileMillis(95), r.delivery.percentileMillis(99),
                    r.delivery.maxMillis(), r.delivery.percentileMillis(50) / floor.millis(50),
                    r.delivery.percentileMillis(99) / floor.millis(99), AppProcess.heapMiB(base, "admin")[0]);
        }
        if (!statLines.isEmpty()) {
            System.out.printf("%nstat bleeps among each rate's (%d a second, each in a routine one's place): POST sent →"
                    + " TaskOffered in the broker (the server's part, whether or not the feed was open), and → the offer on"
                    + " the holder's feed; the routine ones' (the table above) beside them%n%n", STAT_PER_SECOND);
            System.out.println("| rate (bleeps/s) | stat sent | offered | offered p50 ms | p99 ms | max ms | on the feed | feed p50 ms | p99 ms | max ms | routine offered p50 ms | p99 ms | routine feed p50 ms | p99 ms |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            statLines.forEach(System.out::println);
        }
        System.out.println();
        stageLines.forEach(System.out::println);
        stages.close();
        System.out.printf("%nlive feed: the holder's one WebSocket. missed = offers not received 60 s after the last"
                + " 202; received = every message it got (offers, raises, thread lines...); server = that rate's change in"
                + " pagerless_live_messages_total by outcome (every session on the server: this one only here); closes ="
                + " the feed closed by the server so far (it reconnects)%n%n");
        System.out.println("| rate (bleeps/s) | sent | offers missed | messages received | server sent | failed | behind | abandoned | closes |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        live.forEach(System.out::println);
        System.out.printf("messages naming TaskOffered the benchmark could not read: %d%n", feed.unread.get());
        // The whole run, both ends: what the server wrote to live feeds (only this one is open) against what this feed
        // read. A message written is read a moment later: wait (at most 10 s) for the two to meet.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        double written = delta(liveOutcomes(http, base), liveAtStart, "sent");
        while (feed.received.get() < written && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            written = delta(liveOutcomes(http, base), liveAtStart, "sent");
        }
        System.out.printf("whole run: the server wrote %.0f live messages, the feed received %d; not sent: %.0f failed,"
                + " %.0f behind, %.0f unaudited, %.0f abandoned%n", written, feed.received.get(),
                delta(liveOutcomes(http, base), liveAtStart, "failed"), delta(liveOutcomes(http, base), liveAtStart, "behind"),
                delta(liveOutcomes(http, base), liveAtStart, "unaudited"),
                delta(liveOutcomes(http, base), liveAtStart, "abandoned"));
        for (Map.Entry<Integer, Set<String>> missed : missedAt.entrySet()) {
            for (String taskId : missed.getValue().stream().limit(5).toList()) {
                Long late = delivered.get(taskId);
                System.out.printf("missed at %d/s: task %s%s; timeline %s%n", missed.getKey(), taskId,
                        late == null ? " never received" : " received later", timeline(http, base, taskId));
            }
        }
        feed.sayIfHoldersChanged(base);
        feed.close();
        posts.close();
        admin.close();
        if (server.isEmpty()) {
            System.out.println("\n(no standalone process found for the cost table: give -Dbench.server-pid)");
            return;
        }
        System.out.printf("%nserver cost per rate: " + serverIs + "; idle (5 s after the warm-up) %.0f ms CPU per"
                + " second, taken off in the \"less idle\" column; of it the app's JIT: that JVM's compiler threads (C1,"
                + " C2; the broker's too when it is there); of it PostgreSQL: its postmaster and every process under it;"
                + " this JVM: the load generator and feed (and the broker if it is here); commits and rows from"
                + " pg_stat_database; Kafka records written to every topic (end offsets)"
                + "%n%n", server.get().pid(), idleCpuMillisPerSecond);
        System.out.println("| rate (bleeps/s) | bleeps | server CPU s | CPU ms per bleep | less idle | of it the app's JIT | of it PostgreSQL | this JVM's CPU ms per bleep | of it its JIT | PostgreSQL commits per bleep | rows inserted per bleep | rows updated per bleep | Kafka records per bleep |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        costs.forEach(System.out::println);
    }

    /** The application's database, for the cost table. */
    private record Database(String url, String user, String password) {
        ServerCost cost(ProcessHandle server) throws Exception {
            return ServerCost.of(server, url, user, password);
        }
    }

    private record Result(int sent, Stats accepted, Stats delivery, double throughput, Set<String> missed,
                          Map<String, Long> sentAt, StatResult stat) {
    }

    /** The stat bleeps among a rate's: each one's task and POST time (nanoTime), and how soon each was on the feed. */
    private record StatResult(Map<String, Long> sentAt, Stats delivery) {
    }

    /** The bleep sent at each tick, and the stat one sent in its place {@link #STAT_PER_SECOND} times a second. */
    private record Bleeps(BleepPosts.Request routine, BleepPosts.Request stat) {
    }

    /** The server's live-message counters by outcome (empty if the server exports none). */
    private static Map<String, Double> liveOutcomes(HttpClient http, String base) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
                        .header("Authorization", AppProcess.basic("admin")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> outcomes = new java.util.HashMap<>();
        Matcher m = Pattern.compile("(?m)^pagerless_live_messages_total\\{[^}]*outcome=\"([a-z]+)\"[^}]*\\} ([0-9.eE+]+)")
                .matcher(metrics);
        while (m.find()) {
            outcomes.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
        return outcomes;
    }

    private static double delta(Map<String, Double> after, Map<String, Double> before, String outcome) {
        return after.getOrDefault(outcome, 0.0) - before.getOrDefault(outcome, 0.0);
    }

    /** A missed task's timeline as the server has it: what happened to it, and when. */
    private static String timeline(HttpClient http, String base, String taskId) throws Exception {
        String task = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks/" + taskId))
                .header("Authorization", AppProcess.basic("sam.patel")).build(), HttpResponse.BodyHandlers.ofString()).body();
        StringBuilder events = new StringBuilder();
        Matcher m = TIMELINE_EVENT.matcher(task);
        while (m.find()) {
            events.append(events.isEmpty() ? "" : "; ").append(m.group(2)).append(" at ").append(m.group(1));
            Matcher to = OFFERED_TO.matcher(task).region(m.end(), task.length());
            if (m.group(2).equals("TaskOffered") && to.lookingAt()) {
                events.append(" to ").append(to.group(1));
            }
        }
        return events.isEmpty() ? task : events.toString();
    }

    private static Result run(BleepPosts posts, Bleeps bleeps, int rate, int count, Map<String, Long> delivered)
            throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> statSentAt = new ConcurrentHashMap<>();
        int statEvery = STAT_PER_SECOND > 0 ? Math.max(1, rate / STAT_PER_SECOND) : 0;
        Stats accepted = new Stats();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            Pace.until(start, i, interval);
            inFlight.acquire();
            boolean isStat = statEvery > 0 && i % statEvery == statEvery / 2;
            Map<String, Long> sentTo = isStat ? statSentAt : sentAt;
            long t0 = System.nanoTime();
            // The permit goes back only once the answer is recorded: the tally below waits for every permit, so it
            // sees every 202. (Released first, as before 2026-12-02, a 202 recorded a moment after the tally was
            // counted as an offer never received — when the offers had all arrived before the last 202s, as on a
            // quiet box: the likely reading of the 08:31 run's "3 of 3,000"; docs/benchmarks.md.)
            posts.post(isStat ? bleeps.stat() : bleeps.routine()).whenComplete((answer, error) -> {
                try {
                    if (error != null || answer.status() != 202) {
                        failures.incrementAndGet();
                        return;
                    }
                    accepted.add(System.nanoTime() - t0);
                    Matcher m = TASK_ID.matcher(answer.body());
                    if (m.find()) {
                        sentTo.put(m.group(1), t0);
                    } else {
                        failures.incrementAndGet();
                    }
                } finally {
                    inFlight.release();
                }
            });
        }
        inFlight.acquire(IN_FLIGHT);
        inFlight.release(IN_FLIGHT);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !(delivered.keySet().containsAll(sentAt.keySet())
                && delivered.keySet().containsAll(statSentAt.keySet()))) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        Stats delivery = new Stats();
        Set<String> missed = new java.util.TreeSet<>();
        long last = start;
        for (Map.Entry<String, Long> sent : sentAt.entrySet()) {
            Long at = delivered.get(sent.getKey());
            if (at != null) {
                delivery.add(at - sent.getValue());
                last = Math.max(last, at);
            } else {
                missed.add(sent.getKey());
            }
        }
        if (failures.get() > 0) {
            System.out.printf("rate %d: %d requests failed%n", rate, failures.get());
        }
        double seconds = (last - start) / 1e9;
        Stats statDelivery = new Stats();
        statSentAt.forEach((id, at) -> {
            Long on = delivered.get(id);
            if (on != null) {
                statDelivery.add(on - at);
            }
        });
        return new Result(count, accepted, delivery, delivery.count() / seconds, missed, sentAt,
                new StatResult(statSentAt, statDelivery));
    }

}
