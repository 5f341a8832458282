package org.pagerless.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;
import org.pagerless.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Abuse limits: raising bleeps and tasks has a budget per person (stat a smaller one of its own); failed sign-ins
 * are throttled per account. In tests only jade.hall has small budgets (3 raises and 1 stat a minute) and the
 * sign-in lock lasts a minute, so the shared clock moves only a minute.
 */
@QuarkusTest
class RaiseLimitsFlowTest extends FlowTest {
    static final Api JADE = Api.as("jade.hall");

    @Inject
    TestClock clock;

    @Test
    void overTheBudgetRaisesAreRefusedWith429AndRetryAfterThenAllowedAgain() {
        bleep("stat").then().statusCode(202);
        bleep("stat").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("detail", containsString("stat"));
        bleep("routine").then().statusCode(202);
        JADE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "routine"))
                .then().statusCode(202);
        JADE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), "routine"))
                .then().statusCode(429).contentType("application/problem+json")
                .body("detail", containsString("bleeps and tasks"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pagerless_limits_refused_total{caller=\"person\",limit=\"stat\"}"))
                .body(containsString("pagerless_limits_refused_total{caller=\"person\",limit=\"raise\"}"));

        clock.advance(Duration.ofSeconds(61));
        bleep("routine").then().statusCode(202);
        bleep("stat").then().statusCode(202);
    }

    @Test
    void repeatedWrongPasswordsLockTheAccountForAWhile() {
        for (int i = 0; i < 5; i++) {
            given().auth().preemptive().basic("owen.price", "guess-" + i).get("/api/v1/me").then().statusCode(401);
        }
        given().auth().preemptive().basic("owen.price", Api.PASSWORD).get("/api/v1/me").then().statusCode(401);
        Api.as("adam.fox").get("/api/v1/me").statusCode(200);
        clock.advance(Duration.ofSeconds(61));
        Api.as("owen.price").get("/api/v1/me").statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pagerless_sign_in_failed_total"));
    }

    private static io.restassured.response.Response bleep(String priority) {
        return JADE.post("/api/v1/bleeps", Map.of("to", Map.of("role", "Medical SHO On-Call"), "callback", "4417",
                "message", "Please call", "priority", priority));
    }
}
