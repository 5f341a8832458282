package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pagerless.support.Deliveries.awaitDelivery;
import static org.pagerless.support.Deliveries.delivery;
import static org.pagerless.support.Deliveries.phoneOfRecord;
import static org.pagerless.support.Deliveries.ref;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FakeTwilio;
import org.pagerless.support.FakeTwilio.Device;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;
import org.pagerless.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;

/**
 * The SMS rate limit and bundling, passing up the chain by text, contact methods, delivery history and
 * per-task delivery state, over the real broker, database and the fake Twilio. Each test pages people no
 * other test pages (the FY1s of 7A, AMU and cardiology), so any text the test did not expect fails it;
 * every task it raised is cancelled and every number and clock it changed is put back.
 */
@QuarkusTest
class DeliveryOpsFlowTest extends FlowTest {
    static final Api WARD_NURSE = Api.as("grace.okafor");
    static final FakeTwilio TWILIO = PagerlessInfra.twilio();
    /** A mobile number no one in the demo hospital has. */
    static final String OWN_MOBILE = "+447700900555";

    @Inject
    TestClock clock;
    @Inject
    CircuitBreakerMaintenance circuits;
    @Inject
    TwilioSms sms;

    private final List<Device> devices = new ArrayList<>();
    private final List<String> raised = new ArrayList<>();

