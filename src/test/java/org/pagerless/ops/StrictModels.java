package org.pagerless.ops;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * Reads a rendered object strictly: into its Kubernetes (fabric8), Prometheus Operator or Strimzi model class where
 * one exists, failing on a wrong type and on any field the model does not know (those models keep unknown fields
 * in {@code additionalProperties} rather than refusing them, so every such map in the object graph must be empty);
 * against the field schema written down in {@code ops/schemas.yaml} for CloudNativePG and External Secrets, which
 * have no Java model. Returns what is wrong, one line per problem; empty means it is sound.
 */
final class StrictModels {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** apiVersion + " " + kind → the model class. */
    static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1 ServiceAccount", ServiceAccount.class),
            Map.entry("v1 ConfigMap", ConfigMap.class),
            Map.entry("v1 Service", Service.class),
            Map.entry("apps/v1 Deployment", Deployment.class),
            Map.entry("policy/v1 PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1 ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1 PrometheusRule", PrometheusRule.class),
            Map.entry("kafka.strimzi.io/v1beta2 Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2 KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2 KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1beta2 KafkaUser", KafkaUser.class));

    private static final JsonNode SCHEMAS = loadSchemas();

    private StrictModels() {
    }

    static List<String> problems(JsonNode object) {
        String type = object.path("apiVersion").asText() + " " + object.path("kind").asText();
        String where = Overlays.describe(object);
        Class<?> model = MODELS.get(type);
        if (model != null) {
            return modelProblems(where, object, model);
        }
        JsonNode schema = SCHEMAS.get(type);
        if (schema != null) {
            List<String> problems = new ArrayList<>();
            checkSchema(where, object, schema, problems);
            return problems;
        }
        return List.of(where + ": no model or schema for " + type + " (add one before using this kind)");
    }

    /** Parses into the model class and reports every field it did not recognise. */
    static <T> List<String> modelProblems(String where, JsonNode object, Class<T> model) {
        Object parsed;
        try {
            parsed = JSON.treeToValue(object, model);
        } catch (IOException | IllegalArgumentException e) {
            return List.of(where + ": does not parse as " + model.getSimpleName() + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        unknownFields(where, parsed, problems, Collections.newSetFromMap(new IdentityHashMap<>()));
        return problems;
    }

    static <T> T parse(JsonNode object, Class<T> model) {
        try {
            return JSON.treeToValue(object, model);
        } catch (IOException e) {
            throw new AssertionError(Overlays.describe(object) + " does not parse as " + model.getSimpleName(), e);
        }
    }

    private static void unknownFields(String path, Object value, List<String> problems, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(path + "[" + i + "]", list.get(i), problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(path + "." + k, v, problems, seen));
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(path + "." + field, child, problems, seen);
        }
    }

    /**
     * Schema language of {@code ops/schemas.yaml}: an object lists its fields (a trailing {@code !} marks a
     * required one); a one-element list is a list of that; a string is a type: {@code string}, {@code integer},
     * {@code boolean}, {@code quantity} (string or number), {@code map} (string keys, scalar values),
     * {@code metadata} (read by the Kubernetes ObjectMeta model), or {@code a|b|c} (one of these strings).
     */
    private static void checkSchema(String path, JsonNode node, JsonNode schema, List<String> problems) {
        if (schema.isArray()) {
            if (!node.isArray()) {
                problems.add(path + ": should be a list");
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                checkSchema(path + "[" + i + "]", node.get(i), schema.get(0), problems);
            }
        } else if (schema.isObject()) {
            if (!node.isObject()) {
                problems.add(path + ": should be an object");
                return;
            }
            for (Iterator<String> it = schema.fieldNames(); it.hasNext();) {
                String key = it.next();
                if (key.endsWith("!") && !node.has(key.substring(0, key.length() - 1))) {
                    problems.add(path + ": missing required field " + key.substring(0, key.length() - 1));
                }
            }
            node.fields().forEachRemaining(field -> {
                JsonNode fieldSchema = schema.has(field.getKey()) ? schema.get(field.getKey()) : schema.get(field.getKey() + "!");
                if (fieldSchema == null) {
                    problems.add(path + ": unknown field " + field.getKey());
                } else {
                    checkSchema(path + "." + field.getKey(), field.getValue(), fieldSchema, problems);
                }
            });
        } else {
            String type = schema.asText();
            boolean ok = switch (type) {
                case "string" -> node.isTextual();
                case "integer" -> node.isIntegralNumber();
                case "boolean" -> node.isBoolean();
                case "quantity" -> node.isTextual() || node.isNumber();
                case "map" -> node.isObject() && allScalar(node);
                case "metadata" -> {
                    problems.addAll(modelProblems(path, node, ObjectMeta.class));
                    yield true;
                }
                default -> node.isTextual() && List.of(type.split("\\|")).contains(node.asText());
            };
            if (!ok) {
                problems.add(path + ": " + node + " is not " + type);
            }
        }
    }

    private static boolean allScalar(JsonNode node) {
        for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
            if (it.next().isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode loadSchemas() {
        try (InputStream in = StrictModels.class.getResourceAsStream("/ops/schemas.yaml")) {
            return Overlays.YAML.readTree(in);
        } catch (IOException e) {
            throw new AssertionError("ops/schemas.yaml unreadable", e);
        }
    }
}
