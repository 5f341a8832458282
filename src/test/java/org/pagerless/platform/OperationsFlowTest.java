package org.pagerless.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.lang.management.ManagementFactory;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/** What operations watch: readiness covers the broker and the database; the clinical measures are exported. */
@QuarkusTest
class OperationsFlowTest extends FlowTest {

    @Test
    void readinessChecksTheBrokerAndTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Kafka connection health check", "Database connections health check",
                        "Task command processor", "Conversations"))
                .body("checks.find { it.name == 'Kafka connection health check' }.data.nodes", not(emptyOrNullString()));
    }

    @Test
    void theKafkaClientsRegisterNoMetricMBeans() throws Exception {
        // Registering every client's metrics as MBeans was ~0.13 s of a start's CPU, and nothing reads them.
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        assertThat(mbeans.queryNames(new ObjectName("kafka.producer:type=app-info,id=pagerless-batches"), null))
                .as("the batches producer is up").hasSize(1);
        assertThat(mbeans.queryNames(new ObjectName("kafka.producer:client-id=pagerless-batches,*"), null)).isEmpty();
    }

    @Test
    void livenessChecksTheIntakeTopicsConsumer() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Intake topic' }.status", equalTo("UP"));
    }

    @Test
    void tasksRaisedTimeToAcceptAndCommandLagAreMeasuredByPriority() {
        // The registry is shared by the whole run: what counts is that this task moved each measure.
        String before = metrics();
        Api switchboard = Api.as("sam.patel");
        List<String> holders = switchboard.holdersOf("Medical Registrar On-Call");
        String id = switchboard.bleepRole("Medical Registrar On-Call", "asap");
        Tasks.awaitStatus(id, "offered");
        Api.as(holders.get(0)).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);

        String after = metrics();
        assertThat(sample(after, "pagerless_tasks_raised_total", "priority=\"asap\""))
                .isGreaterThanOrEqualTo(sample(before, "pagerless_tasks_raised_total", "priority=\"asap\"") + 1);
        assertThat(sample(after, "pagerless_tasks_time_to_accept_seconds_count", "priority=\"asap\""))
                .isGreaterThanOrEqualTo(sample(before, "pagerless_tasks_time_to_accept_seconds_count",
                        "priority=\"asap\"") + 1);
        assertThat(after).contains("pagerless_tasks_time_to_accept_seconds_bucket{priority=\"asap\"");
        assertThat(sample(after, "pagerless_commands_lag_seconds_count", ""))
                .isGreaterThanOrEqualTo(sample(before, "pagerless_commands_lag_seconds_count", "") + 2);
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of every sample of {@code name} whose labels contain {@code label}; 0 when there is none yet. */
    private static double sample(String metrics, String name, String label) {
        return metrics.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void theApiIsDescribedInOpenApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/bleeps'.post.summary", equalTo("Bleep someone"))
                .body("paths.'/api/v1/tasks/{id}/accept'.post", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/conversations/{id}/messages'.post.summary", equalTo("Post a message"))
                .body("paths.'/api/v1/conversations/rooms'.post", org.hamcrest.Matchers.notNullValue());
    }
}
