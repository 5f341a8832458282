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
 * Issue 11's check that the rota's read path is no slower than it was on JDBC (ADR 0006; since ADR 0080 it is plain
 * SQL again), and the production jar's ready time with it. Starts, in this process, a broker and a PostgreSQL for <b>each</b> jar given
 * (the standalone mode's {@link EmbeddedInfra}, fresh data directories, ports {@code bench.postgres-port + i} and
 * {@code bench.kafka-port + i} for the i-th jar, kept across rounds: an older jar cannot start on a schema a newer one
 * migrated) and then each production jar, <b>alternately</b>, for {@code bench.rounds} rounds, as a child JVM pointed
 * at its own ({@link AppProcess#productionArgs}: demo sign-in, demo seed, never a hospital's). For each start: the
 * time to ready ({@code /q/health/ready}); then, one client, one request at a time as the admin, {@code warm-up}
 * unmeasured GETs of each path below in turns, and then {@code n} measured GETs of each in ten turns (so the JIT's
 * remaining compiling and the shared machine's drift fall on every path alike):
 * <ul>
 *   <li>{@code /api/v1/rota/staff} — the staff list (the rota store; since stop 12 kept between rota reloads,
 *   {@code RotaLists});</li>
 *   <li>{@code /api/v1/rota/shifts} — the default window's shifts (a day back to 14 days ahead), likewise;</li>
 *   <li>{@code /api/v1/rota/roles} — roles with their wards, likewise;</li>
 *   <li>{@code /api/v1/roles/med-reg-oncall/holders} — who holds a role now, from the in-memory rota (the bleep's
 *   path, the same code before and after: a control for the machine's load);</li>
 * </ul>
 * with p50 and p99 per endpoint and the application JVM's CPU time per request over the measured GETs — whole, and
 * split into its JIT compiler threads ({@code /proc/<pid>/task}), its idle rate (background work, measured for five
 * seconds after the GETs, times the path's wall time) and <b>the request's own</b>, the rest (the machine is shared:
 * CPU per request is steadier than wall time on a loaded box). Then the SHA-256 and length of each body in {@link #BODIES} (the lists
 * above, shifts over a fixed window and narrowed, one role, one person): equal digests across the jars show the
 * answers are byte-identical. At the end, per jar and path, the median over the rounds. Comparing two builds: build
 * each production jar ({@code ./mvnw -B -ntp package -DskipTests}) and copy its {@code target/quarkus-app} aside, then:
 * <pre>./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.pagerless.bench.RotaReadBenchmark 2000 \
 *     /tmp/before/quarkus-app/quarkus-run.jar /tmp/after/quarkus-app/quarkus-run.jar</pre>
 * A jar may be followed by JVM options of its own, e.g. {@code /tmp/after/quarkus-app/quarkus-run.jar
 * -Dquarkus.datasource.jdbc.max-size=4}: the same jar twice, with and without a setting, is an A/B test of that
 * setting. A jar from before ADR 0080 also needs its reactive URL: {@code
 * -Dquarkus.datasource.reactive.url=postgresql://localhost:<its PostgreSQL port>/pagerless}. Optional: {@code -Dbench.rounds=3} (the default), {@code -Dbench.warm-up=1000} (the default),
 * {@code -Dbench.http-port=8094}, {@code -Dbench.postgres-port=15463}, {@code -Dbench.kafka-port=19123},
 * {@code -Dbench.paths=/api/v1/rota/staff} (only those paths: for a profile of one), {@code -Dbench.jvm=...} (extra
 * options for the app JVMs, e.g. {@code -XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile}).
 */
public final class RotaReadBenchmark {
    private static final int HTTP_PORT = Integer.getInteger("bench.http-port", 8094);
    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT;
    private static final int BLOCKS = 10;
    private static final Duration IDLE = Duration.ofSeconds(5);
    /** The paths measured; {@code -Dbench.paths=a,b} measures only those (e.g. one path under a profiler). */
    private static final List<String> PATHS = List.of(System.getProperty("bench.paths", "/api/v1/rota/staff,"
            + "/api/v1/rota/shifts,/api/v1/rota/roles,/api/v1/roles/med-reg-oncall/holders").split(","));
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
        List<List<String>> options = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("-")) {
                if (jars.isEmpty()) {
                    throw new IllegalArgumentException("JVM option " + args[i] + " before any jar");
                }
                options.get(options.size() - 1).add(args[i]);
                continue;
            }
            Path jar = Path.of(args[i]).toAbsolutePath();
            if (!Files.exists(jar)) {
                throw new IllegalStateException("no jar at " + jar + ": build it first (./mvnw -B -ntp package -DskipTests)");
            }
            jars.add(jar);
            options.add(new ArrayList<>());
        }
        int rounds = Integer.getInteger("bench.rounds", 3);
        int warmUp = Integer.getInteger("bench.warm-up", 1000);
        System.out.println(AppProcess.machine());
        Path data = BenchData.fresh("rota-bench");
        int pg = Integer.getInteger("bench.postgres-port", 15463);
        int kafka = Integer.getInteger("bench.kafka-port", 19123);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<EmbeddedInfra> infras = new ArrayList<>();
        // [jar][path] -> one figure per round
        List<List<List<double[]>>> figures = new ArrayList<>();
        try {
            for (int j = 0; j < jars.size(); j++) {
                // Each jar its own broker and database, kept across rounds: an older jar's Flyway refuses a schema a
                // newer jar migrated, and neither reads the other's events.
                infras.add(EmbeddedInfra.start(data.resolve("infra-" + j), pg + j, kafka + j));
                List<List<double[]>> perPath = new ArrayList<>();
                PATHS.forEach(path -> perPath.add(new ArrayList<>()));
                figures.add(perPath);
            }
            for (int round = 1; round <= rounds; round++) {
                for (int j = 0; j < jars.size(); j++) {
                    Path jar = jars.get(j);
                    EmbeddedInfra infra = infras.get(j);
                    List<String> jvm = new ArrayList<>(AppProcess.productionArgs(HTTP_PORT, infra.jdbcUrl(),
                            infra.bootstrapServers()));
                    jvm.addAll(options.get(j));
                    Path log = data.resolve("app-" + round + "-" + j + ".log");
                    try (AppProcess app = AppProcess.start(jar, jvm, BASE, log)) {
                        double ready = app.awaitReadyMillis(10);
                        System.out.printf("%nround %d, %s: ready in %.0f ms from process start (Quarkus: started in "
                                + "%.3f s)%s; load average %s%n", round, label(jars, options, j), ready,
                                app.quarkusStartedSeconds(), round == 1 ? " [empty database: migrations and demo seed]"
                                        : "", AppProcess.loadAverage());
                        List<double[]> measured = measure(http, app, n, warmUp);
                        for (int k = 0; k < PATHS.size(); k++) {
                            figures.get(j).get(k).add(measured.get(k));
                        }
                    }
                }
            }
        } finally {
            for (EmbeddedInfra infra : infras) {
                infra.close();
            }
        }
        System.out.printf("%nMedian of %d rounds: p50 ms; app CPU ms/request (all); JIT compiler threads; the request "
                + "(all less the JIT and the idle rate)%n", rounds);
        for (int k = 0; k < PATHS.size(); k++) {
            System.out.printf("  %-40s", PATHS.get(k));
            for (int j = 0; j < jars.size(); j++) {
                List<double[]> f = figures.get(j).get(k);
                System.out.printf("  %s %5.2f ms, CPU %5.3f, JIT %5.3f, request %5.3f", label(jars, options, j), median(f, 0),
                        median(f, 1), median(f, 2), median(f, 3));
            }
            System.out.println();
        }
        System.out.printf("%nload average after: %s%n", AppProcess.loadAverage());
    }

    private static String label(List<Path> jars, List<List<String>> options, int j) {
        Path jar = jars.get(j);
        return "#" + (j + 1) + " " + jar.getParent().getParent().getFileName() + "/" + jar.getParent().getFileName()
                + (options.get(j).isEmpty() ? "" : " " + String.join(" ", options.get(j)));
    }

    private static double median(List<double[]> rounds, int index) {
        double[] values = rounds.stream().mapToDouble(f -> f[index]).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    /**
     * Warms every path up first, taking turns ({@code warmUp} GETs of each), so the JIT's compiling lands on no one
     * path's measurement (the first path measured used to carry most of it); then {@code n} GETs of each path, in
     * turns; then the app's idle CPU rate over {@link #IDLE}. Answers per path {p50 ms, app CPU ms per request, of
     * which the JIT compiler threads, the request's own (all less the JIT and the idle rate over the path's wall
     * time)}.
     */
    private static List<double[]> measure(HttpClient http, AppProcess app, int n, int warmUp) throws Exception {
        String auth = AppProcess.basic("admin");
        List<HttpRequest> gets = PATHS.stream().map(path -> HttpRequest.newBuilder(URI.create(BASE + path))
                .header("Authorization", auth).header("Accept", "application/json").build()).toList();
        for (int i = 0; i < warmUp; i++) {
            for (HttpRequest get : gets) {
                send(http, get);
            }
        }
        // Measured in BLOCKS turns (n / BLOCKS GETs of each path per turn), so whatever drifts over the run — the
        // JIT's remaining compiling, the shared machine's load — falls on every path alike.
        int perBlock = Math.max(1, n / BLOCKS);
        List<Stats> stats = new ArrayList<>();
        long[] cpu = new long[PATHS.size()];
        long[] jit = new long[PATHS.size()];
        long[] wall = new long[PATHS.size()];
        PATHS.forEach(path -> stats.add(new Stats()));
        for (int block = 0; block < BLOCKS; block++) {
            for (int k = 0; k < PATHS.size(); k++) {
                HttpRequest get = gets.get(k);
                long cpuBefore = cpuNanos(app);
                long jitBefore = compilerNanos(app);
                long wallBefore = System.nanoTime();
                for (int i = 0; i < perBlock; i++) {
                    long t0 = System.nanoTime();
                    send(http, get);
                    stats.get(k).add(System.nanoTime() - t0);
                }
                wall[k] += System.nanoTime() - wallBefore;
                cpu[k] += cpuNanos(app) - cpuBefore;
                jit[k] += compilerNanos(app) - jitBefore;
            }
        }
        // The app's own background work (tickers, pollers, consumers) while it answers nothing, as CPU per second
        // outside the JIT: taken off each path at its wall time, since it differs between builds and would otherwise
        // count more against a slower answer.
        long idleCpu = cpuNanos(app) - compilerNanos(app);
        long idleStart = System.nanoTime();
        Thread.sleep(IDLE.toMillis());
        double idlePerNano = (double) (cpuNanos(app) - compilerNanos(app) - idleCpu) / (System.nanoTime() - idleStart);
        System.out.printf("  idle: %.1f ms CPU per second outside the JIT%n", idlePerNano * 1e3);
        List<double[]> measured = new ArrayList<>();
        for (int k = 0; k < PATHS.size(); k++) {
            Stats s = stats.get(k);
            double cpuMs = cpu[k] / 1e6 / s.count();
            double jitMs = jit[k] / 1e6 / s.count();
            double idleMs = idlePerNano * wall[k] / 1e6 / s.count();
            double workMs = cpuMs - jitMs - idleMs;
            System.out.printf("  GET %-40s n=%d  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  app CPU %.3f ms/request"
                    + " = JIT %.3f + idle rate %.3f + the request %.3f%n", PATHS.get(k), s.count(),
                    s.percentileMillis(50), s.percentileMillis(99), s.maxMillis(), cpuMs, jitMs, idleMs, workMs);
            measured.add(new double[] {s.percentileMillis(50), cpuMs, jitMs, workMs});
        }
        for (String path : BODIES) {
            HttpRequest get = HttpRequest.newBuilder(URI.create(BASE + path)).header("Authorization", auth)
                    .header("Accept", "application/json").build();
            byte[] body = send(http, get);
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(body);
            System.out.printf("  body %s %6d bytes  %s%n", java.util.HexFormat.of().formatHex(digest, 0, 8),
                    body.length, path);
        }
        return measured;
    }

    private static byte[] send(HttpClient http, HttpRequest get) throws Exception {
        HttpResponse<byte[]> response = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(get.uri() + " answered " + response.statusCode() + ": "
                    + new String(response.body()));
        }
        return response.body();
    }

    /** CPU time so far of the application JVM's JIT compiler threads ({@link ProcCpu#jitMillis}); 0 without /proc. */
    private static long compilerNanos(AppProcess app) {
        return (long) (ProcCpu.jitMillis(app.process.pid()) * 1e6); // NaN (no /proc) casts to 0
    }

    /** The application JVM's CPU time so far (every thread, user and system), from the operating system. */
    private static long cpuNanos(AppProcess app) {
        return app.process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
