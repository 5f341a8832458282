package org.pagerless.bench;

import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.pagerless.standalone.EmbeddedInfra;
import org.pagerless.support.FakePushService;

/**
 * Issue 13's 2222 case, the production jar's ready time, and the application's memory.
 * <p>
 * <b>2222 broadcast to a 50-member team</b>: adds a team whose one role is held now by 50 bench staff
 * ({@code bcast.NN}, through the admin API), gives every member an open app (a WebSocket on {@code /api/v1/live}) and a
 * phone (a push subscription on the test tree's fake push service, which verifies each push's VAPID token and
 * decrypts it), then sends broadcasts one after another ({@code POST /api/v1/broadcasts} as switchboard). For each:
 * from just before the POST to the moment the <i>last</i> member's app has the offer (in-app) and the fake has the
 * last member's push (the dispatcher's push attempt). Target (issue 13): p99 &lt; 1 s over 100 broadcasts. Each
 * broadcast is cancelled once measured.
 * <p>
 * <b>Which jar</b> ({@code -Dbench.jar}): {@code production} (default) starts the broker and PostgreSQL in this
 * process (the standalone mode's {@link EmbeddedInfra}, fresh data directory) and the <b>production jar</b>
 * ({@code target/quarkus-app}, {@code ./mvnw package}) as a child JVM pointed at them — so its resident set and heap
 * are the application's alone — and reports its ready time twice: on an empty database (migrations and the demo seed)
 * and restarted on the migrated one (the case of a rolling restart: broker and database already up). So that the
 * benchmark can sign in, this child runs with {@code pagerless.production-checks=false}, the demo sign-in and no OIDC
 * (never a hospital's configuration), the demo hospital seeded and the standalone profile's public VAPID pair.
 * {@code standalone} starts the packaged standalone jar as DeliveryBenchmark does: its memory then includes the
 * embedded broker (same JVM).
 *
 * <pre>./mvnw -B -ntp package -DskipTests      # production jar; -Pstandalone for -Dbench.jar=standalone
 * ./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.pagerless.bench.BroadcastBenchmark 100 50</pre>
 * The app JVM runs with the production JVM options ({@code config/jvm.options}, as every pod; {@code
 * -Dbench.jvm-options=none} without them). Optional: {@code -Dbench.jvm="-XX:NativeMemoryTracking=summary"} (more
 * options for the app JVM, after the file's; with NMT each memory line adds what the JVM committed by area),
 * {@code -Dbench.http-port=8093}, {@code -Dbench.target=/tmp/before} (run the {@code quarkus-app} built there).
 * <p>
 * <b>Sustained fan-out</b> ({@code BroadcastBenchmark 200 50 10}: a third argument, broadcasts per second): see
 * {@link BroadcastFanOut}.
 */
public final class BroadcastBenchmark {
    static final Pattern OFFERED = Pattern.compile("\"type\":\"TaskOffered\",\"event\":\\{[^}]*?\"taskId\":\"([0-9a-f-]{36})\"");
    static final Pattern PUSH_REF = Pattern.compile("\"ref\":\"([0-9A-F]{6})\"");
    static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final int HTTP_PORT = Integer.getInteger("bench.http-port", 8093);
    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT;
    static final String TEAM = "bench-crash";
    static final String SWITCHBOARD = "sam.patel";
    private static final int WARM_UP = 5;

