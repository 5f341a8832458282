package org.pagerless.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import org.pagerless.standalone.EmbeddedInfra;

/**
 * The goal's production-profile jar (issue 13) as a child process with the production JVM options, on a broker and
 * PostgreSQL in this JVM, in a fresh data directory ({@link BenchData}): what {@code -Dbench.jar=production} runs a
 * benchmark against. The server's cost is then the application's and PostgreSQL's, the broker's heap apart from the
 * application's. {@code -Dbench.target} names another build's target directory, {@code -Dbench.java} another java
 * launcher for the jar ({@link AppProcess#APP_JAVA}), {@code -Dbench.http-port},
 * {@code -Dbench.postgres-port} and {@code -Dbench.kafka-port} other ports.
 */
final class ProductionJar implements AutoCloseable {
    final EmbeddedInfra infra;
    final AppProcess app;
    final String base;

    private ProductionJar(EmbeddedInfra infra, AppProcess app, String base) {
        this.infra = infra;
        this.app = app;
        this.base = base;
    }

    /** Starts the broker, PostgreSQL and the jar, and waits (≤ 10 minutes) until the jar is ready. */
    static ProductionJar start(String name, int postgresPort, int kafkaPort) throws Exception {
        Path jar = Path.of(System.getProperty("bench.target", "target"), "quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build it first: ./mvnw -B -ntp package -DskipTests");
        }
        int port = Integer.getInteger("bench.http-port", 8094);
        String base = "http://127.0.0.1:" + port;
        Path data = BenchData.fresh(name);
        EmbeddedInfra infra = EmbeddedInfra.start(data, Integer.getInteger("bench.postgres-port", postgresPort),
                Integer.getInteger("bench.kafka-port", kafkaPort));
        AppProcess app = null;
        try {
            app = AppProcess.start(jar, AppProcess.productionArgs(port, infra.jdbcUrl(), infra.bootstrapServers()), base,
                    data.resolve(name + "-app.log"));
            System.out.printf("production jar ready (empty database: migrations, demo seed): %.0f ms%n",
                    app.awaitReadyMillis(10));
            return new ProductionJar(infra, app, base);
        } catch (Exception | Error e) {
            if (app != null) {
                app.close();
            }
            infra.close();
            throw e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            app.close();
        } finally {
            infra.close();
        }
    }
}
