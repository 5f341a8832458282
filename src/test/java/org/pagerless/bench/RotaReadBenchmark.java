package org.pagerless.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.pagerless.standalone.EmbeddedInfra;

/**
 * Issue 11's check that the rota's read path is no slower on Hibernate Reactive than on JDBC (ADR 0006), and the
 * production jar's ready time with it. Starts the broker and PostgreSQL in this process (the standalone mode's
 * {@link EmbeddedInfra}, fresh data directory) and then each production jar given, <b>alternately</b>, for
 * {@code bench.rounds} rounds, as a child JVM pointed at them ({@link AppProcess#productionArgs}: demo sign-in,
 * demo seed, never a hospital's). For each start: the time to ready ({@code /q/health/ready}), then, one client, one
 * request at a time as the admin, {@code warm-up} unmeasured and then {@code n} measured GETs of each of
 * <ul>
 *   <li>{@code /api/v1/rota/staff} — the staff list, from the database (the rota store);</li>
 *   <li>{@code /api/v1/rota/shifts} — the default window's shifts (a day back to 14 days ahead), from the database;</li>
 *   <li>{@code /api/v1/rota/roles} — roles with their wards, from the database;</li>
 *   <li>{@code /api/v1/roles/med-reg-oncall/holders} — who holds a role now, from the in-memory rota (the bleep's
 *   path, the same code before and after: a control for the machine's load);</li>
 * </ul>
 * with p50 and p99 per endpoint and the application JVM's CPU time per request over the measured GETs (the machine is
 * shared: CPU per request is steadier than wall time on a loaded box). Then the SHA-256 and length of each body in
 * {@link #BODIES} (the lists above, shifts over a fixed window and narrowed, one role, one person): equal digests
 * across the jars show the answers are byte-identical. Comparing two builds: build each production jar
 * ({@code ./mvnw -B -ntp package -DskipTests}) and copy its {@code target/quarkus-app} aside, then:
 * <pre>./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.pagerless.bench.RotaReadBenchmark 2000 \
 *     /tmp/before/quarkus-app/quarkus-run.jar target/quarkus-app/quarkus-run.jar</pre>
 * Optional: {@code -Dbench.rounds=3}, {@code -Dbench.warm-up=300}, {@code -Dbench.http-port=8094}.
 */
public final class RotaReadBenchmark {
    private static final int HTTP_PORT = Integer.getInteger("bench.http-port", 8094);
    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT;
    private static final List<String> PATHS = List.of("/api/v1/rota/staff", "/api/v1/rota/shifts",
            "/api/v1/rota/roles", "/api/v1/roles/med-reg-oncall/holders");
    /** Answers compared across jars by digest: fixed shift windows, so the clock moving between jars changes nothing. */
    static final List<String> BODIES = List.of("/api/v1/rota/staff", "/api/v1/rota/roles", "/api/v1/rota/roles/med-reg-oncall",
            "/api/v1/rota/shifts?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z",
            "/api/v1/rota/shifts?roleId=med-reg-oncall&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z",
            "/api/v1/rota/staff/kate.morgan");

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: RotaReadBenchmark <n> <quarkus-run.jar>...");
        }
        int n = Integer.parseInt(args[0]);
        List<Path> jars = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Path jar = Path.of(args[i]).toAbsolutePath();
            if (!Files.exists(jar)) {
                throw new IllegalStateException("no jar at " + jar + ": build it first (./mvnw -B -ntp package -DskipTests)");
            }
            jars.add(jar);
        }
        int rounds = Integer.getInteger("bench.rounds", 2);
        int warmUp = Integer.getInteger("bench.warm-up", 300);
        System.out.println(AppProcess.machine());
        Path data = Files.createTempDirectory("pagerless-rota-bench-");
        int pg = Integer.getInteger("bench.postgres-port", 15463);
        int kafka = Integer.getInteger("bench.kafka-port", 19123);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (EmbeddedInfra infra = EmbeddedInfra.start(data, pg, kafka)) {
            List<String> jvm = AppProcess.productionArgs(HTTP_PORT, infra.jdbcUrl(), infra.bootstrapServers());
            for (int round = 1; round <= rounds; round++) {
                for (int j = 0; j < jars.size(); j++) {
                    Path jar = jars.get(j);
                    String label = jar.getParent().getParent().getFileName() + "/" + jar.getParent().getFileName();
                    Path log = data.resolve("app-" + round + "-" + j + ".log");
                    try (AppProcess app = AppProcess.start(jar, jvm, BASE, log)) {
                        double ready = app.awaitReadyMillis(10);
                        System.out.printf("%nround %d, %s: ready in %.0f ms from process start (Quarkus: started in "
                                + "%.3f s)%s; load average %s%n", round, label, ready, app.quarkusStartedSeconds(),
                                round == 1 && j == 0 ? " [empty database: migrations and demo seed]" : "",
                                AppProcess.loadAverage());
                        measure(http, app, n, warmUp);
                    }
                }
            }
        }
        System.out.printf("%nload average after: %s%n", AppProcess.loadAverage());
    }

    private static void measure(HttpClient http, AppProcess app, int n, int warmUp) throws Exception {
        String auth = AppProcess.basic("admin");
        for (String path : PATHS) {
            HttpRequest get = HttpRequest.newBuilder(URI.create(BASE + path)).header("Authorization", auth)
                    .header("Accept", "application/json").build();
            for (int i = 0; i < warmUp; i++) {
                send(http, get);
            }
            Stats s = new Stats();
            long cpuBefore = cpuNanos(app);
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                send(http, get);
                s.add(System.nanoTime() - t0);
            }
            long cpu = cpuNanos(app) - cpuBefore;
            System.out.printf("  GET %-40s n=%d  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  app CPU %.3f ms/request%n",
                    path, s.count(), s.percentileMillis(50), s.percentileMillis(99), s.maxMillis(), cpu / 1e6 / n);
        }
        for (String path : BODIES) {
            HttpRequest get = HttpRequest.newBuilder(URI.create(BASE + path)).header("Authorization", auth)
                    .header("Accept", "application/json").build();
            byte[] body = send(http, get);
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(body);
            System.out.printf("  body %s %6d bytes  %s%n", java.util.HexFormat.of().formatHex(digest, 0, 8),
                    body.length, path);
        }
    }

    private static byte[] send(HttpClient http, HttpRequest get) throws Exception {
        HttpResponse<byte[]> response = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(get.uri() + " answered " + response.statusCode() + ": "
                    + new String(response.body()));
        }
        return response.body();
    }

    /** The application JVM's CPU time so far (every thread, user and system), from the operating system. */
    private static long cpuNanos(AppProcess app) {
        return app.process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
