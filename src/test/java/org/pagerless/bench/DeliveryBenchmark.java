package org.pagerless.bench;

import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.pagerless.support.FakeTwilio;

/**
 * Deliveries per second and intake → first delivery attempt latency through Twilio, beside the floor
 * measured in the same run. Starts the test tree's fake Twilio in this process on a fixed loopback port,
 * then starts the packaged standalone Pagerless as a child process pointed at it (Twilio account, token,
 * sender and API base URL as system properties), on its own ports. Sends stat bleeps to "Medical SHO
 * On-Call" (two holders) at fixed rates; stat texts go at once and are never rate-limited or bundled, so
 * every bleep makes one text per holder. Latency = POST sent → the fake Twilio receives the first text
 * carrying the task's ref (the dispatcher's first SMS attempt). Every bleep is cancelled after its rate's
 * run. Loopback only; bounded in count and time; the child is stopped at the end.
 *
 * <pre>./mvnw -B -ntp -Pstandalone package -DskipTests
 * ./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.pagerless.bench.DeliveryBenchmark 5,20,50 300</pre>
 */
public final class DeliveryBenchmark {
    private static final String ROLE = "Medical SHO On-Call";
    private static final int HTTP_PORT = Integer.getInteger("bench.http-port", 8091);
    private static final int TWILIO_PORT = Integer.getInteger("bench.twilio-port", 18089);
    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT;

