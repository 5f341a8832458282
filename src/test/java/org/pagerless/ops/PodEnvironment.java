package org.pagerless.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The environment a rendered overlay gives the Pagerless container, and the configuration the app reads from it.
 * ConfigMap keys (envFrom) and plain values are taken as they are; a secret-backed variable is set only when an
 * object of the overlay provides that secret and key (an ExternalSecret's {@code data[].secretKey}, the secrets
 * CloudNativePG, Strimzi's users and its cluster CA write), with a placeholder value naming where it comes from.
 * {@link #config} reads application.properties in the {@code prod} profile, as the image runs it, under that
 * environment, so {@code ProductionChecks} can be asked what it would refuse.
 */
final class PodEnvironment {
    private PodEnvironment() {
    }

    /** Keys each kind of operator-written secret holds. */
    private static final List<String> CNPG_APP_KEYS = List.of("username", "password", "host", "port", "dbname", "uri",
            "jdbc-uri");
    private static final List<String> KAFKA_USER_KEYS = List.of("password", "sasl.jaas.config");
    private static final List<String> CLUSTER_CA_KEYS = List.of("ca.crt", "ca.p12", "ca.password");

    /** Secret name → the keys some object of the overlay puts in it. */
    static Map<String, Set<String>> secretKeys(List<ObjectNode> objects) {
        Map<String, Set<String>> keys = new TreeMap<>();
        Overlays.ofKind(objects, "ExternalSecret").forEach(e -> e.path("spec").path("data").forEach(d -> keys
                .computeIfAbsent(e.path("spec").path("target").path("name").asText(), n -> new TreeSet<>())
                .add(d.path("secretKey").asText())));
        Overlays.ofKind(objects, "Cluster").forEach(c -> keys.computeIfAbsent(
                c.path("metadata").path("name").asText() + "-app", n -> new TreeSet<>()).addAll(CNPG_APP_KEYS));
        Overlays.ofKind(objects, "KafkaUser").forEach(u -> keys.computeIfAbsent(
                u.path("metadata").path("name").asText(), n -> new TreeSet<>()).addAll(KAFKA_USER_KEYS));
        Overlays.ofKind(objects, "Kafka").forEach(k -> keys.computeIfAbsent(
                k.path("metadata").path("name").asText() + "-cluster-ca-cert", n -> new TreeSet<>()).addAll(CLUSTER_CA_KEYS));
        return keys;
    }

    /** The Pagerless container's environment in this overlay. */
    static Map<String, String> of(List<ObjectNode> objects) {
        JsonNode container = Overlays.one(objects, "Deployment", "pagerless").path("spec").path("template").path("spec")
                .path("containers").get(0);
        Map<String, Set<String>> secrets = secretKeys(objects);
        Map<String, String> env = new LinkedHashMap<>();
        container.path("envFrom").forEach(from -> {
            if (from.has("configMapRef")) {
                Overlays.one(objects, "ConfigMap", from.path("configMapRef").path("name").asText()).path("data")
                        .fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            }
        });
        container.path("env").forEach(e -> {
            String name = e.path("name").asText();
            if (e.has("value")) {
                env.put(name, e.path("value").asText());
            }
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            String secret = ref.path("name").asText();
            String key = ref.path("key").asText();
            if (!ref.isMissingNode() && secrets.getOrDefault(secret, Set.of()).contains(key)) {
                env.put(name, "<from secret " + secret + ", key " + key + ">");
            }
        });
        return env;
    }

    /** application.properties in the prod profile, with {@code env} as the environment. */
    static SmallRyeConfig config(Map<String, String> env) {
        try {
            return new SmallRyeConfigBuilder().withProfile("prod").addDefaultInterceptors()
                    .withSources(new PropertiesConfigSource(AppSettings.FILE.toUri().toURL(), 250))
                    .withSources(new EnvConfigSource(env, 300)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern PORT_SETTING = Pattern.compile(
            "@ConfigProperty\\(\\s*name\\s*=\\s*\"([a-z0-9.-]+)\\.port\"\\s*,\\s*defaultValue\\s*=\\s*\"(\\d+)\"");

    /** A port the app listens on: the setting that names it and the port it takes. */
    record Listener(String setting, int port) {
    }

    /**
     * The ports the app opens with {@code config}: Quarkus's HTTP port, and every {@code <prefix>.port} setting a
     * class of src/main/java reads (the interoperability listeners) whose {@code <prefix>.enabled} is not false.
     */
    static List<Listener> listeners(SmallRyeConfig config) {
        List<Listener> listeners = new java.util.ArrayList<>();
        listeners.add(new Listener("quarkus.http.port", config.getValue("quarkus.http.port", Integer.class)));
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = PORT_SETTING.matcher(Files.readString(file));
                while (m.find()) {
                    String prefix = m.group(1);
                    if (config.getOptionalValue(prefix + ".enabled", Boolean.class).orElse(true)) {
                        listeners.add(new Listener(prefix + ".port", config.getOptionalValue(prefix + ".port",
                                Integer.class).orElse(Integer.parseInt(m.group(2)))));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return listeners;
    }
}
