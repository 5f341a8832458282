package org.pagerless.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Pagerless JVM started by a benchmark as a child process: how long it took to become ready, and what it holds in
 * memory — resident set (VmRSS, and its peak VmHWM, from {@code /proc/<pid>/status}: the whole JVM, heap or not)
 * and the Java heap (used, committed and max, from the app's own {@code /q/metrics}). Which JVM it is says what these
 * cover: the production jar holds the application alone (the broker and PostgreSQL run elsewhere); the standalone jar
 * also holds the embedded Kafka broker (its PostgreSQL is a process of its own and not counted).
 */
public final class AppProcess implements AutoCloseable {
    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");
    /** The java launcher of this JVM: the one a child runs on unless told otherwise. */
    static final String OWN_JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /**
     * The launcher every benchmark runs a jar on ({@link #start(Path, List, String, Path)}, DeliveryBenchmark's and the
     * fault-injection harness's own starts): {@code -Dbench.java=<launcher>} (e.g.
     * {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}, the Java 25 image's JVM), else this JVM's own.
     */
    static final String APP_JAVA = System.getProperty("bench.java", OWN_JAVA);

    public final String base;
    public final Process process;
    final Path log;
    final long startedNanos;
    private final HttpClient http = HttpClient.newBuilder().build();

    private AppProcess(String base, Process process, Path log, long startedNanos) {
        this.base = base;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /** The standalone profile's demo VAPID pair (application.properties): public, for benchmarks and tests only. */
    private static final String[] DEMO_VAPID = {
        "BGv5uBF3pLFTGJeUiVT2X7kbbjjyu2UAPeYSbOlJJpdUdjh4hukvT85GXQuXptz8j1LsGNKn-uPERRJisAucocQ",
        "oS3HDZMJZSKWMBC_uOf2UIDxKUtCVgIkPfBL8slYl9s", "mailto:pagerless-demo@example.org" };

    /**
     * Settings for the production jar run by a benchmark or an integration test against a broker and database of
     * its own: the demo sign-in (password {@code demo}) and hospital, no OIDC, no production checks, the public demo
     * VAPID pair, raise limits out of the way, SNPP and MLLP on free ports. Never a hospital's settings.
     */
    public static List<String> productionArgs(int httpPort, String jdbcUrl, String bootstrapServers) {
        return List.of("-Dquarkus.http.port=" + httpPort, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.datasource.jdbc.url=" + jdbcUrl,
                "-Dquarkus.datasource.username=postgres",
                "-Dquarkus.datasource.password=postgres", "-Dkafka.bootstrap.servers=" + bootstrapServers,
                "-Dpagerless.kafka.replication-factor=1",
                "-Dpagerless.production-checks=false", "-Dpagerless.identity.oidc.enabled=false",
                "-Dpagerless.identity.demo-password=demo", "-Dpagerless.demo.seed=true",
                "-Dpagerless.limits.raise.person=1000000", "-Dpagerless.limits.stat.person=1000000",
                "-Dpagerless.delivery.push.vapid-public-key=" + DEMO_VAPID[0],
                "-Dpagerless.delivery.push.vapid-private-key=" + DEMO_VAPID[1],
                "-Dpagerless.delivery.push.vapid-subject=" + DEMO_VAPID[2],
                "-Dpagerless.delivery.push.endpoint-origins=http://127.0.0.1:*",
                "-Dpagerless.interop.snpp.port=0", "-Dpagerless.interop.snpp.host=127.0.0.1",
                "-Dpagerless.interop.mllp.port=0", "-Dpagerless.interop.mllp.host=127.0.0.1",
                "-Dquarkus.log.level=WARN", "-Dquarkus.log.category.\"io.quarkus\".level=INFO");
    }

    /**
     * The production JVM options as the image and the README's run command give them: {@code @config/jvm.options}, a
     * java launcher argument file (one source of truth, ADR 0062). {@code -Dbench.jvm-options=none} starts a jar
     * without them (a before/after comparison), {@code -Dbench.jvm-options=<file>} with another list. Options given
     * after it ({@code jvmArgs}, {@code -Dbench.jvm}) override it (the JVM takes the last of a flag).
     */
    public static List<String> productionJvmOptions() {
        String file = System.getProperty("bench.jvm-options", "config/jvm.options");
        if ("none".equals(file)) {
            return List.of();
        }
        Path path = Path.of(file).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("no JVM options file " + path + " (run from the project directory, or "
                    + "-Dbench.jvm-options=none)");
        }
        return List.of("@" + path);
    }

    /**
     * The packaged production jar ({@code ./mvnw package}): the integration tests' {@code pagerless.it.jar} (pom.xml),
     * else {@code target/quarkus-app/quarkus-run.jar}.
     */
    public static Path packagedJar() {
        return Path.of(System.getProperty("pagerless.it.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
    }

    /** Extra JVM options for the child from {@code -Dbench.jvm} (split on spaces), e.g. a JFR recording or NMT. */
    public static List<String> benchJvmOptions() {
        String extra = System.getProperty("bench.jvm", "");
        return extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    }

    /**
     * Starts {@code java @config/jvm.options <jvmArgs> <bench.jvm> -jar jar} (java: {@link #APP_JAVA}) with its output
     * in {@code log}; the app answers at {@code base}. If {@code jvmArgs} holds an argument file ({@code @file}) of
     * its own, that one is used instead of {@code config/jvm.options}.
     */
    public static AppProcess start(Path jar, List<String> jvmArgs, String base, Path log) throws Exception {
        return start(APP_JAVA, jar, jvmArgs, base, log);
    }

    /** As {@link #start(Path, List, String, Path)} with the java launcher given. */
    static AppProcess start(String java, Path jar, List<String> jvmArgs, String base, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java);
        if (jvmArgs.stream().noneMatch(a -> a.startsWith("@"))) {
            // An argument file given explicitly (e.g. StartupBenchmark's jar::@/dev/null, none) replaces this one.
            command.addAll(productionJvmOptions());
        }
        command.addAll(jvmArgs);
        command.addAll(benchJvmOptions());
        command.add("-jar");
        command.add(jar.toString());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AppProcess(base, p, log, t0);
    }

    /** Waits (≤ {@code minutes}) for {@code /q/health/ready} to answer 200; the time from the process start, in ms. */
    public double awaitReadyMillis(int minutes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Pagerless exited (" + process.exitValue() + "): see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - startedNanos) / 1e6;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        throw new IllegalStateException("Pagerless did not become ready in time: see " + log);
    }

    /** Quarkus's own "started in N s" from the log (JVM start to the application started), or NaN. */
    public double quarkusStartedSeconds() {
        try {
            Matcher m = STARTED.matcher(Files.readString(log));
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** The JVM's resident set now and at its peak, in MiB, from /proc (Linux). */
    double[] rssMiB() {
        return rssMiB(process.pid());
    }

    /** A process's resident set now and at its peak, in MiB, and its thread count, from /proc (Linux); NaN elsewhere. */
    static double[] rssMiB(long pid) {
        try {
            double rss = Double.NaN;
            double hwm = Double.NaN;
            double threads = Double.NaN;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line) / 1024.0;
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line) / 1024.0;
                } else if (line.startsWith("Threads:")) {
                    threads = kib(line);
                }
            }
            return new double[] {rss, hwm, threads};
        } catch (Exception e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }

    private static long kib(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    /** Heap used, committed and max in MiB, summed over the heap pools of the app's /q/metrics (as {@code user}). */
    static double[] heapMiB(String base, String user) {
        HttpClient http = HttpClient.newBuilder().build();
        double[] sums = {0, 0, 0};
        String[] names = {"jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes"};
        try {
            String scrape = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
                    .header("Authorization", basic(user)).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : scrape.split("\n")) {
                for (int i = 0; i < names.length; i++) {
                    if (line.startsWith(names[i] + "{") && line.contains("area=\"heap\"")) {
                        double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        sums[i] += v > 0 ? v / (1024.0 * 1024.0) : 0;
                    }
                }
            }
            return sums;
        } catch (Exception e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }

    /** One line: RSS now / peak and heap used / committed / max. */
    String memory(String user) {
        return memory(process.pid(), base, user);
    }

    /**
     * One line for the Pagerless JVM {@code pid} answering at {@code base}: RSS now / peak, heap used / committed / max,
     * live threads, and — when the JVM runs with {@code -XX:NativeMemoryTracking=summary} (e.g. through
     * {@code -Dbench.jvm}) — what it has committed by area ({@link #nativeMemory}).
     */
    static String memory(long pid, String base, String user) {
        double[] rss = rssMiB(pid);
        double[] heap = heapMiB(base, user);
        return String.format("RSS %.0f MiB (peak %.0f MiB); heap used %.0f MiB, committed %.0f MiB, max %.0f MiB; "
                + "%.0f threads%s", rss[0], rss[1], heap[0], heap[1], heap[2], rss[2], nativeMemory(pid));
    }

    private static final Pattern NMT_AREA = Pattern.compile("^-\\s+([A-Za-z ]+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    /**
     * What the JVM has committed by area, in MiB, from {@code jcmd <pid> VM.native_memory summary} (Native Memory
     * Tracking: the heap, class metadata, compiled code, thread stacks, the collector's own structures...), the five
     * largest and the rest; empty when the JVM does not track (no {@code -XX:NativeMemoryTracking}).
     */
    static String nativeMemory(long pid) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(60, TimeUnit.SECONDS);
            List<String[]> areas = new ArrayList<>();
            for (String line : out.split("\n")) {
                Matcher m = NMT_AREA.matcher(line.trim());
                if (m.find()) {
                    areas.add(new String[] {m.group(1).trim(), m.group(2)});
                }
            }
            if (areas.isEmpty()) {
                return "";
            }
            areas.sort((a, b) -> Long.compare(Long.parseLong(b[1]), Long.parseLong(a[1])));
            StringBuilder line = new StringBuilder("; committed by area (NMT, MiB):");
            long rest = 0;
            long total = 0;
            for (int i = 0; i < areas.size(); i++) {
                long kib = Long.parseLong(areas.get(i)[1]);
                total += kib;
                if (i < 7) {
                    line.append(String.format(" %s %.0f,", areas.get(i)[0], kib / 1024.0));
                } else {
                    rest += kib;
                }
            }
            return line.append(String.format(" other %.0f; total %.0f", rest / 1024.0, total / 1024.0)).toString();
        } catch (Exception e) {
            return "";
        }
    }

    public static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The line every benchmark starts with: the machine, its Java (and the launcher a jar runs on, when
     * {@code -Dbench.java} names another), and the load average before the run.
     */
    static String machine() {
        return String.format("machine: %d cores, %s %s, Java %s%s; load average before: %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), APP_JAVA.equals(OWN_JAVA) ? "" : " (jars run on " + APP_JAVA + ")",
                loadAverage());
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "n/a";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        // A JVM that writes something at exit (an AOT configuration, -XX:AOTMode=record) may need longer: bench.stop-seconds.
        if (!process.waitFor(Integer.getInteger("bench.stop-seconds", 30), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
