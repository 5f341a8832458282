package org.pagerless.bench;

import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Posts messages at a fixed rate into a 50-member group on a running Pagerless (standalone mode) while every member
 * has the app open (one WebSocket each), and reports post → every open app latency: for each message, from just
 * before the POST until the last of the 50 apps has it. Beside the floor measured in the same run. Adds 49 bench staff
 * ({@code bench.NN}) through the admin API the first time.
 *
 * <pre>./mvnw -B -ntp test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.pagerless.bench.ConversationBenchmark -Dexec.args="100 3000"</pre>
 */
public final class ConversationBenchmark {
    private static final Pattern POSTED = Pattern.compile("\"type\":\"MessagePosted\".*?\"message\":\\{\"id\":\"([0-9a-f-]{36})\"");
    private static final int MEMBERS = 50;

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        String base = System.getProperty("pagerless.url", "http://localhost:8080");
        Properties infra = new Properties();
        try (FileInputStream in = new FileInputStream(System.getProperty("pagerless.standalone",
                "target-standalone/standalone.properties"))) {
            infra.load(in);
        }
        System.out.println(AppProcess.machine());
        Floor floor = Floor.measure(infra.getProperty("kafka.bootstrap.servers"), infra.getProperty("jdbc.url"),
                infra.getProperty("jdbc.username"), infra.getProperty("jdbc.password"), 500);
        System.out.printf("floor: p50 %.2f ms p99 %.2f ms%n", floor.millis(50), floor.millis(99));

        HttpClient http = HttpClient.newBuilder().build();
        List<String> members = new ArrayList<>(List.of("kate.morgan"));
        for (int i = 1; i < MEMBERS; i++) {
            String id = String.format("bench.%02d", i);
            send(http, base, "admin", "POST", "/api/v1/rota/staff", "{\"id\":\"" + id + "\",\"name\":\"Bench " + i
                    + "\",\"grade\":\"FY1\",\"appRole\":\"clinician\"}"); // 201, or 409 when already there
            members.add(id);
        }
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3)); // every pod reloads its reference data
        StringBuilder list = new StringBuilder();
        members.subList(1, members.size()).forEach(m -> list.append(list.length() == 0 ? "" : ",").append('"').append(m).append('"'));
        HttpResponse<String> group = send(http, base, "kate.morgan", "POST", "/api/v1/conversations/groups",
                "{\"title\":\"Benchmark room\",\"members\":[" + list + "]}");
        Matcher idMatch = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(group.body());
        if (group.statusCode() != 201 || !idMatch.find()) {
            throw new IllegalStateException("group not made: " + group.statusCode());
        }
        String conversation = idMatch.group(1);

        Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
        Map<String, Long> lastArrival = new ConcurrentHashMap<>();
        Stats perApp = new Stats();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<WebSocket> sockets = new ArrayList<>();
        for (String member : members) {
            sockets.add(http.newWebSocketBuilder().header("Authorization", basic(member))
                    .buildAsync(URI.create(base.replace("http", "ws") + "/api/v1/live"), new WebSocket.Listener() {
                        private final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                Matcher m = POSTED.matcher(partial);
                                if (m.find()) {
                                    long now = System.nanoTime();
                                    Long t0 = sentAt.get(m.group(1));
                                    if (t0 != null) {
                                        perApp.add(now - t0);
                                    }
                                    arrivals.computeIfAbsent(m.group(1), k -> new AtomicInteger()).incrementAndGet();
                                    lastArrival.merge(m.group(1), now, Math::max);
                                }
                                partial.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS));
        }

        Semaphore inFlight = new Semaphore(256);
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            Pace.until(start, i, interval);
            String author = members.get(i % members.size());
            String key = UUID.randomUUID().toString();
            String messageId = UUID.nameUUIDFromBytes(("message:" + conversation + ":" + author + ":" + key)
                    .getBytes(StandardCharsets.UTF_8)).toString();
            inFlight.acquire();
            sentAt.put(messageId, System.nanoTime());
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/conversations/" + conversation + "/messages"))
                    .header("Authorization", basic(author)).header("Content-Type", "application/json")
                    .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"bench " + i + "\"}")).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                inFlight.release();
                if (error != null || response.statusCode() != 202) {
                    failures.incrementAndGet();
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && sentAt.keySet().stream()
                .anyMatch(id -> arrivals.getOrDefault(id, new AtomicInteger()).get() < MEMBERS)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        Stats everyApp = new Stats();
        int complete = 0;
        long end = start;
        for (Map.Entry<String, Long> sent : sentAt.entrySet()) {
            if (arrivals.getOrDefault(sent.getKey(), new AtomicInteger()).get() >= MEMBERS) {
                complete++;
                everyApp.add(lastArrival.get(sent.getKey()) - sent.getValue());
                end = Math.max(end, lastArrival.get(sent.getKey()));
            }
        }
        System.out.println("| rate (messages/s) | sent | failed | reached all 50 apps | throughput /s | post → every app p50 ms | p95 ms | p99 ms | max ms | per app p99 ms | p99 / floor |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf("| %d | %d | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f× |%n", rate, count, failures.get(),
                complete, complete / ((end - start) / 1e9), everyApp.percentileMillis(50), everyApp.percentileMillis(95),
                everyApp.percentileMillis(99), everyApp.maxMillis(), perApp.percentileMillis(99),
                everyApp.percentileMillis(99) / floor.millis(99));
        for (WebSocket s : sockets) {
            s.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    private static HttpResponse<String> send(HttpClient http, String base, String user, String method, String path,
                                             String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic(user))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
    }
}
