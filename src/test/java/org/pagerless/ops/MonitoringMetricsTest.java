package org.pagerless.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every metric the Grafana dashboard and the Prometheus alerts query is one Pagerless exports (read from the
 * meters its code registers, see {@link ExportedMetrics}) or Kafka Exporter's consumer-group lag, which the
 * production Kafka enables. A dashboard panel over a metric nobody exports shows "no data" the night it matters.
 */
class MonitoringMetricsTest {
    static final Path DASHBOARD = Path.of("k8s/production/grafana-dashboard.json");

    /** What the app's code exports. */
    static Set<String> exportedByCode() {
        return new TreeSet<>(ExportedMetrics.fromCode());
    }

    /** Query → the metrics it reads that nothing exports. */
    static Map<String, Set<String>> unexported(List<String> queries, Set<String> exported) {
        Map<String, Set<String>> missing = new TreeMap<>();
        for (String query : queries) {
            Set<String> names = new TreeSet<>(ExportedMetrics.queriedBy(query));
            names.removeAll(exported);
            if (!names.isEmpty()) {
                missing.put(query, names);
            }
        }
        return missing;
    }

    static List<String> monitoringQueries() throws IOException {
        List<String> queries = new java.util.ArrayList<>(ExportedMetrics.dashboardQueries(new ObjectMapper().readTree(DASHBOARD.toFile())));
        queries.addAll(alertQueries(Overlays.render("production")));
        return queries;
    }

    static List<String> alertQueries(List<ObjectNode> objects) {
        List<String> exprs = new java.util.ArrayList<>();
        Overlays.ofKind(objects, "PrometheusRule").forEach(rule -> rule.path("spec").path("groups")
                .forEach(g -> g.path("rules").forEach(r -> exprs.add(r.path("expr").asText()))));
        return exprs;
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryIsExported() throws IOException {
        List<ObjectNode> production = Overlays.render("production");
        Set<String> exported = exportedByCode();
        assertThat(Overlays.one(production, "Kafka", "pagerless-kafka").path("spec").has("kafkaExporter")).isTrue();
        exported.addAll(ExportedMetrics.KAFKA_EXPORTER);
        exported.addAll(ExportedMetrics.FAULT_TOLERANCE);

        List<String> queries = monitoringQueries();
        assertThat(queries).hasSizeGreaterThan(20);
        assertThat(unexported(queries, exported)).isEmpty();
    }

    @Test
    void theDashboardCoversWhatTheIssueAsksFor() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> used = new TreeSet<>();
        ExportedMetrics.dashboardQueries(dashboard).forEach(q -> used.addAll(ExportedMetrics.queriedBy(q)));
        assertThat(used).contains("pagerless_tasks_raised_total", "pagerless_tasks_time_to_accept_seconds_bucket",
                "pagerless_tasks_escalated_total", "pagerless_delivery_attempts_total",
                "pagerless_delivery_failures_total", "kafka_consumergroup_lag", "pagerless_timers_lateness_seconds_bucket",
                "pagerless_parked_records");
        // Tasks raised and time to accept by priority and ward, escalations by level, open unaccepted by age.
        List<String> panels = ExportedMetrics.dashboardQueries(dashboard);
        assertThat(groupings(panels, "pagerless_tasks_raised_total")).anySatisfy(g -> assertThat(g).contains("priority"))
                .anySatisfy(g -> assertThat(g).contains("ward"));
        assertThat(groupings(panels, "pagerless_tasks_time_to_accept_seconds_bucket"))
                .anySatisfy(g -> assertThat(g).contains("priority")).anySatisfy(g -> assertThat(g).contains("ward"));
        assertThat(groupings(panels, "pagerless_tasks_escalated_total")).anySatisfy(g -> assertThat(g).contains("level"));
        assertThat(groupings(panels, "pagerless_tasks_unaccepted")).anySatisfy(g -> assertThat(g).contains("age", "priority"));

        List<String> alerts = alertQueries(Overlays.render("production"));
        Set<String> alerted = new TreeSet<>();
        alerts.forEach(q -> alerted.addAll(ExportedMetrics.queriedBy(q)));
        assertThat(alerted).contains("kafka_consumergroup_lag", "pagerless_parked_records",
                "pagerless_tasks_unaccepted_past_timeout_total", "pagerless_tasks_unaccepted",
                "pagerless_delivery_failures_total", "pagerless_timers_lateness_seconds_bucket");
        // "A stat task unaccepted past its timeout": an alert on exactly the stat series.
        assertThat(alerts).anySatisfy(q -> assertThat(q).contains("pagerless_tasks_unaccepted_past_timeout_total{priority=\"stat\"}"));
    }

    /** For each query reading {@code metric}: the labels of its {@code by (...)} clauses. */
    static List<Set<String>> groupings(List<String> queries, String metric) {
        java.util.regex.Pattern by = java.util.regex.Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
        List<Set<String>> groupings = new java.util.ArrayList<>();
        for (String query : queries) {
            if (ExportedMetrics.queriedBy(query).contains(metric)) {
                Set<String> labels = new TreeSet<>();
                java.util.regex.Matcher m = by.matcher(query);
                while (m.find()) {
                    for (String label : m.group(1).split(",")) {
                        labels.add(label.strip());
                    }
                }
                groupings.add(labels);
            }
        }
        return groupings;
    }

    @Test
    void everyAlertSaysWhatToDoInARunbookSectionThatExists() throws IOException {
        Set<String> anchors = new TreeSet<>();
        boolean inCode = false;
        for (String line : java.nio.file.Files.readAllLines(Path.of("docs/runbook.md"))) {
            inCode ^= line.startsWith("```");
            if (!inCode && line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").toLowerCase().replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
            }
        }
        Overlays.ofKind(Overlays.render("production"), "PrometheusRule").forEach(rule -> rule.path("spec").path("groups")
                .forEach(g -> g.path("rules").forEach(r -> {
                    String runbook = r.path("annotations").path("runbook").asText();
                    assertThat(runbook).as(r.path("alert").asText()).startsWith("docs/runbook.md#");
                    assertThat(anchors).as(r.path("alert").asText()).contains(runbook.substring(runbook.indexOf('#') + 1));
                    assertThat(r.path("labels").path("severity").asText()).isIn("critical", "warning", "info");
                })));
    }

    @Test
    void promqlIsReadForItsMetricsNotItsFunctionsLabelsOrDurations() {
        assertThat(ExportedMetrics.queriedBy(
                "histogram_quantile(0.99, sum by (le, channel) (rate(pagerless_x_seconds_bucket{channel=~\"sms|push\"}[5m])))"
                        + " / on (channel) group_left sum without (pod) (pagerless_y_total offset 1h) > 1e3 and up"))
                .containsExactlyInAnyOrder("pagerless_x_seconds_bucket", "pagerless_y_total", "up");
        assertThat(unexported(List.of("sum(rate(pagerless_tasks_raised_total[5m]))", "pagerless_no_such_thing"),
                ExportedMetrics.fromCode())).containsOnlyKeys("pagerless_no_such_thing");
        assertThat(ExportedMetrics.FAULT_TOLERANCE).containsExactlyInAnyOrder("ft_circuitbreaker_state_current",
                "ft_circuitbreaker_opened_total");
        assertThat(ExportedMetrics.fromCode()).contains("pagerless_tasks_raised_total",
                "pagerless_tasks_time_to_accept_seconds_bucket", "pagerless_handover_orphans",
                "pagerless_tasks_unaccepted", "pagerless_tasks_unaccepted_past_timeout_total",
                "pagerless_delivery_latency_seconds_bucket");
    }
}
