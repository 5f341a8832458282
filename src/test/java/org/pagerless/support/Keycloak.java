package org.pagerless.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real OpenID Connect provider for the tests: Keycloak's own distribution (from Maven Central, unpacked into
 * {@code target/keycloak} by the build), started as a child process in dev mode with an in-memory database and
 * the realm in {@code src/test/resources/keycloak/pagerless-realm.json} (ADR 0019). It is started in the
 * background next to Kafka and PostgreSQL and only the tests that sign in wait for it ({@link #awaitReady()}),
 * so it adds little to a run. Keycloak needs Java 21+: {@code KEYCLOAK_JAVA_HOME}, else the Temurin 25 JDK,
 * else any Java 21+ under /usr/lib/jvm.
 */
public final class Keycloak implements AutoCloseable {
    public static final String REALM = "pagerless";
    /** Every person in the test realm signs in with this password. */
    public static final String PASSWORD = "signin-test";
    /** The apps' confidential client's secret in the test realm. */
    public static final String WEB_CLIENT_SECRET = "pagerless-web-test-secret-0123456789abcdef";
    private static final Path DIST = Path.of("target", "keycloak");
    private final int port;
    private final Process process;
    private final Path log;

    private Keycloak(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts Keycloak and returns at once; it is ready some tens of seconds later. */
    public static Keycloak start() throws IOException {
        Path home = distribution();
        Path imports = home.resolve("data").resolve("import");
        Files.createDirectories(imports);
        try (InputStream realm = Keycloak.class.getResourceAsStream("/keycloak/pagerless-realm.json")) {
            Files.copy(realm, imports.resolve("pagerless-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        int port = Ports.free();
        int management = Ports.free();
        Path log = DIST.resolve("keycloak.log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + management,
                "--db=dev-mem", "--import-realm", "--cache=local")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome().toString());
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "keycloak-test-admin");
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        return new Keycloak(port, builder.start(), log);
    }

    /** The realm's issuer: what Pagerless is configured with and what every token names. */
    public String issuer() {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** Waits until the realm answers its discovery document (the first start of a fresh copy takes ~1 min). */
    public void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak stopped; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path distribution() throws IOException {
        try (Stream<Path> dirs = Files.isDirectory(DIST) ? Files.list(DIST) : Stream.empty()) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("keycloak-") && Files.isDirectory(d))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "Keycloak is not unpacked in target/keycloak: run the tests through Maven (./mvnw verify)"));
        }
    }

    private static Path javaHome() throws IOException {
        String configured = System.getenv("KEYCLOAK_JAVA_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path temurin = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        if (Files.isExecutable(temurin.resolve("bin/java"))) {
            return temurin;
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            Optional<Path> any = jdks.filter(j -> featureVersion(j) >= 21).findFirst();
            return any.orElseThrow(() -> new IllegalStateException(
                    "Keycloak needs Java 21+: set KEYCLOAK_JAVA_HOME (none found under /usr/lib/jvm)"));
        }
    }

    private static int featureVersion(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.\\-+]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Kept for error messages: the tail of Keycloak's log. */
    public List<String> logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.subList(Math.max(0, lines.size() - 20), lines.size());
    }
}
