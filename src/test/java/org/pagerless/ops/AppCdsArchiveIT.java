package org.pagerless.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagerless.bench.AppProcess;
import org.pagerless.standalone.EmbeddedInfra;
import org.pagerless.support.Ports;

/**
 * The production image's class data sharing archive (Dockerfile.jvm, ADR 0081), outside a container: the Dockerfile's
 * own {@code RUN java ... -Xshare:dump} command, its {@code /deployments} paths mapped to the packaged jar and to the
 * files its {@code COPY} lines take, makes the archive from {@code src/main/docker/app-cds.classlist}; then the
 * packaged jar starts with it against a broker and database of its own, with {@code -Xshare:on} (a JVM that cannot use
 * the archive refuses to start), takes a bleep, and the classes it loaded until ready came from the archive — our own,
 * the Kafka client's, the PostgreSQL driver's and Vert.x's among them (only a jar on the JVM's own class path lets an
 * archive hold them: ADRs 0081, 0096), and no class of the list was left out for coming from a signed jar. When the
 * list no longer covers a start (new libraries, an upgrade), this fails: run
 * {@code src/main/docker/app-cds-classlist.sh}. It also checks that the jar reads its API description at the first
 * request, not while it starts (ADR 0088).
 */
class AppCdsArchiveIT {
    /** The share of a start's classes the list must still cover (stop 34: 96% of 14,634 when it was written). */
    private static final double COVERED = 0.85;
    /** Made only when Quarkus reads the build's API description (OpenApiDocumentService.prepareDocument). */
    private static final String API_READER = "io.quarkus.smallrye.openapi.runtime.OpenAPIRuntimeBuilder";
    /** Loaded by Web Push sealing's warm-up ({@code WebPushCrypto.warmUp}), on its own thread beside the start. */
    private static final String PUSH_CURVE = "org.bouncycastle.math.ec.custom.sec.SecP256R1Curve";
    private static final Pattern LOADED = Pattern.compile("\\[class,load\\] (\\S+) source: (.*)$");

