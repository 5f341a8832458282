package org.pagerless.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * config/README.md names every setting Pagerless reads (a {@code @ConfigProperty}, a {@code ${pagerless...}}
 * expression, or a key or environment variable of application.properties), and config/production.env sets only
 * what the app reads. A setting nobody can find is one a trust cannot get right.
 */
class ConfigDocsTest {
    private static final Pattern READ_IN_CODE = Pattern.compile(
            "(?:@ConfigProperty\\(\\s*name\\s*=\\s*\"|\\$\\{)(pagerless\\.[a-z0-9.-]+|kafka\\.[a-z0-9.-]+)");

    @Test
    void everySettingTheCodeAndApplicationPropertiesReadIsDocumented() throws IOException {
        String docs = Files.readString(Path.of("config/README.md"));
        Set<String> settings = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = READ_IN_CODE.matcher(Files.readString(file));
                while (m.find()) {
                    settings.add(m.group(1));
                }
            }
        }
        AppSettings app = new AppSettings();
        app.properties.stringPropertyNames().stream().map(k -> k.startsWith("%") ? k.substring(k.indexOf('.') + 1) : k)
                .filter(k -> k.startsWith("pagerless.")).forEach(settings::add);
        assertThat(settings).contains("pagerless.delivery.ladder.stat", "pagerless.escalation.tick", "kafka.bootstrap.servers");
        assertThat(settings).filteredOn(s -> !docs.contains("`" + s + "`")).as("settings config/README.md does not name")
                .isEmpty();
        assertThat(app.environmentVariables).filteredOn(v -> !docs.contains("`" + v + "`"))
                .as("environment variables config/README.md does not name").isEmpty();
        Matcher documented = Pattern.compile("`(pagerless\\.[a-z0-9.-]+)`").matcher(docs);
        Set<String> stale = new TreeSet<>();
        while (documented.find()) {
            if (!settings.contains(documented.group(1))) {
                stale.add(documented.group(1));
            }
        }
        assertThat(stale).as("settings config/README.md names that nothing reads any more").isEmpty();
    }

    /**
     * config/jvm.options (the JVM options of every pod, the standalone run command and the benchmarks, ADR 0062): each
     * option it gives is named in config/README.md, and the README's run command passes the file.
     */
    @Test
    void everyJvmOptionIsDocumentedAndTheRunCommandUsesThem() throws IOException {
        String docs = Files.readString(Path.of("config/README.md"));
        Set<String> options = new TreeSet<>(jvmOptions());
        assertThat(options).as("config/jvm.options").anyMatch(o -> o.startsWith("-Xmx"));
        assertThat(options).filteredOn(o -> !docs.contains("`" + o + "`")).as("JVM options config/README.md does not name")
                .isEmpty();
        assertThat(Files.readString(Path.of("README.md")))
                .contains("java @config/jvm.options -jar target-standalone/quarkus-app/quarkus-run.jar");
    }

    /** The options config/jvm.options gives the JVM, one per entry, comments left out (the launcher's @file syntax). */
    static java.util.List<String> jvmOptions() throws IOException {
        return Files.readAllLines(Path.of("config/jvm.options")).stream()
                .map(l -> l.contains("#") ? l.substring(0, l.indexOf('#')) : l)
                .flatMap(l -> Stream.of(l.trim().split("\\s+"))).filter(o -> !o.isEmpty()).toList();
    }

    @Test
    void theExampleProductionConfigurationSetsOnlySettingsTheAppReads() throws IOException {
        AppSettings app = new AppSettings();
        Set<String> keys = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("config/production.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                keys.add(line.substring(0, line.indexOf('=')));
            }
        }
        assertThat(keys).contains("PAGERLESS_DB_URL", "PAGERLESS_DB_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS",
                "TWILIO_AUTH_TOKEN", "PAGERLESS_VAPID_PRIVATE_KEY", "PAGERLESS_PUBLIC_URL");
        assertThat(keys).filteredOn(k -> !app.reads(k)).as("set in production.env but read by nothing").isEmpty();
    }
}
