package org.pagerless.bench;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.pagerless.platform.Topics;

/**
 * Escalation timer lateness in the running application while it takes bleeps (issue 13: "timer lateness stays as
 * measured — p99 < 250 ms at 100,000 open timers — while all of the above run"). Against a running standalone Pagerless,
 * like {@link IntakeBenchmark}, or with {@code -Dbench.jar=production} against the goal's production-profile jar, which
 * it starts itself on a broker and PostgreSQL in its own JVM ({@link ProductionJar}: the broker's heap apart from the
 * application's, as in a cluster); loopback only, bounded in time and count.
 *
 * <ol>
 *   <li>Raises {@code dueInWindow} real routine bleeps to the Medical SHO (each armed an ACK_TIMEOUT timer through the
 *   application's own processor) and waits until every one has its timer row.</li>
 *   <li>Brings the open timers up to {@code openTimers} with copies of one of those tasks for a role nobody holds, due
 *   in hours: they only make the timer index as large as a busy region's (and are deleted at the end).</li>
 *   <li>Re-dates the real tasks' timers to fall due evenly over {@code windowSeconds}, starting 5 s later (the fence
 *   stays, so the processor takes each firing as the real expiry: it offers the step again or escalates).</li>
 *   <li>Meanwhile sends routine bleeps at {@code bleepsPerSecond} for the window and 5 s more.</li>
 * </ol>
 * Lateness of a timer = the broker's record of its {@code EscalationDue} command (its create time, read back from
 * {@code pagerless.task-commands.v1}) − its due time. Printed beside the floor of the same run, the server's CPU and the
 * load average.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) \
 *     org.pagerless.bench.TimersUnderLoadBenchmark [openTimers=100000] [dueInWindow=5000] [windowSeconds=20] [bleepsPerSecond=200]</pre>
 */
public final class TimersUnderLoadBenchmark {
    private static final String ROLE = "Medical SHO On-Call";
    private static final String FAR_ROLE = "bench-far-timers";
    private static final Pattern TASK_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Duration LEAD = Duration.ofSeconds(5);

