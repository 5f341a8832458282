package org.pagerless.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.pagerless.support.FlowTest;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The deployment against the running app: the probe paths k8s/ asks answer, and the reading of the code that
 * {@link MonitoringMetricsTest} trusts matches what {@code /q/metrics} really exports.
 */
@QuarkusTest
class ExportedMetricsFlowTest extends FlowTest {
    private static final Pattern SERIES = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{| )");

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

        Set<String> exported = MonitoringMetricsTest.exportedOrAwaited();
        exported.addAll(live);
        exported.addAll(ExportedMetrics.KAFKA_EXPORTER);
        exported.addAll(ExportedMetrics.FAULT_TOLERANCE);
        assertThat(MonitoringMetricsTest.unexported(MonitoringMetricsTest.monitoringQueries(), exported)).isEmpty();
    }
}
