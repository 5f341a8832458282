package org.pagerless.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;
import org.pagerless.support.TestClock;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The deployment against the running app: the probe paths k8s/ asks answer, and the reading of the code that
 * {@link MonitoringMetricsTest} trusts matches what {@code /q/metrics} really exports.
 */
@QuarkusTest
class ExportedMetricsFlowTest extends FlowTest {
    private static final Pattern SERIES = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{| )");
    private static final Api SWITCHBOARD = Api.as("sam.patel");

    @Inject
    TestClock clock;

    @AfterEach
    void backToNow() {
        clock.reset();
    }

    @Test
    void everyProbeTheDeploymentAsksIsAnsweredByTheApp() {
        JsonNode container = Overlays.one(Overlays.render("production"), "Deployment", "pagerless").path("spec")
                .path("template").path("spec").path("containers").get(0);
        for (String probe : new String[] { "startupProbe", "readinessProbe", "livenessProbe" }) {
            String path = container.path(probe).path("httpGet").path("path").asText();
            given().get(path).then().statusCode(200);
        }
    }

    @Test
    void everyPagerlessSeriesTheAppExportsIsOneTheCodeReadingKnowsAndTheMonitoringQueriesOnlyThose() throws IOException {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> live = new TreeSet<>();
        Matcher m = SERIES.matcher(scrape);
        while (m.find()) {
            live.add(m.group(1));
        }
        Set<String> fromCode = ExportedMetrics.fromCode();
        Set<String> livePagerless = new TreeSet<>(live);
        livePagerless.removeIf(n -> !n.startsWith("pagerless_"));
        // Meters registered at start (timers) are there before any page: the reading of the code must name them
        // exactly as the registry exports them, and must miss none.
        assertThat(livePagerless).contains("pagerless_timers_lateness_seconds_bucket", "pagerless_commands_lag_seconds_count");
        assertThat(fromCode).containsAll(livePagerless);

        // SmallRye Fault Tolerance exports through Micrometer (its circuit-breaker series follow a provider's first call).
        assertThat(live).as("SmallRye Fault Tolerance's metrics").anyMatch(n -> n.startsWith("ft_"));

        Set<String> exported = MonitoringMetricsTest.exportedByCode();
        exported.addAll(live);
        exported.addAll(ExportedMetrics.KAFKA_EXPORTER);
        exported.addAll(ExportedMetrics.FAULT_TOLERANCE);
        assertThat(MonitoringMetricsTest.unexported(MonitoringMetricsTest.monitoringQueries(), exported)).isEmpty();
    }

    /**
     * The clinical series the dashboard and the alerts read, as a stat task lives them: raised on ward 7B with a
     * patient, not accepted within its 2 minutes (the clock is moved), waiting in the open-unaccepted gauge, then
     * accepted by the registrar. Each is there with its priority, ward, level or age tag, and the scrape carries
     * nothing of the patient.
     */
    @Test
    void aStatTaskThatWaitsIsCountedByPriorityWardLevelAndAgeWithoutThePatient() throws IOException {
        String id = Api.as("grace.okafor").post("/api/v1/tasks",
                Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "stat"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        clock.advance(Duration.ofMinutes(2).plusSeconds(5));
        await().atMost(Duration.ofSeconds(30)).until(() -> SWITCHBOARD.task(id).get("level").equals(2));
        // Still unaccepted two minutes on: the gauge (refreshed every second in tests) has it in the 1-5m band.
        await().atMost(Duration.ofSeconds(30)).until(() -> value(scrape(),
                "pagerless_tasks_unaccepted{age=\"1-5m\",priority=\"stat\"}") >= 1);

        List<String> registrars = SWITCHBOARD.holdersOf("Medical Registrar On-Call");
        Api.as(registrars.get(0)).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().contains(
                "pagerless_tasks_time_to_accept_seconds_bucket{priority=\"stat\",ward=\"7B\""));

        String scrape = scrape();
        assertThat(scrape).contains("pagerless_tasks_raised_total{priority=\"stat\",ward=\"7B\"}")
                .contains("pagerless_tasks_escalated_total{level=\"2\",priority=\"stat\",reason=\"not_accepted_in_time\"}")
                .contains("pagerless_tasks_unaccepted_past_timeout_total{level=\"1\",priority=\"stat\",ward=\"7B\"}");
        // Just over two minutes from raised to accepted: counted above the 2-minute bucket, within the 5-minute one.
        String bucket = "pagerless_tasks_time_to_accept_seconds_bucket{priority=\"stat\",ward=\"7B\",le=";
        assertThat(value(scrape, bucket + "\"300.0\"}") - value(scrape, bucket + "\"120.0\"}")).isGreaterThanOrEqualTo(1);
        assertThat(scrape).doesNotContain(Patients.NHS_NUMBER).doesNotContain("Quillfeather")
                .doesNotContain("Testpatient");

        // Every series of these the dashboard and the alerts query is now in the live scrape.
        Set<String> live = new TreeSet<>();
        Matcher m = SERIES.matcher(scrape);
        while (m.find()) {
            live.add(m.group(1));
        }
        Set<String> queried = new TreeSet<>();
        MonitoringMetricsTest.monitoringQueries().forEach(q -> queried.addAll(ExportedMetrics.queriedBy(q)));
        queried.removeIf(n -> !n.startsWith("pagerless_tasks_"));
        assertThat(queried).contains("pagerless_tasks_raised_total", "pagerless_tasks_time_to_accept_seconds_bucket",
                "pagerless_tasks_escalated_total", "pagerless_tasks_unaccepted", "pagerless_tasks_unaccepted_past_timeout_total");
        queried.remove("pagerless_tasks_failed_total"); // only once a chain is exhausted (EscalationFlowTest)
        queried.remove("pagerless_tasks_overdue_total"); // only once an owner is late to start or complete
        assertThat(live).containsAll(queried);
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one series in a scrape (0 when it is not there). */
    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return 0;
    }
}