    public static void main(String[] args) throws Exception {
        int broadcasts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int members = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        // Optional: broadcasts per second, sent on a schedule whatever the answers (the sustained fan-out mode).
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 0;
        boolean production = !"standalone".equals(System.getProperty("bench.jar", "production"));
        // -Dbench.target: another build's directory (a before/after comparison), default target or target-standalone.
        Path dir = Path.of(System.getProperty("bench.target", production ? "target" : "target-standalone")).toAbsolutePath();
        Path jar = dir.resolve("quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build it first: ./mvnw -B -ntp " + (production ? "" : "-Pstandalone ")
                    + "package -DskipTests");
        }
        System.out.println(AppProcess.machine());
        Path data = BenchData.fresh("broadcast-bench");
        try (FakePushService push = new FakePushService()) {
            if (production) {
                int pg = Integer.getInteger("bench.postgres-port", 15462);
                int kafka = Integer.getInteger("bench.kafka-port", 19122);
                try (EmbeddedInfra infra = EmbeddedInfra.start(data, pg, kafka)) {
                    Floor floor = floor(infra.bootstrapServers(), infra.jdbcUrl(), "postgres", "postgres");
                    List<String> jvm = productionArgs(infra);
                    // Ready time: first on the empty database, then restarted on the migrated one.
                    try (AppProcess first = AppProcess.start(jar, jvm, BASE, dir.resolve("broadcast-bench-app-1.log"))) {
                        double ready = first.awaitReadyMillis(10);
                        System.out.printf("production jar ready, empty database (migrations, demo seed): %.0f ms from "
                                + "process start (Quarkus: started in %.3f s); %s%n", ready, first.quarkusStartedSeconds(),
                                first.memory("admin"));
                    }
                    try (AppProcess app = AppProcess.start(jar, jvm, BASE, dir.resolve("broadcast-bench-app.log"))) {
                        double ready = app.awaitReadyMillis(10);
                        System.out.printf("production jar ready, broker and migrated database up: %.0f ms from process "
                                + "start (Quarkus: started in %.3f s); idle: %s%n", ready, app.quarkusStartedSeconds(),
                                app.memory("admin"));
                        Server server = new Server(app, infra.jdbcUrl(), "postgres", "postgres", infra.bootstrapServers());
                        measure(server, push, broadcasts, members, rate, floor, "the application alone");
                    }
                }
            } else {
                List<String> jvm = new ArrayList<>(List.of("-Dquarkus.http.port=" + HTTP_PORT, "-Dquarkus.http.host=127.0.0.1",
                        "-Dpagerless.standalone.postgres-port=" + Integer.getInteger("bench.postgres-port", 15462),
                        "-Dpagerless.standalone.kafka-port=" + Integer.getInteger("bench.kafka-port", 19122),
                        "-Dpagerless.standalone.dir=" + data, "-Dpagerless.data=" + data.resolve("data"),
                        "-Dpagerless.delivery.push.endpoint-origins=http://127.0.0.1:*",
                        "-Dpagerless.interop.snpp.port=0", "-Dpagerless.interop.mllp.port=0",
                        "-Dquarkus.log.level=WARN", "-Dquarkus.log.category.\"io.quarkus\".level=INFO"));
                try (AppProcess app = AppProcess.start(jar, jvm, BASE, dir.resolve("broadcast-bench-app.log"))) {
                    double ready = app.awaitReadyMillis(10);
                    Properties infra = new Properties();
                    try (FileInputStream in = new FileInputStream(data.resolve("standalone.properties").toFile())) {
                        infra.load(in);
                    }
                    Floor floor = floor(infra.getProperty("kafka.bootstrap.servers"), infra.getProperty("jdbc.url"),
                            infra.getProperty("jdbc.username"), infra.getProperty("jdbc.password"));
                    System.out.printf("standalone jar ready (embedded broker and PostgreSQL started first): %.0f ms; idle: %s%n",
                            ready, app.memory("admin"));
                    Server server = new Server(app, infra.getProperty("jdbc.url"), infra.getProperty("jdbc.username"),
                            infra.getProperty("jdbc.password"), infra.getProperty("kafka.bootstrap.servers"));
                    measure(server, push, broadcasts, members, rate, floor,
                            "the application and the embedded Kafka broker (one JVM)");
                }
            }
        }
        System.out.printf("load average after: %s%n", AppProcess.loadAverage());
    }

    /** The production jar's settings for a benchmark (see the class comment; RotaReadBenchmark uses them too): never a hospital's. */
    static List<String> productionArgs(EmbeddedInfra infra) {
        return AppProcess.productionArgs(HTTP_PORT, infra.jdbcUrl(), infra.bootstrapServers());
    }

    private static Floor floor(String bootstrap, String jdbcUrl, String user, String password) throws Exception {
        Floor floor = Floor.measure(bootstrap, jdbcUrl, user, password, 500);
        System.out.println(floor.describe());
        return floor;
    }

    /** The application under test and where its database and broker answer (for its costs). */
    record Server(AppProcess app, String jdbcUrl, String user, String password, String bootstrap) {
    }

    private static void measure(Server server, FakePushService push, int broadcasts, int size, double rate, Floor floor,
                                String whatTheMemoryCovers) throws Exception {
        AppProcess app = server.app();
        HttpClient http = HttpClient.newBuilder().build();
        List<String> members = team(http, size);
        // Member → ref → when their app had the offer (System.nanoTime) / fake subscription id → member.
        Map<String, Map<String, Long>> inApp = new ConcurrentHashMap<>();
        Map<String, String> phoneOf = new HashMap<>();
        Map<String, String> registered = new LinkedHashMap<>();
        List<WebSocket> sockets = new ArrayList<>();
        for (String member : members) {
            FakePushService.Subscription phone = push.subscribe();
            HttpResponse<String> r = http.send(post(member, "/api/v1/me/push-subscriptions",
                    new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(phone.json())),
                    HttpResponse.BodyHandlers.ofString());
            Matcher id = ID.matcher(r.body());
            if (r.statusCode() != 201 || !id.find()) {
                throw new IllegalStateException("push subscription for " + member + ": HTTP " + r.statusCode() + " " + r.body());
            }
            registered.put(id.group(1), member);
            phoneOf.put(phone.id(), member);
            Map<String, Long> seen = inApp.computeIfAbsent(member, m -> new ConcurrentHashMap<>());
            sockets.add(http.newWebSocketBuilder().header("Authorization", AppProcess.basic(member))
                    .buildAsync(URI.create(BASE.replace("http", "ws") + "/api/v1/live"), new WebSocket.Listener() {
                        private final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                Matcher m = OFFERED.matcher(partial);
                                if (m.find()) {
                                    seen.putIfAbsent(m.group(1).substring(0, 6).toUpperCase(), System.nanoTime());
                                }
                                partial.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS));
        }

        if (rate > 0) {
            BroadcastFanOut.run(server, http, push, members, inApp, phoneOf, broadcasts, rate, whatTheMemoryCovers);
        } else {
            oneAtATime(app, http, push, members, inApp, phoneOf, broadcasts, floor, whatTheMemoryCovers);
        }
        for (WebSocket s : sockets) {
            s.abort();
        }
        for (Map.Entry<String, String> s : registered.entrySet()) {
            http.send(request(s.getValue(), "/api/v1/me/push-subscriptions/" + s.getKey()).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    /** The goal's case: one broadcast at a time, each measured until every member has it, then cancelled. */
    private static void oneAtATime(AppProcess app, HttpClient http, FakePushService push, List<String> members,
                                   Map<String, Map<String, Long>> inApp, Map<String, String> phoneOf, int broadcasts,
                                   Floor floor, String whatTheMemoryCovers) throws Exception {
        Stats all = new Stats();
        Stats appLast = new Stats();
        Stats pushLast = new Stats();
        int incomplete = 0;
        for (int i = 0; i < WARM_UP + broadcasts; i++) {
            long t0 = System.nanoTime();
            Instant wall0 = Instant.now();
            HttpResponse<String> r = http.send(post(SWITCHBOARD, "/api/v1/broadcasts",
                    "{\"team\":\"" + TEAM + "\",\"message\":\"Cardiac arrest (benchmark)\",\"location\":\"ED resus\"}"),
                    HttpResponse.BodyHandlers.ofString());
            Matcher id = ID.matcher(r.body());
            if (r.statusCode() != 202 || !id.find()) {
                throw new IllegalStateException("broadcast: HTTP " + r.statusCode() + " " + r.body());
            }
            String task = id.group(1);
            String ref = task.substring(0, 6).toUpperCase();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
            long lastApp = -1;
            long lastPush = -1;
            while (System.nanoTime() < deadline) {
                lastApp = latest(members, m -> inApp.get(m).get(ref), t0);
                lastPush = latestPush(push, phoneOf, members, ref, wall0);
                if (lastApp >= 0 && lastPush >= 0) {
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
            http.send(post(SWITCHBOARD, "/api/v1/tasks/" + task + "/cancel", "{\"reason\":\"benchmark over\"}"),
                    HttpResponse.BodyHandlers.discarding());
            if (i < WARM_UP) {
                continue;
            }
            if (lastApp < 0 || lastPush < 0) {
                incomplete++;
                continue;
            }
            appLast.add(lastApp);
            pushLast.add(lastPush);
            all.add(Math.max(lastApp, lastPush));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        System.out.println();
        System.out.println("| broadcasts | members | every member's app and push p50 ms | p95 ms | p99 ms | max ms | last app p99 ms | last push p99 ms | incomplete (30 s) | p99 / floor p99 | load avg after |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf("| %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %.1f× | %s |%n", broadcasts, members.size(),
                all.percentileMillis(50), all.percentileMillis(95), all.percentileMillis(99), all.maxMillis(),
                appLast.percentileMillis(99), pushLast.percentileMillis(99), incomplete,
                all.percentileMillis(99) / floor.millis(99), AppProcess.loadAverage());
        System.out.printf("%nafter the broadcasts, %s: %s%n", whatTheMemoryCovers, app.memory("admin"));
        System.out.printf("pushes decrypted by the fake push service: %d; refused: %d%n", push.received().size(),
                push.refused().size());
    }

    /** The latest of every member's time (nanoTime) less {@code t0}; -1 while a member has none yet. */
    private static long latest(List<String> members, java.util.function.Function<String, Long> at, long t0) {
        long latest = 0;
        for (String m : members) {
            Long t = at.apply(m);
            if (t == null) {
                return -1;
            }
            latest = Math.max(latest, t - t0);
        }
        return latest;
    }

    /** When the last member's phone had a push carrying {@code ref}, after {@code wall0} (ns); -1 while one has none. */
    private static long latestPush(FakePushService push, Map<String, String> phoneOf, List<String> members, String ref,
                                   Instant wall0) {
        Map<String, Instant> first = new HashMap<>();
        for (FakePushService.Push p : push.received()) {
            Matcher m = PUSH_REF.matcher(p.payload() == null ? "" : p.payload());
            String member = phoneOf.get(p.subscriptionId());
            if (member != null && m.find() && m.group(1).equals(ref)) {
                first.merge(member, p.at(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        long latest = 0;
        for (String member : members) {
            Instant at = first.get(member);
            if (at == null) {
                return -1;
            }
            latest = Math.max(latest, java.time.Duration.between(wall0, at).toNanos());
        }
        return latest;
    }

    /** A team of {@code size} bench staff holding its one role from an hour ago for twelve hours. */
    private static List<String> team(HttpClient http, int size) throws Exception {
        String role = TEAM + "-member";
        send(http, post("admin", "/api/v1/rota/roles", "{\"id\":\"" + role + "\",\"name\":\"Bench crash team member\"}"));
        send(http, post("admin", "/api/v1/rota/teams", "{\"id\":\"" + TEAM + "\",\"name\":\"Bench crash team\",\"roles\":[\""
                + role + "\"]}"));
        List<String> members = new ArrayList<>();
        Instant from = Instant.now().minusSeconds(3600);
        Instant to = from.plusSeconds(12 * 3600);
        for (int i = 1; i <= size; i++) {
            String id = String.format("bcast.%02d", i);
            send(http, post("admin", "/api/v1/rota/staff", "{\"id\":\"" + id + "\",\"name\":\"Broadcast " + i
                    + "\",\"grade\":\"FY1\",\"appRole\":\"clinician\"}"));
            send(http, post("admin", "/api/v1/rota/shifts", "{\"roleId\":\"" + role + "\",\"staffId\":\"" + id
                    + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}"));
            members.add(id);
        }
        // Every pod reloads its reference data (at once on the rota-events topic, else within 10 s).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> holders = http.send(request(SWITCHBOARD, "/api/v1/roles/" + role + "/holders").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (holders.statusCode() == 200 && members.stream().allMatch(m -> holders.body().contains("\"" + m + "\""))) {
                System.out.printf("team %s: %d members hold %s now%n", TEAM, members.size(), role);
                return members;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IllegalStateException("the " + size + " bench staff do not all hold " + role + " after 60 s");
    }

    static void send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300 && r.statusCode() != 409) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + ": HTTP " + r.statusCode()
                    + " " + r.body());
        }
    }

    static HttpRequest post(String user, String path, String json) {
        return request(user, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    static HttpRequest.Builder request(String user, String path) {
        return HttpRequest.newBuilder(URI.create(BASE + path)).header("Authorization", AppProcess.basic(user));
    }
}