    @AfterEach
    void nothingElseArrivedAndTheWorldIsPutBack() throws SQLException {
        clock.reset();
        TWILIO.answerNormally();
        circuits.reset(TwilioSms.CIRCUIT);
        for (String id : raised) {
            WARD_NURSE.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "test over"));
        }
        for (String id : raised) {
            TWILIO.discardMentioning(ref(id));
        }
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement contact = c.prepareStatement("delete from contact");
             PreparedStatement rate = c.prepareStatement("delete from sms_rate");
             PreparedStatement optOut = c.prepareStatement("delete from sms_opt_out where phone = ?");
             PreparedStatement confirmed = c.prepareStatement("delete from phone_confirmed where phone = ?")) {
            contact.executeUpdate();
            rate.executeUpdate();
            optOut.setString(1, OWN_MOBILE);
            optOut.executeUpdate();
            confirmed.setString(1, OWN_MOBILE);
            confirmed.executeUpdate();
        }
        devices.forEach(Device::assertNothingElse);
    }

    // --- rate limit and bundling ---------------------------------------------------------------------

    @Test
    void threeTasksForOneDoctorArriveAsOneSmsListingTheirReferences() {
        Device phone = phoneOf("josh.evans");
        String first = raise("josh.evans", "urgent");
        String second = raise("josh.evans", "asap");
        String third = raise("josh.evans", "urgent");
        for (String id : List.of(first, second, third)) {
            awaitDelivery("josh.evans", id, "in-app", "sent");
        }

        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        FakeTwilio.Sms sms = phone.expectSms("3 Pagerless pages:", "ref " + ref(first), "ref " + ref(second),
                "ref " + ref(third), "Reply the ref then 1 accept");
        assertThat(sms.body()).contains("URGENT task Ward 7B", "ASAP task Ward 7B");
        for (String id : List.of(first, second, third)) {
            Map<String, Object> row = awaitDelivery("josh.evans", id, "sms", "queued");
            assertThat((String) row.get("reason")).startsWith("bundled: 3 pages in one text");
        }
        // One message sid for the three rows: Twilio's callback for it moves all of them.
        assertThat(TWILIO.status(sms, "delivered")).isEqualTo(204);
        for (String id : List.of(first, second, third)) {
            awaitDelivery("josh.evans", id, "sms", "delivered");
        }
        Map<String, Object> history = history("josh.evans", second, "sms");
        assertThat(history.get("history").toString()).contains("bundled");
        // Planned pending first (read from the row: ADR 0059), then each change recorded, in order, none twice.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> changes = (List<Map<String, Object>>) history.get("history");
        assertThat(changes.stream().map(c -> (String) c.get("status")).toList())
                .containsSubsequence("pending", "sending", "queued", "delivered").startsWith("pending")
                .containsOnlyOnce("delivered");
        assertThat(changes.get(0).get("reason")).isNull();
        assertThat(changes.get(1).get("status")).as("the planned pending once").isEqualTo("sending");

        assertThat(phone.reply(ref(second) + " 1")).contains("Accepted " + ref(second));
        Tasks.awaitStatus(second, "accepted");
        assertThat(Api.as("sam.patel").status(first)).isEqualTo("offered");
        assertThat(Api.as("sam.patel").status(third)).isEqualTo("offered");
    }

    @Test
    void statIsNeverThrottled() {
        Device phone = phoneOf("omar.farah");
        String urgent = raise("omar.farah", "urgent");
        awaitDelivery("omar.farah", urgent, "in-app", "sent");
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        phone.expectSms("URGENT task, Ward 7B, ref " + ref(urgent));

        // Within the 30 s window of that text: each stat page still goes at once, alone.
        String stat = raise("omar.farah", "stat");
        FakeTwilio.Sms first = phone.expectSms("STAT task, Ward 7B, ref " + ref(stat));
        phone.expectCall(); // stat pages also ring (VoiceFlowTest)
        String another = raise("omar.farah", "stat");
        FakeTwilio.Sms second = phone.expectSms("STAT task, Ward 7B, ref " + ref(another));
        phone.expectCall();
        assertThat(first.body()).doesNotContain(ref(urgent)).doesNotContain(ref(another));
        assertThat(second.body()).doesNotContain(ref(stat));
        assertThat(delivery("omar.farah", stat, "sms").get("reason")).isNull();
    }

    @Test
    void aPageDueInsideTheWindowIsHeldUntilItEndsThenSent() {
        Device phone = phoneOf("lucy.ng");
        String early = raise("lucy.ng", "urgent");
        awaitDelivery("lucy.ng", early, "in-app", "sent");
        clock.advance(Duration.ofSeconds(20));
        String late = raise("lucy.ng", "urgent");
        awaitDelivery("lucy.ng", late, "in-app", "sent");

        clock.advance(Duration.ofSeconds(101)); // the first is due, the second not yet
        phone.expectSms("URGENT task, Ward 7B, ref " + ref(early));
        clock.advance(Duration.ofSeconds(20)); // the second is due, 20 s into the first's window
        Map<String, Object> held = awaitReason("lucy.ng", late, "sms", "held");
        assertThat(held.get("status")).isEqualTo("pending");
        phone.assertNothingElse();

        clock.advance(Duration.ofSeconds(11));
        phone.expectSms("URGENT task, Ward 7B, ref " + ref(late));
        awaitDelivery("lucy.ng", late, "sms", "queued");
    }

    // --- SMS 3: pass up the chain ---------------------------------------------------------------------

    @Test
    void replying3PassesTheTaskUpTheChainAtOnce() {
        Device phone = phoneOf("ella.hughes");
        String id = raise("ella.hughes", "stat");
        phone.expectSms("STAT task", ref(id));
        phone.expectCall();
        awaitDelivery("ella.hughes", id, "sms", "queued");

        assertThat(phone.reply("3")).contains("Passed " + ref(id) + " up the chain");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> task = Api.as("sam.patel").task(id);
            assertThat(Tasks.events(task)).contains("TaskDeclined", "TaskEscalated");
            assertThat(((Number) task.get("level")).intValue()).isEqualTo(2);
        });
        Map<String, Object> task = Api.as("sam.patel").task(id);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> timeline = (List<Map<String, Object>>) task.get("timeline");
        assertThat(timeline).anyMatch(e -> "TaskDeclined".equals(e.get("event"))
                && "passed up the chain by SMS".equals(((Map<?, ?>) e.get("detail")).get("reason")));
        assertThat(timeline).anyMatch(e -> "TaskEscalated".equals(e.get("event"))
                && "PASSED_UP".equals(((Map<?, ?>) e.get("detail")).get("reason")));
        awaitDelivery("ella.hughes", id, "sms", "read");
    }

    // --- contact methods and history -----------------------------------------------------------------

    @Test
    void aDoctorSetsTheirMobileTurnsTextsOffAndOnAndSeesTheirDeliveries() {
        Api doctor = Api.as("tom.reid");
        Map<String, Object> before = doctor.get("/api/v1/me/contact").statusCode(200).extract().jsonPath().getMap("");
        assertThat(before).containsEntry("staffId", "tom.reid").containsEntry("phoneSource", "staff-record")
                .containsEntry("sms", true);

        doctor.request().body(Map.of("phone", "07700 900123")).put("/api/v1/me/contact").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", org.hamcrest.Matchers.equalTo("phone"));
        doctor.request().body(Map.of("phone", phoneOfRecord("kate.morgan"))).put("/api/v1/me/contact").then()
                .statusCode(400).body("violations[0].reason", org.hamcrest.Matchers.equalTo("is another person's number"));
        assertThat(doctor.get("/api/v1/me/contact").extract().jsonPath().getString("phoneSource"))
                .isEqualTo("staff-record");

        String mobile = OWN_MOBILE;
        Device phone = device(mobile);
        doctor.request().body(Map.of("phone", mobile)).put("/api/v1/me/contact").then().statusCode(200)
                .body("phone", org.hamcrest.Matchers.equalTo(mobile))
                .body("phoneSource", org.hamcrest.Matchers.equalTo("self"))
                .body("phoneConfirmed", org.hamcrest.Matchers.equalTo(false));
        // A new number gets pages once the code texted to it is entered (PhoneConfirmationFlowTest has the rest).
        String code = PhoneConfirmationFlowTest.codeIn(phone.expectSms("Pagerless code").body());
        doctor.post("/api/v1/me/contact/confirm", Map.of("code", code)).then().statusCode(200)
                .body("phoneConfirmed", org.hamcrest.Matchers.equalTo(true));
        String id = raise("tom.reid", "stat");
        phone.expectSms("STAT task", ref(id));
        phone.expectCall();

        doctor.request().body(Map.of("sms", false)).put("/api/v1/me/contact").then().statusCode(200)
                .body("sms", org.hamcrest.Matchers.equalTo(false));
        String off = raise("tom.reid", "stat");
        assertThat(awaitDelivery("tom.reid", off, "sms", "failed").get("reason")).isEqualTo("this number replied STOP");
        phone.expectCall(); // texts off is not calls off: a stat page still rings
        doctor.request().body(Map.of("sms", true)).put("/api/v1/me/contact").then().statusCode(200)
                .body("sms", org.hamcrest.Matchers.equalTo(true));

        List<Map<String, Object>> mine = doctor.get("/api/v1/me/deliveries").statusCode(200).extract().jsonPath()
                .getList("");
        assertThat(mine).anyMatch(d -> id.equals(d.get("taskId")) && "sms".equals(d.get("channel"))
                && "queued".equals(d.get("status")) && ref(id).equals(d.get("ref")));
        assertThat(mine.toString()).doesNotContain(Patients.NAME).doesNotContain(Patients.NHS_NUMBER);
        Api.as("kate.morgan").get("/api/v1/me/deliveries?staff=tom.reid").statusCode(403);
        Api.as("admin").get("/api/v1/me/deliveries?staff=tom.reid").statusCode(200);
        Api.as("admin").get("/api/v1/me/contact?staff=tom.reid").statusCode(200)
                .body("phone", org.hamcrest.Matchers.equalTo(mobile));
    }

    // --- delivery state per task, in-app receipt -----------------------------------------------------

    @Test
    void theNurseInChargeSeesEachChannelsStateAndTheAppsReceiptMakesItDeliveredNotSeen() {
        Device phone = phoneOf("ella.hughes");
        String id = raise("ella.hughes", "stat");
        phone.expectSms("STAT task", ref(id));
        phone.expectCall();
        Map<String, Object> inApp = awaitDelivery("ella.hughes", id, "in-app", "sent");
        awaitDelivery("ella.hughes", id, "sms", "queued");
        // In the inbox in the claim's own transaction: planned, then sent, with no momentary sending (ADR 0072).
        assertThat(org.pagerless.support.Deliveries.historyOf("ella.hughes", id, "in-app")).containsExactly("pending", "sent");

        Api.as("ella.hughes").post("/api/v1/me/notifications/" + inApp.get("id") + "/delivered").then()
                .statusCode(200).body("status", org.hamcrest.Matchers.equalTo("delivered"));
        List<Map<String, Object>> state = Api.as("grace.okafor").get("/api/v1/tasks/" + id + "/deliveries")
                .statusCode(200).extract().jsonPath().getList("");
        assertThat(state).hasSize(1);
        assertThat(state.get(0)).containsEntry("staffId", "ella.hughes").containsEntry("seen", false);
        assertThat(state.get(0).get("channels").toString()).contains("channel=in-app", "status=delivered",
                "channel=sms", "status=queued");

        Api.as("ella.hughes").post("/api/v1/me/notifications/" + inApp.get("id") + "/read").then().statusCode(200);
        Map<String, Object> board = Api.as("grace.okafor").get("/api/v1/board/deliveries?task=" + id).statusCode(200)
                .extract().jsonPath().getMap("");
        assertThat(board.get(id).toString()).contains("seen=true");
        Api.as("kate.morgan").get("/api/v1/tasks/" + id + "/deliveries").statusCode(403);
        Api.as("grace.okafor").get("/api/v1/board/deliveries?task=nope").statusCode(400);
    }

    @Test
    void onceAcceptedThePersonHasSeenItAndTheTextStillDueShowsWithdrawnNotDue() {
        String id = raise("ella.hughes", "urgent");
        awaitDelivery("ella.hughes", id, "sms", "pending");
        Api.as("ella.hughes").post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        List<Map<String, Object>> state = Api.as("grace.okafor").get("/api/v1/tasks/" + id + "/deliveries")
                .statusCode(200).extract().jsonPath().getList("");
        assertThat(state.get(0)).containsEntry("staffId", "ella.hughes").containsEntry("seen", true);
        assertThat(state.get(0).get("channels").toString()).contains("channel=sms, status=withdrawn")
                .contains("no longer needed: they accepted it").doesNotContain("status=pending");
    }

    // --- health --------------------------------------------------------------------------------------

    @Test
    void twilioFailingDegradesReadinessButNeverFailsIt() {
        phoneOf("ella.hughes");
        TWILIO.answerWith(500);
        String id = raise("ella.hughes", "stat");
        Map<String, Object> retrying = awaitReason("ella.hughes", id, "sms", "attempt 1 failed, retrying");
        assertThat(retrying.get("status")).isEqualTo("pending");
        for (int i = 0; i < 4; i++) {
            try {
                sms.send("+447700900556", "health probe", Duration.ofSeconds(60));
            } catch (RuntimeException expected) {
                // Twilio answering 500: the circuit breaker counts it
            }
        }
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Delivery' }.status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.find { it.name == 'Delivery' }.data.sms", org.hamcrest.Matchers.equalTo("circuit-open"));
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("pagerless_delivery_attempts_total{channel=\"sms\"")
                .contains("pagerless_delivery_latency_seconds_count{channel=\"in-app\"")
                .contains("pagerless_delivery_failures_total{channel=\"sms\",reason_class=\"unreachable\"");
    }

    // --- helpers -------------------------------------------------------------------------------------

    private Device phoneOf(String staffId) {
        return device(phoneOfRecord(staffId));
    }

    private Device device(String number) {
        Device device = TWILIO.device(number);
        devices.add(device);
        return device;
    }

    private String raise(String staffId, String priority) {
        String id = WARD_NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("person", staffId), priority))
                .then().statusCode(202).extract().path("id");
        raised.add(id);
        Tasks.awaitStatus(id, "offered");
        return id;
    }

    private static Map<String, Object> history(String staffId, String taskId, String channel) {
        List<Map<String, Object>> all = Api.as(staffId).get("/api/v1/me/deliveries").statusCode(200).extract()
                .jsonPath().getList("");
        return all.stream().filter(d -> taskId.equals(d.get("taskId")) && channel.equals(d.get("channel"))).findFirst()
                .orElse(Map.of());
    }

    private static Map<String, Object> awaitReason(String staffId, String taskId, String channel, String reason) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Object r = delivery(staffId, taskId, channel).get("reason");
            return r != null && r.toString().startsWith(reason);
        });
        return delivery(staffId, taskId, channel);
    }
}
