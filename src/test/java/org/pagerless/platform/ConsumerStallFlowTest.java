package org.pagerless.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.intake.Intake;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Tasks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The database down is transient, never poison (issue 9, items 1 and 3): the commands wait, readiness reports the
 * processor stalled (degraded, the check still UP) and {@code pagerless_consumer_stalled} is 1; when the database is
 * back they are applied once, nothing is parked and the stall clears. The fault is real: the database refuses
 * connections and its backends are terminated. The test profile's stall time is 3 s.
 */
@QuarkusTest
class ConsumerStallFlowTest extends FlowTest {
    static final String SWITCHBOARD_ID = "sam.patel";
    static final Api SWITCHBOARD = Api.as(SWITCHBOARD_ID);
    static final String CONSUMERS = "checks.find { it.name == 'Consumers' }";

    @Inject
    MeterRegistry registry;

    @Test
    void commandsWaitWhileTheDatabaseIsDownTheStallIsReportedAndTheyAreAppliedOnceAfter() throws Exception {
        double parkedBefore = parked();
        String key = UUID.randomUUID().toString();
        String id = Intake.taskId(SWITCHBOARD_ID, key).toString();
        try (Connection admin = PagerlessInfra.adminConnection(); Statement st = admin.createStatement()) {
            st.execute("alter database " + PagerlessInfra.DATABASE + " allow_connections false");
            try {
                st.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                        + PagerlessInfra.DATABASE + "'");
                SWITCHBOARD.request().header("Idempotency-Key", key)
                        .body(Map.of("to", Map.of("person", "amira.khan"), "callback", "4417", "priority", "urgent"))
                        .post("/api/v1/bleeps").then().statusCode(202);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                        .body(CONSUMERS + ".status", equalTo("UP"))
                        .body(CONSUMERS + ".data.status", equalTo("degraded"))
                        .body(CONSUMERS + ".data.'task-processor'", containsString("stalled: no progress")));
                assertThat(stalled()).isEqualTo(1.0);
            } finally {
                st.execute("alter database " + PagerlessInfra.DATABASE + " allow_connections true");
            }
        }
        Tasks.awaitStatus(id, "offered");
        assertThat(Tasks.events(SWITCHBOARD.task(id))).containsExactly("TaskRaised", "TaskOffered");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().get("/q/health/ready").then().statusCode(200)
                    .body(CONSUMERS + ".data.'task-processor'", not(containsString("stalled")));
            assertThat(stalled()).isEqualTo(0.0);
        });
        assertThat(parked()).isEqualTo(parkedBefore);
    }

    private double stalled() {
        Gauge gauge = registry.find("pagerless.consumer.stalled").tag("consumer", "task-processor").gauge();
        return gauge.value();
    }

    private double parked() {
        Counter counter = registry.find("pagerless.records.parked").tag("consumer", "task-processor").counter();
        return counter == null ? 0 : counter.count();
    }
}
