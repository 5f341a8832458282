package org.pagerless.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which Prometheus series Pagerless exports, read from the code: every meter it registers with Micrometer
 * (a string literal given to {@code Counter.builder}, {@code registry.counter}, {@code Timer.builder},
 * {@code registry.gauge}, ...), named the way the Prometheus registry names it: dots become underscores, a counter
 * gains {@code _total}, a timer is in seconds with {@code _count}, {@code _sum}, {@code _max} and (with a percentile
 * histogram) {@code _bucket}. Meters are registered lazily (a counter appears at its first increment), so a
 * running app does not show them all; {@link ExportedMetricsFlowTest} checks this reading against the live
 * {@code /q/metrics}. Also: the metric names a PromQL expression queries.
 */
final class ExportedMetrics {
    private static final Pattern METER = Pattern.compile(
            "(Counter\\.builder|\\.counter|Timer\\.builder|\\.timer|Gauge\\.builder|\\.gauge|DistributionSummary\\.builder|\\.summary"
                    + "|FunctionCounter\\.builder|TimeGauge\\.builder|LongTaskTimer\\.builder|@Counted|@Timed)\\(\\s*(?:value\\s*=\\s*)?\"([a-z][a-z0-9_.]*)\"");

    /** Kafka Exporter's series (Strimzi {@code Kafka.spec.kafkaExporter}), not the app's. */
    static final Set<String> KAFKA_EXPORTER = Set.of("kafka_consumergroup_lag", "kafka_consumergroup_current_offset",
            "kafka_topic_partition_current_offset");

    /**
     * SmallRye Fault Tolerance's series for the {@code @CircuitBreaker} methods (Twilio SMS and voice, Web Push),
     * named from the library's own constants (the state gauge; the opened counter, whose name already ends in
     * {@code .total}). The library registers them at a guarded method's first call, so a freshly started app does
     * not show them yet; {@link ExportedMetricsFlowTest} checks its Micrometer metrics are on.
     */
    static final Set<String> FAULT_TOLERANCE = Set.of(
            io.smallrye.faulttolerance.core.metrics.MetricsConstants.CIRCUIT_BREAKER_STATE_CURRENT.replace('.', '_'),
            io.smallrye.faulttolerance.core.metrics.MetricsConstants.CIRCUIT_BREAKER_OPENED_TOTAL.replace('.', '_'));

    private ExportedMetrics() {
    }

    /** Every series name the meters registered in src/main/java export. */
    static Set<String> fromCode() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = METER.matcher(Files.readString(file));
                while (m.find()) {
                    names.addAll(series(m.group(1), m.group(2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    static List<String> series(String registration, String meterName) {
        String base = meterName.replace('.', '_');
        if (registration.contains("ounter") || registration.contains("Counted")) {
            return List.of(base + "_total");
        }
        if (registration.contains("imer") || registration.contains("Timed")) {
            String seconds = base + "_seconds";
            return List.of(seconds + "_count", seconds + "_sum", seconds + "_max", seconds + "_bucket");
        }
        if (registration.contains("ummary")) {
            return List.of(base + "_count", base + "_sum", base + "_max", base + "_bucket");
        }
        return List.of(base);
    }

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*\\}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "e");

    /** The metric names a PromQL expression reads (functions and aggregations and their label lists left out). */
    static Set<String> queriedBy(String promql) {
        String s = STRINGS.matcher(promql).replaceAll("\"\"");
        s = LABEL_MATCHERS.matcher(s).replaceAll(" ");
        s = RANGES.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String id = m.group();
            int after = m.end();
            while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
                after++;
            }
            boolean isCall = after < s.length() && s.charAt(after) == '(';
            boolean inNumber = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!isCall && !inNumber && !KEYWORDS.contains(id.toLowerCase())) {
                names.add(id);
            }
        }
        return names;
    }

    /** Every {@code expr} of a Grafana dashboard's panels (rows included). */
    static List<String> dashboardQueries(JsonNode dashboard) {
        List<String> exprs = new java.util.ArrayList<>();
        collect(dashboard.path("panels"), exprs);
        return exprs;
    }

    private static void collect(JsonNode panels, List<String> exprs) {
        for (Iterator<JsonNode> it = panels.elements(); it.hasNext();) {
            JsonNode panel = it.next();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            collect(panel.path("panels"), exprs);
        }
    }
}