    private TimersUnderLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int open = arg(args, 0, 100_000);
        int due = arg(args, 1, 5_000);
        int windowSeconds = arg(args, 2, 20);
        int rate = arg(args, 3, 200);
        System.out.println(AppProcess.machine());
        if (!"production".equals(System.getProperty("bench.jar", "standalone"))) {
            Properties infra = new Properties();
            try (FileInputStream in = new FileInputStream(System.getProperty("pagerless.standalone",
                    "target-standalone/standalone.properties"))) {
                infra.load(in);
            }
            measure(open, due, windowSeconds, rate, System.getProperty("pagerless.url", "http://localhost:8080"),
                    infra.getProperty("jdbc.url"), infra.getProperty("jdbc.username"), infra.getProperty("jdbc.password"),
                    infra.getProperty("kafka.bootstrap.servers"), ServerCost.standalone(),
                    "server (JVM with its broker, and PostgreSQL)");
            return;
        }
        try (ProductionJar run = ProductionJar.start("timers-bench", 15463, 19123)) {
            measure(open, due, windowSeconds, rate, run.base, run.infra.jdbcUrl(), "postgres", "postgres",
                    run.infra.bootstrapServers(), Optional.of(run.app.process.toHandle()),
                    "server (the production jar's JVM, and PostgreSQL; the broker is in this JVM)");
            System.out.println("the production jar after the window: " + run.app.memory("admin"));
        }
    }

    private static void measure(int open, int due, int windowSeconds, int rate, String base, String jdbc, String user,
                                String password, String bootstrap, Optional<ProcessHandle> server, String serverIs)
            throws Exception {
        Floor floor = Floor.measure(bootstrap, jdbc, user, password, 500);
        System.out.println(floor.describe());

        HttpClient posts = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (Connection db = DriverManager.getConnection(jdbc, user, password)) {
            List<UUID> real = new ArrayList<>(raise(posts, base, 250, due, "bench timer").values());
            awaitTimers(db, real);
            int far = seedFar(db, real.get(0), open);
            Map<UUID, Long> dueAt = redate(db, real, windowSeconds);
            System.out.printf("open timers: %d (%d real tasks due over %d s from %s, %d copies due in hours)%n",
                    count(db, "select count(*) from timer"), real.size(), windowSeconds, LEAD, far);

            ServerCost before = server.isPresent() ? ServerCost.of(server.get(), jdbc, user, password) : null;
            String loadBefore = AppProcess.loadAverage();
            long t0 = System.nanoTime();
            try (Firings firings = new Firings(bootstrap, dueAt.keySet())) {
                Map<String, UUID> load = raise(posts, base, rate, rate * (windowSeconds + (int) LEAD.toSeconds()),
                        "bench load");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(windowSeconds + 60);
                while (firings.seen.size() < dueAt.size() && System.nanoTime() < deadline) {
                    firings.poll();
                }
                Stats lateness = new Stats();
                firings.seen.forEach((task, at) -> lateness.add(TimeUnit.MILLISECONDS.toNanos(
                        Math.max(0, at - dueAt.get(task)))));
                timeline(firings.seen, dueAt);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("load average before: %s; after: %s%n", loadBefore, AppProcess.loadAverage());
                System.out.printf("background bleeps: %d accepted at %d/s offered over %d s%n", load.size(), rate,
                        windowSeconds + LEAD.toSeconds());
                System.out.println("| timers due in the window | fired | lateness p50 ms | p99 ms | max ms | p99 / floor p99 |");
                System.out.println("|---|---|---|---|---|---|");
                System.out.printf("| %d | %d | %.1f | %.1f | %.1f | %.1f× |%n", dueAt.size(), lateness.count(),
                        lateness.percentileMillis(50), lateness.percentileMillis(99), lateness.maxMillis(),
                        lateness.percentileMillis(99) / floor.millis(99));
                if (before != null) {
                    ServerCost spent = ServerCost.of(server.get(), jdbc, user, password).minus(before);
                    System.out.printf("%s: %.2f CPU-s per s over %.0f s; commits %d%n", serverIs,
                            spent.cpuNanos() / 1e9 / seconds, seconds, spent.commits());
                }
            } finally {
                deleteFar(db);
            }
        }
    }

    /** Sends {@code count} routine bleeps at {@code rate}; returns the 202s' task ids (by request number). */
    private static Map<String, UUID> raise(HttpClient http, String base, int rate, int count, String message)
            throws Exception {
        Map<String, UUID> accepted = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(512);
        AtomicInteger failures = new AtomicInteger();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/bleeps"))
                .header("Authorization", AppProcess.basic("sam.patel")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":{\"role\":\"" + ROLE
                        + "\"},\"callback\":\"4417\",\"message\":\"" + message + "\",\"priority\":\"routine\"}"))
                .build();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            Pace.until(start, i, interval);
            inFlight.acquire();
            String n = Integer.toString(i);
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                try {
                    Matcher m = error == null && response.statusCode() == 202 ? TASK_ID.matcher(response.body()) : null;
                    if (m != null && m.find()) {
                        accepted.put(n, UUID.fromString(m.group(1)));
                    } else {
                        failures.incrementAndGet();
                    }
                } finally {
                    inFlight.release();
                }
            });
        }
        inFlight.acquire(512);
        inFlight.release(512);
        if (failures.get() > 0) {
            System.out.printf("%s: %d of %d requests failed%n", message, failures.get(), count);
        }
        return accepted;
    }

    /** Waits (at most 2 minutes) until the processor has armed every task's timer. */
    private static void awaitTimers(Connection db, List<UUID> tasks) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (PreparedStatement ps = db.prepareStatement("select count(*) from timer where task_id = any(?)")) {
            Array ids = db.createArrayOf("uuid", tasks.toArray());
            ps.setArray(1, ids);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == tasks.size()) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(rs.getInt(1) + " of " + tasks.size() + " timers armed");
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    /** Copies of {@code model} for a role nobody holds, each with a timer due in hours, up to {@code open} timers. */
    private static int seedFar(Connection db, UUID model, int open) throws SQLException {
        int missing = open - count(db, "select count(*) from timer");
        if (missing <= 0) {
            return 0;
        }
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = db.getMetaData().getColumns(null, null, "task", null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME"));
            }
        }
        String list = String.join(", ", columns);
        String values = String.join(", ", columns.stream().map(c -> switch (c) {
            case "id" -> "gen_random_uuid()";
            case "target_id" -> "'" + FAR_ROLE + "'";
            default -> c;
        }).toList());
        try (PreparedStatement copy = db.prepareStatement("insert into task (" + list + ") select " + values
                + " from task, generate_series(1, ?) where id = ?");
             Statement st = db.createStatement()) {
            copy.setInt(1, missing);
            copy.setObject(2, model);
            copy.executeUpdate();
            st.executeUpdate("insert into timer (task_id, kind, due_at, fence) select id, 'ACK_TIMEOUT', now()"
                    + " + interval '3 hours' + random() * interval '3 hours', 1 from task where target_id = '"
                    + FAR_ROLE + "'");
            st.execute("analyze timer");
        }
        return missing;
    }

    /** The real tasks' timers, due evenly over the window from {@link #LEAD} on; their due times in epoch ms. */
    private static Map<UUID, Long> redate(Connection db, List<UUID> tasks, int windowSeconds) throws SQLException {
        Map<UUID, Long> dueAt = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("""
                update timer t set due_at = now() + ?::interval + (n.ord - 1) * (? * interval '1 millisecond') / ?
                from unnest(?::uuid[]) with ordinality as n(id, ord)
                where t.task_id = n.id
                returning t.task_id, t.due_at""")) {
            ps.setString(1, LEAD.toMillis() + " milliseconds");
            ps.setLong(2, windowSeconds * 1000L);
            ps.setInt(3, tasks.size());
            ps.setArray(4, db.createArrayOf("uuid", tasks.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dueAt.put(rs.getObject(1, UUID.class), rs.getTimestamp(2).getTime());
                }
            }
        }
        return dueAt;
    }

    private static void deleteFar(Connection db) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.executeUpdate("delete from timer where task_id in (select id from task where target_id = '"
                    + FAR_ROLE + "')");
            st.executeUpdate("delete from task where target_id = '" + FAR_ROLE + "'");
        }
    }

    private static int count(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The task commands topic from its end now on: each watched task's first EscalationDue and its create time. */
    private static final class Firings implements AutoCloseable {
        final Map<UUID, Long> seen = new HashMap<>();
        private final java.util.Set<UUID> watched;
        private final KafkaConsumer<String, String> consumer;

        Firings(String bootstrap, java.util.Set<UUID> watched) {
            this.watched = watched;
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TASK_COMMANDS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        void poll() {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.value() != null && r.value().contains("EscalationDue")) {
                    UUID task = UUID.fromString(r.key());
                    if (watched.contains(task)) {
                        seen.putIfAbsent(task, r.timestamp());
                    }
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    /**
     * {@code -Dbench.timeline=FILE}: one line per fired timer, ms from the first due time to its due time and its
     * lateness, earliest due first (to see when in the window the late ones fell due).
     */
    private static void timeline(Map<UUID, Long> firedAt, Map<UUID, Long> dueAt) throws IOException {
        String file = System.getProperty("bench.timeline");
        if (file == null) {
            return;
        }
        long first = dueAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
        List<String> lines = firedAt.keySet().stream()
                .sorted(Comparator.comparing(dueAt::get))
                .map(task -> (dueAt.get(task) - first) + " " + (firedAt.get(task) - dueAt.get(task)))
                .toList();
        Files.write(Path.of(file), lines);
    }
}