    @TempDir
    Path data;
    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aStartLoadsItsClassesFromTheArchiveTheImageMakesAndTakesBleeps() throws Exception {
        Path jar = AppProcess.packagedJar();
        assertThat(jar).as("the packaged production jar (./mvnw package)").exists();
        Path archive = work.resolve("app-cds.jsa");
        String dumped = dump(jar.getParent(), archive);
        assertThat(archive).as("the archive the image's RUN step writes").exists();
        // A signed jar's classes are left out of the archive (and verified at every start): the one jar carries no
        // dependency's signature (ADR 0096; BouncyCastle's was the one on a start's path, ADR 0081).
        assertThat(dumped).as("classes of a signed jar left out of the archive").doesNotContain("Signed JAR");
        assertThat(Files.size(archive)).isGreaterThan(50L << 20);

        Path classes = work.resolve("classes.log");
        try (EmbeddedInfra infra = EmbeddedInfra.start(data, Ports.free(), Ports.free())) {
            int port = Ports.free();
            List<String> args = new ArrayList<>(AppProcess.productionArgs(port, infra.jdbcUrl(), infra.bootstrapServers()));
            args.add("-XX:SharedArchiveFile=" + archive);
            args.add("-Xshare:on");
            args.add("-Xlog:class+load=info:file=" + classes);
            try (AppProcess app = AppProcess.start(jar, args, "http://127.0.0.1:" + port, work.resolve("app.log"))) {
                app.awaitReadyMillis(5);
                Map<String, String> atReady = loaded(classes);
                long shared = atReady.values().stream().filter(s -> s.startsWith("shared objects file")).count();
                assertThat((double) shared / atReady.size())
                        .as("share of the %d classes loaded until ready that came from the archive", atReady.size())
                        .isGreaterThanOrEqualTo(COVERED);
                for (String library : List.of("org.pagerless.task.TaskProcessor", "org.apache.kafka.clients.consumer.KafkaConsumer",
                        "org.postgresql.jdbc.PgConnection", "io.vertx.core.http.impl.Http1xServerConnection",
                        "org.flywaydb.core.Flyway")) {
                    assertThat(atReady).as(library + " loaded until ready").containsKey(library);
                    assertThat(atReady.get(library)).as(library).startsWith("shared objects file");
                }
                HttpResponse<String> bleep = http.send(HttpRequest.newBuilder(URI.create(app.base + "/api/v1/bleeps"))
                        .timeout(Duration.ofSeconds(15)).header("Authorization", AppProcess.basic("sam.patel"))
                        .header("Content-Type", "application/json").header("Idempotency-Key", "cds-" + UUID.randomUUID())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"to\":{\"role\":\"Medical SHO On-Call\"},"
                                + "\"callback\":\"4417\",\"priority\":\"urgent\",\"message\":\"archive check\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(bleep.statusCode()).as(bleep.body()).isEqualTo(202);

                // ADR 0088: the jar reads its API description at the first request, not while it starts.
                assertThat(atReady).as("the API description's reader loaded until ready").doesNotContainKey(API_READER);
                HttpResponse<String> json = apiDescription(app.base, "?format=json");
                assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
                assertThat(json.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
                assertThat(json.body()).contains("\"/api/v1/bleeps\"", "\"Bleep someone\"", "\"scheme\" : \"basic\"");
                HttpResponse<String> yaml = apiDescription(app.base, "");
                assertThat(yaml.statusCode()).as(yaml.body()).isEqualTo(200);
                assertThat(yaml.body()).contains("\n  /api/v1/bleeps:\n", "summary: Bleep someone");
                assertThat(loaded(classes)).as("read at the first request").containsKey(API_READER);

                // BouncyCastle's P-256, loaded beside the start by the push sealing's warm-up: from the archive, as
                // it is packaged unsigned (see the dump's check above).
                await().atMost(Duration.ofSeconds(60)).until(() -> loaded(classes).containsKey(PUSH_CURVE));
                assertThat(loaded(classes).get(PUSH_CURVE)).as(PUSH_CURVE).startsWith("shared objects file");
            }
        }
    }

    private HttpResponse<String> apiDescription(String base, String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/q/openapi" + query)).timeout(Duration.ofSeconds(15))
                .header("Authorization", AppProcess.basic("admin")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Runs Dockerfile.jvm's {@code RUN java} step with this JVM's java: {@code /deployments/<file>} a COPY line takes
     * from the project maps to that file, any other {@code /deployments/} path to the packaged jar's directory, and the
     * archive it writes to {@code archive}, and its log (the step's {@code /tmp/app-cds.log}) beside it. Returns what
     * it printed and logged.
     */
    private static String dump(Path app, Path archive) throws Exception {
        List<String> dockerfile = Files.readAllLines(Path.of("src/main/docker/Dockerfile.jvm"));
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < dockerfile.size(); i++) {
            if (dockerfile.get(i).startsWith("RUN java ")) {
                String line = dockerfile.get(i);
                while (line.endsWith("\\")) {
                    run.append(line, 0, line.length() - 1).append(' ');
                    line = dockerfile.get(++i).strip();
                }
                run.append(line);
            }
        }
        assertThat(run).as("Dockerfile.jvm's RUN java step").contains("-Xshare:dump");
        Map<String, Path> copied = new LinkedHashMap<>();
        for (String line : dockerfile) {
            String[] copy = line.split("\\s+");
            if (line.startsWith("COPY ") && copy.length == 4 && !copy[2].endsWith("/") && !copy[2].contains("*")) {
                copied.put(copy[3], Path.of(copy[2]).toAbsolutePath());
            }
        }
        Path log = archive.resolveSibling("app-cds.log");
        String command = run.substring("RUN ".length()).replace("/deployments/app-cds.jsa", archive.toString())
                .replace("/tmp/app-cds.log", log.toString());
        for (Map.Entry<String, Path> file : copied.entrySet()) {
            command = command.replace(file.getKey(), file.getValue().toString());
        }
        command = Path.of(System.getProperty("java.home"), "bin", "java") + command.substring("java".length()).replace("/deployments/", app + "/");
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(command + "\n" + output).isZero();
        return output + (Files.exists(log) ? Files.readString(log) : "");
    }

    /** Class name → where the JVM loaded it from, as {@code -Xlog:class+load} has written them so far. */
    private static Map<String, String> loaded(Path log) throws Exception {
        Map<String, String> classes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = LOADED.matcher(line);
            if (m.find()) {
                classes.putIfAbsent(m.group(1), m.group(2));
            }
        }
        return classes;
    }

}
