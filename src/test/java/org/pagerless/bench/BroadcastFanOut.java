package org.pagerless.bench;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.pagerless.support.FakePushService;

/**
 * {@link BroadcastBenchmark}'s sustained fan-out mode ({@code BroadcastBenchmark COUNT MEMBERS RATE}): {@code COUNT}
 * broadcasts to the {@code MEMBERS}-member team sent on a schedule of {@code RATE} a second, whatever the answers (an
 * open loop, as a major incident is: 10 broadcasts/s × 50 members = 500 in-app + 500 push deliveries/s offered), after a
 * warm-up of {@code -Dbench.warm-up} broadcasts (default: 10 s' worth) at the same rate, measured and cancelled
 * first. Reports what the pod sustained and what it cost:
 * <ul>
 *   <li>deliveries per second: in-app (a {@code TaskOffered} on the member's live feed) and push (a push taken by the
 *   fake push service), over the whole run (first POST → last arrival) and over its middle half (the steady state);</li>
 *   <li>per member and broadcast, from the POST to that member's in-app / push: p50, p99, max;</li>
 *   <li>nothing lost (every member has every broadcast in-app and by push) or twice (a second push or live offer of
 *   the same broadcast to the same member), and the outbox rows of the measured broadcasts by channel and status;</li>
 *   <li>the server's CPU (the application JVM and PostgreSQL, {@link ServerCost}; the broker runs in this process with
 *   the production jar and is not counted) per delivery, PostgreSQL commits and rows per delivery, Kafka records
 *   per broadcast; the application's RSS.</li>
 * </ul>
 * The fake push service takes each push once its VAPID token and headers check out and decrypts it only after the
 * measured window ({@link FakePushService#deferDecryption}), so its ECDH does not compete with the app for the cores;
 * a push that does not decrypt is counted as refused.
 */
final class BroadcastFanOut {
    private BroadcastFanOut() {
    }

    static void run(BroadcastBenchmark.Server server, HttpClient http, FakePushService push, List<String> members,
                    Map<String, Map<String, Long>> inApp, Map<String, String> phoneOf, int broadcasts, double rate,
                    String whatTheMemoryCovers) throws Exception {
        push.deferDecryption();
        int warmUp = Integer.getInteger("bench.warm-up", (int) Math.max(10, Math.round(rate * 10)));
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
        try (Admin kafka = Admin.create(admin)) {
            if (warmUp > 0) {
                Round w = round(http, push, members, inApp, warmUp, rate);
                System.out.printf("warm-up: %d broadcasts at %.1f/s, %s%n", warmUp, rate, w.complete
                        ? "all delivered" : "NOT all delivered within 60 s of the last");
                cancel(http, w.tasks);
                awaitQuiet(server);
            }
            OutboxCounts countsBefore = OutboxCounts.of(server.jdbcUrl(), server.user(), server.password());
            ServerCost before = ServerCost.of(server.app().process.toHandle(), server.jdbcUrl(), server.user(), server.password());
            long recordsBefore = ServerCost.kafkaRecords(kafka);
            Round r = round(http, push, members, inApp, broadcasts, rate);
            ServerCost cost = ServerCost.of(server.app().process.toHandle(), server.jdbcUrl(), server.user(), server.password())
                    .minus(before);
            long records = ServerCost.kafkaRecords(kafka) - recordsBefore;
            String memory = server.app().memory("admin");
            long deliveries = report(r, push, members, inApp, phoneOf, broadcasts, rate, cost, records);
            // Up to the outbox going quiet: what the measured broadcasts cost in all (their text and call rows too, which
            // the lanes may still be working through when the last in-app and push have arrived).
            awaitQuiet(server);
            ServerCost all = ServerCost.of(server.app().process.toHandle(), server.jdbcUrl(), server.user(), server.password())
                    .minus(before);
            OutboxCounts counts = OutboxCounts.of(server.jdbcUrl(), server.user(), server.password()).minus(countsBefore);
            System.out.printf("up to the outbox going quiet (nothing pending or sending, +2 s): CPU %.2f ms per delivery; "
                            + "PostgreSQL commits %.3f, rows inserted %.2f, updated %.2f per delivery%n%s%n",
                    all.cpuNanos() / 1e6 / Math.max(1, deliveries), (double) all.commits() / Math.max(1, deliveries),
                    (double) all.inserted() / Math.max(1, deliveries), (double) all.updated() / Math.max(1, deliveries),
                    counts.describe(deliveries));
            rows(server, r.tasks);
            System.out.printf("%nafter the fan-out, %s: %s%n", whatTheMemoryCovers, memory);
            cancel(http, r.tasks);
        }
    }