    public static void main(String[] args) throws Exception {
        int[] rates = java.util.Arrays.stream((args.length > 0 ? args[0] : "5,20,50").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int perRate = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path dir = Path.of("target-standalone").toAbsolutePath();
        Path jar = dir.resolve("quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build it first: ./mvnw -B -ntp -Pstandalone package -DskipTests");
        }
        try (FakeTwilio twilio = new FakeTwilio(BASE, TWILIO_PORT)) {
            Process app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.port=" + HTTP_PORT, "-Dquarkus.http.host=127.0.0.1",
                    "-Dpagerless.standalone.postgres-port=" + Integer.getInteger("bench.postgres-port", 15452),
                    "-Dpagerless.standalone.kafka-port=" + Integer.getInteger("bench.kafka-port", 19112),
                    "-Dpagerless.standalone.dir=" + dir,
                    "-Dpagerless.twilio.account-sid=" + FakeTwilio.ACCOUNT_SID,
                    "-Dpagerless.twilio.auth-token=" + FakeTwilio.AUTH_TOKEN,
                    "-Dpagerless.twilio.from=" + FakeTwilio.FROM,
                    "-Dpagerless.twilio.base-url=" + twilio.baseUrl(),
                    "-Dquarkus.log.level=WARN", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("delivery-bench-app.log").toFile()).start();
            try {
                measure(twilio, rates, perRate, dir);
            } finally {
                app.destroy();
                if (!app.waitFor(30, TimeUnit.SECONDS)) {
                    app.destroyForcibly();
                }
            }
        }
    }

    private static void measure(FakeTwilio twilio, int[] rates, int perRate, Path dir) throws Exception {
        HttpClient http = HttpClient.newBuilder().build();
        awaitReady(http);
        Properties infra = new Properties();
        try (FileInputStream in = new FileInputStream(dir.resolve("standalone.properties").toFile())) {
            infra.load(in);
        }
        System.out.printf("machine: %d cores, %s %s, Java %s; load average before: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), loadAverage());
        Floor floor = Floor.measure(infra.getProperty("kafka.bootstrap.servers"), infra.getProperty("jdbc.url"),
                infra.getProperty("jdbc.username"), infra.getProperty("jdbc.password"), 500);
        System.out.printf("floor: kafka round trip p50 %.2f ms p99 %.2f ms; postgres commit p50 %.2f ms p99 %.2f ms;"
                        + " floor p50 %.2f ms p99 %.2f ms%n",
                floor.kafkaRoundTrip.percentileMillis(50), floor.kafkaRoundTrip.percentileMillis(99),
                floor.postgresCommit.percentileMillis(50), floor.postgresCommit.percentileMillis(99),
                floor.millis(50), floor.millis(99));

        run(http, twilio, 2, 20); // warm-up: JIT, pools, consumer groups
        System.out.println();
        System.out.println("| rate (stat bleeps/s) | bleeps | texts received | deliveries/s | first attempt p50 ms | p95 ms | p99 ms | max ms | p50 / floor | p99 / floor | load avg after |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (int rate : rates) {
            Result r = run(http, twilio, rate, perRate);
            System.out.printf("| %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f× | %.1f× | %s |%n", rate, r.sent,
                    r.texts, r.perSecond, r.latency.percentileMillis(50), r.latency.percentileMillis(95),
                    r.latency.percentileMillis(99), r.latency.maxMillis(), r.latency.percentileMillis(50) / floor.millis(50),
                    r.latency.percentileMillis(99) / floor.millis(99), loadAverage());
        }
    }

    private record Result(int sent, int texts, double perSecond, Stats latency) {
    }

    private static Result run(HttpClient http, FakeTwilio twilio, int rate, int count) throws Exception {
        int before = twilio.received().size();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(256);
        AtomicInteger failures = new AtomicInteger();
        String body = "{\"to\":{\"role\":\"" + ROLE + "\"},\"callback\":\"4417\",\"message\":\"bench\",\"priority\":\"stat\"}";
        long start = System.nanoTime();
        Instant wallStart = Instant.now();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquire();
            Instant wall0 = Instant.now();
            http.sendAsync(post("/api/v1/bleeps", body), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                inFlight.release();
                Matcher m = error == null && response.statusCode() == 202
                        ? Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(response.body()) : null;
                if (m == null || !m.find()) {
                    failures.incrementAndGet();
                    return;
                }
                ids.add(m.group(1));
                // The fake stamps texts with the wall clock (Instant.now(), microseconds): the send time is on it too.
                sentAt.put(m.group(1).substring(0, 6).toUpperCase(), wall0.getEpochSecond() * 1_000_000_000L
                        + wall0.getNano());
            });
        }
        inFlight.acquire(256);
        inFlight.release(256);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, Long> first = new ConcurrentHashMap<>();
        while (System.nanoTime() < deadline) {
            first.clear();
            List<FakeTwilio.Sms> all = twilio.received(); // a copy: texts keep arriving meanwhile
            for (FakeTwilio.Sms sms : all.subList(before, all.size())) {
                Matcher m = Pattern.compile("ref ([0-9A-F]{6})").matcher(sms.body() == null ? "" : sms.body());
                if (m.find() && sms.at().isAfter(wallStart.minusSeconds(1))) {
                    long at = sms.at().getEpochSecond() * 1_000_000_000L + sms.at().getNano();
                    first.merge(m.group(1), at, Math::min);
                }
            }
            if (first.keySet().containsAll(sentAt.keySet())) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        List<FakeTwilio.Sms> received = twilio.received();
        List<FakeTwilio.Sms> texts = received.subList(before, received.size());
        Stats latency = new Stats();
        sentAt.forEach((ref, sent) -> {
            Long at = first.get(ref);
            if (at != null) {
                latency.add(Math.max(0, at - sent));
            }
        });
        Instant lastText = texts.stream().map(FakeTwilio.Sms::at).max(Instant::compareTo).orElse(wallStart);
        double seconds = Math.max(0.001, (lastText.toEpochMilli() - wallStart.toEpochMilli()) / 1000.0);
        if (failures.get() > 0 || latency.count() < sentAt.size()) {
            System.out.printf("rate %d: %d requests failed, %d of %d bleeps had no text within 60 s%n", rate,
                    failures.get(), sentAt.size() - latency.count(), sentAt.size());
        }
        cancel(http, ids);
        return new Result(count, texts.size(), texts.size() / seconds, latency);
    }

    private static void cancel(HttpClient http, List<String> ids) throws Exception {
        Semaphore inFlight = new Semaphore(32);
        for (String id : List.copyOf(ids)) {
            inFlight.acquire();
            http.sendAsync(post("/api/v1/tasks/" + id + "/cancel", "{\"reason\":\"benchmark over\"}"),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> inFlight.release());
        }
        inFlight.acquire(32);
    }

    private static HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(BASE + path)).header("Authorization", basic("sam.patel"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
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

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "n/a";
        }
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
    }
}
