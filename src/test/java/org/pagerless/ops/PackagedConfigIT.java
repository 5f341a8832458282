package org.pagerless.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagerless.bench.AppProcess;

/**
 * The production jar is configured as application.properties says, without carrying the file (ADR 0097). Quarkus
 * records every run-time value of the file into the jar when it builds; reading the file again at start made SmallRye
 * Config open the one jar as a file system, indexing every entry (~69,000 then, ~58,500 since ADR 0098), twice
 * (0.2–0.3 s of a start). Here the jar's run-time configuration is built as a start builds it (Quarkus's generated
 * {@code RunTimeConfig}, in a class loader of the jar alone, the prod profile the image runs), and every setting must
 * have the value it has with the built file beside the jar on the class path, as in a jar carrying it.
 */
class PackagedConfigIT {
    /** Read only while building (their effect is in the jar's code), so Quarkus records none of them for the run. */
    private static final List<String> BUILD_TIME = List.of("quarkus.class-loading.", "quarkus.kafka.devservices.",
            "quarkus.keycloak.devservices.", "quarkus.smallrye-openapi.", "quarkus.swagger-ui.");

    @TempDir
    Path beside;

    @Test
    void theJarIsConfiguredAsApplicationPropertiesSaysWithoutCarryingIt() throws Exception {
        Path jar = AppProcess.packagedJar();
        assertThat(jar).as("the packaged production jar (./mvnw package)").exists();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(zip.getEntry("application.properties"))
                    .as("application.properties in the jar: a start reads it by opening the whole jar as a file system")
                    .isNull();
        }
        Files.copy(Path.of("target/classes/application.properties"), beside.resolve("application.properties"));

        Set<String> keys = new AppSettings().keys;
        Map<String, String> recorded = settings(keys, jar);
        Map<String, String> fromFile = settings(keys, beside, jar);

        assertThat(fromFile).as("settings read").hasSizeGreaterThan(500);
        assertThat(recorded.get("pagerless.production-checks")).as("the prod profile's checks, recorded").isEqualTo("true");
        Map<String, String> differ = new TreeMap<>();
        fromFile.forEach((name, value) -> {
            String got = recorded.get(name);
            if (!String.valueOf(value).equals(String.valueOf(got)) && !(got == null && buildTime(name))) {
                differ.put(name, value + " from the file, " + got + " recorded");
            }
        });
        assertThat(differ).as("settings the jar alone gives another value than application.properties").isEmpty();
    }

    private static boolean buildTime(String name) {
        return BUILD_TIME.stream().anyMatch(name::startsWith);
    }

    /**
     * Every setting's value in the run-time configuration built from {@code path} (as Quarkus's generated
     * {@code Config.readConfig} builds it): the names it knows and {@code keys}.
     */
    private static Map<String, String> settings(Set<String> keys, Path... path) throws Exception {
        URL[] urls = new URL[path.length];
        for (int i = 0; i < path.length; i++) {
            urls[i] = path[i].toUri().toURL();
        }
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(loader);
            Class<?> builderType = loader.loadClass("io.smallrye.config.SmallRyeConfigBuilder");
            Object builder = builderType.getConstructor().newInstance();
            loader.loadClass("io.quarkus.runtime.configuration.AbstractConfigBuilder")
                    .getMethod("withCustomizer", builderType, String.class)
                    .invoke(null, builder, "io.quarkus.runtime.generated.RunTimeConfig");
            Object config = builderType.getMethod("build").invoke(builder);
            Class<?> configType = loader.loadClass("io.smallrye.config.SmallRyeConfig");
            Set<String> names = new TreeSet<>(keys);
            for (Object name : (Iterable<?>) configType.getMethod("getPropertyNames").invoke(config)) {
                names.add((String) name);
            }
            Method lookup = configType.getMethod("getConfigValue", String.class);
            Map<String, String> values = new TreeMap<>();
            for (String name : names) {
                Object value = lookup.invoke(config, name);
                values.put(name, (String) value.getClass().getMethod("getValue").invoke(value));
            }
            return values;
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