    /** One scheduled run: the tasks raised, when each POST went (nanoTime), when the last arrival was seen. */
    private record Round(List<String> tasks, Map<String, Long> sentAt, long first, long lastSent, long end,
                         int pushesBefore, boolean complete, Stats accepted) {
    }

    private static Round round(HttpClient http, FakePushService push, List<String> members,
                               Map<String, Map<String, Long>> inApp, int count, double rate) throws Exception {
        int pushesBefore = push.taken();
        long expectedPushes = (long) count * members.size();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        Stats accepted = new Stats();
        long interval = (long) (1e9 / rate);
        long first = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = first + i * interval;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            long t0 = System.nanoTime();
            answers.add(http.sendAsync(BroadcastBenchmark.post(BroadcastBenchmark.SWITCHBOARD, "/api/v1/broadcasts",
                            "{\"team\":\"" + BroadcastBenchmark.TEAM + "\",\"message\":\"Cardiac arrest (benchmark)\","
                                    + "\"location\":\"ED resus\"}"), HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> {
                        Matcher id = BroadcastBenchmark.ID.matcher(r.body());
                        if (r.statusCode() != 202 || !id.find()) {
                            throw new IllegalStateException("broadcast: HTTP " + r.statusCode() + " " + r.body());
                        }
                        accepted.add(System.nanoTime() - t0);
                        sentAt.put(ref(id.group(1)), t0);
                        return id.group(1);
                    }));
        }
        long lastSent = System.nanoTime();
        List<String> tasks = new ArrayList<>();
        for (CompletableFuture<String> a : answers) {
            tasks.add(a.get(2, TimeUnit.MINUTES));
        }
        // Until every member has every broadcast in-app and the fake has taken as many pushes, or 60 s after the last POST.
        long deadline = lastSent + TimeUnit.SECONDS.toNanos(60);
        long end = -1;
        while (System.nanoTime() < deadline) {
            if (push.taken() - pushesBefore >= expectedPushes && allInApp(members, inApp, sentAt.keySet())) {
                end = System.nanoTime();
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return new Round(tasks, sentAt, first, lastSent, end < 0 ? System.nanoTime() : end, pushesBefore, end >= 0, accepted);
    }

    private static boolean allInApp(List<String> members, Map<String, Map<String, Long>> inApp, java.util.Set<String> refs) {
        for (String m : members) {
            if (!inApp.get(m).keySet().containsAll(refs)) {
                return false;
            }
        }
        return true;
    }

    /** Prints the run's table and cost line; answers the deliveries counted (in-app + first pushes). */
    private static long report(Round r, FakePushService push, List<String> members, Map<String, Map<String, Long>> inApp,
                               Map<String, String> phoneOf, int broadcasts, double rate, ServerCost cost, long records) {
        long expected = (long) broadcasts * members.size();
        // Pushes: the first per (member, broadcast) counts; another is a duplicate. Arrival instants are wall clock:
        // mapped onto nanoTime through one reading of both.
        long nanoNow = System.nanoTime();
        Instant wallNow = Instant.now();
        Map<String, Long> firstPush = new HashMap<>();
        int duplicates = 0;
        for (FakePushService.Push p : push.received()) { // the measured broadcasts' by their ref, whenever they came
            Matcher m = BroadcastBenchmark.PUSH_REF.matcher(p.payload() == null ? "" : p.payload());
            String member = phoneOf.get(p.subscriptionId());
            if (member == null || !m.find() || !r.sentAt.containsKey(m.group(1))) {
                continue;
            }
            long at = nanoNow - Duration.between(p.at(), wallNow).toNanos();
            if (firstPush.putIfAbsent(member + "/" + m.group(1), at) != null) {
                duplicates++;
            }
        }
        Stats app = new Stats();
        Stats pushed = new Stats();
        long lastArrival = r.first;
        int appCount = 0;
        long mid0 = r.first + (r.lastSent - r.first) / 4;
        long mid1 = r.first + 3 * (r.lastSent - r.first) / 4;
        int midArrivals = 0;
        for (Map.Entry<String, Long> b : r.sentAt.entrySet()) {
            for (String m : members) {
                Long a = inApp.get(m).get(b.getKey());
                if (a != null) {
                    appCount++;
                    app.add(a - b.getValue());
                    lastArrival = Math.max(lastArrival, a);
                    midArrivals += a >= mid0 && a < mid1 ? 1 : 0;
                }
                Long p = firstPush.get(m + "/" + b.getKey());
                if (p != null) {
                    pushed.add(p - b.getValue());
                    lastArrival = Math.max(lastArrival, p);
                    midArrivals += p >= mid0 && p < mid1 ? 1 : 0;
                }
            }
        }
        int pushCount = pushed.count();
        double window = (lastArrival - r.first) / 1e9;
        double offered = (r.lastSent - r.first) / 1e9;
        long deliveries = appCount + pushCount;
        System.out.println();
        System.out.println("| broadcasts × members at rate/s | offered deliveries/s (in-app + push) | sustained in-app/s | "
                + "push/s | total/s (first POST → last arrival) | middle half total/s | in-app p50 / p99 / max ms | "
                + "push p50 / p99 / max ms | `202` p50 / p99 ms | lost in-app / push | duplicate pushes | load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf("| %d × %d at %.1f/s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f / %.0f / %.0f | %.0f / %.0f / %.0f | "
                        + "%.0f / %.0f | %d / %d | %d | %s |%n", broadcasts, members.size(), rate,
                2.0 * expected / Math.max(offered, 1e-9), appCount / window, pushCount / window, deliveries / window,
                midArrivals / Math.max((mid1 - mid0) / 1e9, 1e-9),
                app.percentileMillis(50), app.percentileMillis(99), app.maxMillis(),
                pushed.percentileMillis(50), pushed.percentileMillis(99), pushed.maxMillis(),
                r.accepted.percentileMillis(50), r.accepted.percentileMillis(99),
                expected - appCount, expected - pushCount, duplicates, AppProcess.loadAverage());
        System.out.printf("%nserver cost over the run (application JVM + PostgreSQL; the broker is in the benchmark's "
                        + "process and not counted): CPU %.2f ms per delivery (%.1f ms per broadcast, %.2f cores busy); "
                        + "PostgreSQL commits %.3f, rows inserted %.2f, updated %.2f per delivery; Kafka records %.1f per "
                        + "broadcast; pushes refused by the fake %d; %s%n",
                cost.cpuNanos() / 1e6 / Math.max(1, deliveries), cost.cpuNanos() / 1e6 / broadcasts,
                cost.cpuNanos() / 1e9 / window, (double) cost.commits() / Math.max(1, deliveries),
                (double) cost.inserted() / Math.max(1, deliveries), (double) cost.updated() / Math.max(1, deliveries),
                (double) records / broadcasts, push.refused().size(), r.complete ? "every delivery arrived"
                        : "NOT every delivery arrived within 60 s of the last POST");
        return deliveries;
    }

    /** The measured broadcasts' outbox rows by channel and status (and rows attempted more than once). */
    private static void rows(BroadcastBenchmark.Server server, List<String> tasks) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             PreparedStatement st = c.prepareStatement("select channel, status, count(*), count(*) filter (where attempts > 1) "
                     + "from delivery where task_id = any(?::uuid[]) group by 1, 2 order by 1, 2")) {
            st.setArray(1, c.createArrayOf("text", tasks.toArray()));
            StringBuilder line = new StringBuilder("outbox rows of the measured broadcasts (channel status count, attempted "
                    + "more than once):");
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    line.append(String.format(" %s %s %d (%d);", rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            System.out.println(line);
        }
    }

    /** Cancels the tasks, 8 at a time. */
    private static void cancel(HttpClient http, List<String> tasks) throws Exception {
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (String task : tasks) {
            inFlight.acquire();
            all.add(http.sendAsync(BroadcastBenchmark.post(BroadcastBenchmark.SWITCHBOARD, "/api/v1/tasks/" + task + "/cancel",
                    "{\"reason\":\"benchmark over\"}"), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }

    /** Waits (≤ 60 s) until the outbox has nothing pending or sending, so the cancellations' work is not measured. */
    private static void awaitQuiet(BroadcastBenchmark.Server server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
            while (System.nanoTime() < deadline) {
                try (PreparedStatement st = c.prepareStatement(
                        "select count(*) from delivery where status in ('pending', 'sending')");
                     ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        break;
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
    }

    /** A task's short reference as pushes carry it. */
    private static String ref(String taskId) {
        return taskId.substring(0, 6).toUpperCase();
    }
}
