package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pagerless.support.Deliveries.phoneOfRecord;
import static org.pagerless.support.Deliveries.raiseFor;
import static org.pagerless.support.Deliveries.ref;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FakeTwilio;
import org.pagerless.support.FakeTwilio.Call;
import org.pagerless.support.FakeTwilio.Device;
import org.pagerless.support.FakeTwilio.Heard;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;
import org.pagerless.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Pages that ring: the outbox places a Twilio call, the fake Twilio answers it (fetching the TwiML by a
 * signed POST, as Twilio does) and presses keys, over the real broker and database. Each test pages FY1s
 * no other test pages, so their phones see only what the test expects; any other text or call fails it.
 */
@QuarkusTest
class VoiceFlowTest extends FlowTest {
    static final Api WARD_NURSE = Api.as("grace.okafor");
    static final Api ADMIN = Api.as("admin");
    static final FakeTwilio TWILIO = PagerlessInfra.twilio();
    static final String PROMPT_END = ". Press 1 to accept, 2 to decline, 9 to repeat.";

    @Inject
    TestClock clock;
    @Inject
    org.pagerless.rota.ReferenceData referenceData;

    private final List<Device> devices = new ArrayList<>();
    private final List<String> rota = new ArrayList<>();
    private final List<String> open = new ArrayList<>();

    @AfterEach
    void nothingElseRangAndTheWorldIsAsItWas() {
        open.forEach(id -> WARD_NURSE.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "test over")));
        rota.forEach(path -> ADMIN.request().delete(path).then().statusCode(204));
        clock.reset();
        devices.forEach(Device::assertNothingElse);
    }

    @Test
    void statPageRingsTheDoctorWhoPresses1AndAccepts() {
        Device phone = phoneOf("josh.evans");
        String id = raiseFor("josh.evans", "stat");
        String ref = ref(id);
        phone.expectSms("STAT task, Ward 7B, ref " + ref);
        Call call = phone.expectCall();
        Map<String, Object> voice = awaitDelivery("josh.evans", id, "voice", "queued");
        assertThat(call.url()).isEqualTo(PagerlessInfra.APP_URL + "/twilio/voice/" + voice.get("id"));
        assertThat(call.from()).isEqualTo(FakeTwilio.FROM);
        assertThat(call.statusCallback()).isEqualTo(PagerlessInfra.APP_URL + "/twilio/voice/status");
        // Only the callbacks that say something new (ADR 0076): the answer is the TwiML fetch below.
        assertThat(call.statusCallbackEvents().split(" ")).containsExactly("ringing", "completed");
        assertThat(call.timeout()).isEqualTo("30");
        assertThat(call.machineDetection()).isNull();

        Heard heard = TWILIO.answer(call);
        String prompt = "Stat task from Ward 7B, reference " + spelled(ref) + PROMPT_END;
        assertThat(heard.said().get(0)).isEqualTo(prompt);
        assertThat(heard.prompts()).isEqualTo(3);
        assertThat(heard.said()).containsExactly(prompt, prompt, prompt,
                "No key pressed. The page is still in your Pagerless app. Goodbye.");
        assertThat(heard.hangsUp()).isTrue();
        awaitDelivery("josh.evans", id, "voice", "delivered");

        Heard answer = TWILIO.press(call, heard, "1");
        assertThat(answer.text()).isEqualTo("Accepted. The task is yours; details are in the Pagerless app.");
        assertThat(answer.hangsUp()).isTrue();
        assertThat(answer.keyAction()).isNull();
        Tasks.awaitStatus(id, "accepted");
        Map<String, Object> task = Api.as("josh.evans").task(id);
        assertThat(task.get("owner")).isEqualTo(Map.of("id", "josh.evans", "name", "Dr Josh Evans"));
        awaitDelivery("josh.evans", id, "voice", "read");

        // Twilio retries a webhook it got no answer to: the same call and key are applied once.
        TWILIO.press(call, heard, "1");
        assertThat(Tasks.events(Api.as("sam.patel").task(id)).stream().filter("TaskAccepted"::equals)).hasSize(1);
        // Late call progress never takes a read page backwards.
        assertThat(TWILIO.status(call, "ringing")).isEqualTo(204);
        assertThat(TWILIO.status(call, "completed")).isEqualTo(204);
        assertThat(delivery("josh.evans", id, "voice").get("status")).isEqualTo("read");

        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("pagerless_delivery_attempts_total{channel=\"voice\"");
    }

    @Test
    void pressing2DeclinesByPhoneAndTheChainMovesOn() {
        Ringing ringing = statPageRinging("ella.hughes");
        String id = ringing.id();
        Call call = ringing.call();

        Heard answer = TWILIO.press(call, TWILIO.answer(call), "2");
        assertThat(answer.text()).isEqualTo("Declined. Thank you.");
        assertThat(answer.hangsUp()).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Tasks.events(Api.as("sam.patel").task(id))).contains("TaskDeclined", "TaskEscalated"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> timeline = (List<Map<String, Object>>) Api.as("sam.patel").task(id).get("timeline");
        assertThat(timeline).anyMatch(e -> "TaskDeclined".equals(e.get("event"))
                && "declined by phone".equals(((Map<?, ?>) e.get("detail")).get("reason")));
        open.add(id);
    }

    @Test
    void pressing9RepeatsOtherKeysDoNothingAndACallForAPageNoLongerOfferedSaysSoAndHangsUp() {
        Device phone = phoneOf("lucy.ng");
        String id = raiseFor("lucy.ng", "stat");
        String ref = ref(id);
        phone.expectSms(ref);
        Call call = phone.expectCall();
        awaitDelivery("lucy.ng", id, "voice", "queued");
        Heard heard = TWILIO.answer(call);
        String prompt = "Stat task from Ward 7B, reference " + spelled(ref) + PROMPT_END;

        Heard repeated = TWILIO.press(call, heard, "9");
        assertThat(repeated.said()).startsWith(prompt).hasSize(4);
        assertThat(repeated.prompts()).isEqualTo(3);
        Heard wrong = TWILIO.press(call, repeated, "5");
        assertThat(wrong.said()).startsWith("Sorry, that key does nothing.", prompt);
        assertThat(wrong.prompts()).isEqualTo(3);
        assertThat(Api.as("sam.patel").status(id)).isEqualTo("offered");

        WARD_NURSE.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "Cannula no longer needed")).then()
                .statusCode(200);
        Tasks.awaitStatus(id, "cancelled");
        Heard gone = TWILIO.press(call, wrong, "9");
        assertThat(gone.text()).isEqualTo("Reference " + spelled(ref)
                + " is no longer waiting for you. Check the Pagerless app. Goodbye.");
        assertThat(gone.prompts()).isZero();
        assertThat(gone.hangsUp()).isTrue();
        assertThat(TWILIO.answer(call).text()).contains("no longer waiting for you");
    }

    @Test
    void forgedOrUnsignedVoiceWebhooksAreRefusedAndChangeNothing() {
        Ringing ringing = statPageRinging("omar.farah");
        String id = ringing.id();
        Call call = ringing.call();

        assertThat(TWILIO.forgedAnswer(call, true)).isEqualTo(403);
        assertThat(TWILIO.forgedAnswer(call, false)).isEqualTo(403);
        assertThat(TWILIO.forgedStatus(call, "completed", true)).isEqualTo(403);
        assertThat(TWILIO.forgedStatus(call, "busy", false)).isEqualTo(403);
        assertThat(delivery("omar.farah", id, "voice").get("status")).isEqualTo("queued");

        Heard heard = TWILIO.answer(call);
        assertThat(TWILIO.forgedPress(call, heard, "1", true)).isEqualTo(403);
        assertThat(TWILIO.forgedPress(call, heard, "1", false)).isEqualTo(403);
        assertThat(delivery("omar.farah", id, "voice").get("status")).isEqualTo("delivered");
        assertThat(Api.as("sam.patel").status(id)).isEqualTo("offered");
        assertThat(Tasks.events(Api.as("sam.patel").task(id))).doesNotContain("TaskAccepted");
        open.add(id);
    }

    @Test
    void callStatusCallbacksMoveTheDeliveryForwardNeverBack() throws SQLException {
        Ringing ringing = statPageRinging("josh.evans");
        String id = ringing.id();
        Call call = ringing.call();

        assertThat(TWILIO.status(call, "initiated")).isEqualTo(204);
        assertThat(TWILIO.status(call, "ringing")).isEqualTo(204);
        String deliveryId = (String) awaitDelivery("josh.evans", id, "voice", "sent").get("id");
        // A status that moves nothing (ringing after initiated: both "sent") writes nothing: no history row, and the
        // row is neither updated nor even locked (its version and locker stay as they were).
        String sent = written(deliveryId);
        assertThat(TWILIO.status(call, "ringing")).isEqualTo(204);
        assertThat(written(deliveryId)).isEqualTo(sent);
        assertThat(TWILIO.status(call, "busy")).isEqualTo(204);
        Map<String, Object> failed = awaitDelivery("josh.evans", id, "voice", "failed");
        assertThat(failed.get("reason")).isEqualTo("Twilio call busy");
        String busy = written(deliveryId);
        assertThat(busy).isNotEqualTo(sent);
        assertThat(TWILIO.status(call, "queued")).isEqualTo(204);
        assertThat(TWILIO.status(call, "ringing")).isEqualTo(204);
        assertThat(delivery("josh.evans", id, "voice")).containsEntry("status", "failed")
                .containsEntry("reason", "Twilio call busy");
        assertThat(written(deliveryId)).isEqualTo(busy);
        open.add(id);
    }

    @Test
    void aCallThatRangUnansweredFailsNoAnswerFromItsCompletedCallback() {
        Ringing ringing = statPageRinging("lucy.ng");
        String id = ringing.id();
        Call call = ringing.call();

        // The two callbacks a call asks for (ADR 0076): it rang, then ended unanswered.
        assertThat(TWILIO.status(call, "ringing")).isEqualTo(204);
        awaitDelivery("lucy.ng", id, "voice", "sent");
        assertThat(TWILIO.status(call, "no-answer")).isEqualTo(204);
        assertThat(awaitDelivery("lucy.ng", id, "voice", "failed").get("reason")).isEqualTo("Twilio call no-answer");
        assertThat(Api.as("sam.patel").status(id)).isEqualTo("offered");
        open.add(id);
    }

    @Test
    void aSecondHolderPressing1AfterTheFirstAcceptedHearsWhoHasIt() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        for (String who : List.of("omar.farah", "lucy.ng")) {
            long override = ADMIN.post("/api/v1/rota/overrides", Map.of("roleId", "derm-reg", "kind", "add",
                    "staffId", who, "from", now.minus(Duration.ofMinutes(1)).toString(),
                    "to", now.plus(Duration.ofMinutes(30)).toString())).then().statusCode(201).extract().jsonPath()
                    .getLong("id");
            rota.add("/api/v1/rota/overrides/" + override);
        }
        Device first = phoneOf("omar.farah");
        Device second = phoneOf("lucy.ng");
        String id = WARD_NURSE.post("/api/v1/tasks",
                Patients.cannulaRequest(Map.of("role", "Dermatology Registrar"), "stat")).then().statusCode(202)
                .extract().path("id");
        Tasks.awaitStatus(id, "offered");
        first.expectSms(ref(id));
        second.expectSms(ref(id));
        Call firstCall = first.expectCall();
        Call secondCall = second.expectCall();
        awaitDelivery("omar.farah", id, "voice", "queued");
        awaitDelivery("lucy.ng", id, "voice", "queued");
        Heard firstHeard = TWILIO.answer(firstCall);
        Heard secondHeard = TWILIO.answer(secondCall);

        assertThat(TWILIO.press(firstCall, firstHeard, "1").text()).startsWith("Accepted.");
        Heard tooLate = TWILIO.press(secondCall, secondHeard, "1");
        assertThat(tooLate.text()).isEqualTo("Already accepted by Dr Omar Farah. Nothing more to do. Goodbye.");
        assertThat(tooLate.hangsUp()).isTrue();
        Tasks.awaitStatus(id, "accepted");
        assertThat(Api.as("sam.patel").task(id).get("owner")).isEqualTo(Map.of("id", "omar.farah", "name", "Dr Omar Farah"));
        open.add(id);
    }

    @Test
    void asapPageUnreadFor3MinutesRingsAfterTheText() {
        Device phone = phoneOf("ella.hughes");
        String id = raiseFor("ella.hughes", "asap");
        awaitDelivery("ella.hughes", id, "in-app", "sent");
        assertThat(delivery("ella.hughes", id, "voice").get("status")).isEqualTo("pending");

        clock.advance(Duration.ofSeconds(61));
        phone.expectSms("ASAP task, Ward 7B, ref " + ref(id));
        assertThat(delivery("ella.hughes", id, "voice").get("status")).isEqualTo("pending");
        clock.advance(Duration.ofMinutes(2));
        Call call = phone.expectCall();
        awaitDelivery("ella.hughes", id, "voice", "queued");
        assertThat(TWILIO.answer(call).said().get(0)).startsWith("ASAP task from Ward 7B");
        open.add(id);
    }

    @Test
    void aPageAcceptedInTheAppOrGoneStaleIsNeverCalled() {
        Device phone = phoneOf("lucy.ng");
        String accepted = raiseFor("lucy.ng", "asap");
        Api.as("lucy.ng").post("/api/v1/tasks/" + accepted + "/accept").then().statusCode(200);
        clock.advance(Duration.ofMinutes(3).plusSeconds(1));
        assertThat(awaitDelivery("lucy.ng", accepted, "voice", "withdrawn").get("reason"))
                .isEqualTo("no longer offered to this person");
        clock.reset();

        // Delivery was held up past the page's expiry (10 minutes): it is dropped, never rung late.
        String stale = raiseFor("lucy.ng", "asap");
        open.add(stale);
        clock.advance(Duration.ofMinutes(13).plusSeconds(1));
        assertThat(awaitDelivery("lucy.ng", stale, "voice", "withdrawn").get("reason"))
                .isEqualTo("expired before it could be sent");
        // Texts are sent after the other channels in a tick (they are rate-limited together): wait for it too.
        assertThat(awaitDelivery("lucy.ng", stale, "sms", "withdrawn").get("reason"))
                .isEqualTo("expired before it could be sent");
    }

    @Test
    void aDoctorWithNoMobileOnRecordIsNotCalledAndTheReasonIsKept() throws SQLException {
        Device phone = phoneOf("josh.evans");
        setPhone("josh.evans", null);
        try {
            double callsBefore = noAddressFailures("voice");
            String id = raiseFor("josh.evans", "stat");
            open.add(id);
            assertThat(awaitDelivery("josh.evans", id, "voice", "failed").get("reason"))
                    .isEqualTo("no mobile number on record");
            assertThat(noAddressFailures("voice")).as("the failure is counted when the row is written failed")
                    .isGreaterThanOrEqualTo(callsBefore + 1);
            assertThat(delivery("josh.evans", id, "sms").get("reason")).isEqualTo("no mobile number on record");
            // Written failed when planned (due at once, nothing to send to), never claimed: no sending (ADR 0072).
            assertThat(org.pagerless.support.Deliveries.historyOf("josh.evans", id, "voice")).containsExactly("pending", "failed");
            assertThat(org.pagerless.support.Deliveries.historyOf("josh.evans", id, "sms")).containsExactly("pending", "failed");
            // and nothing rang: the phone's unexpected calls are checked after the test.
        } finally {
            setPhone("josh.evans", phone.phone());
        }
    }

    /** {@code pagerless_delivery_failures_total{channel, reason_class="no-address"}} now (0 before the first). */
    private static double noAddressFailures(String channel) {
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("pagerless_delivery_failures_total\\{channel=\""
                + channel + "\",reason_class=\"no-address\"[^}]*} ([0-9.eE+-]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void nothingACallSaysCarriesPatientIdentifiersOrClinicalDetail() {
        Ringing ringing = statPageRinging("josh.evans");
        String id = ringing.id();
        Call call = ringing.call();
        TWILIO.press(call, TWILIO.press(call, TWILIO.answer(call), "9"), "1");
        Tasks.awaitStatus(id, "accepted");

        List<String> spoken = TWILIO.spoken();
        assertThat(spoken).isNotEmpty();
        assertThat(spoken).allSatisfy(words -> assertThat(words)
                .doesNotContain(Patients.NHS_NUMBER).doesNotContain(Patients.NAME).doesNotContain("Quillfeather")
                .doesNotContain("Marjorie").doesNotContain("tissued").doesNotContain("pneumonia")
                .doesNotContain("bed 12").doesNotContain("Cannula").doesNotContain("9 4 3 4"));
        assertThat(TWILIO.calls()).allSatisfy(c -> assertThat(c.url()).doesNotContain(Patients.NHS_NUMBER));
    }

    @Test
    void readinessReportsTheVoiceChannel() {
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Delivery' }.data.voice", org.hamcrest.Matchers.equalTo("ok"));
    }

    /** Changes the person's mobile on record and reloads the reference data, as an admin's edit would. */
    private void setPhone(String staffId, String phone) throws SQLException {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("update staff set phone = ? where id = ?")) {
            ps.setString(1, phone);
            ps.setString(2, staffId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        referenceData.refresh();
    }

    /** What the database holds about a delivery's writes: its history rows, and the row's version and last locker. */
    private static String written(String deliveryId) throws SQLException {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("select (select count(*) from delivery_status_history "
                     + "where delivery_id = d.id) || ' history rows, xmin ' || d.xmin || ', xmax ' || d.xmax "
                     + "from delivery d where id = ?::uuid")) {
            ps.setString(1, deliveryId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static String spelled(String ref) {
        return String.join(" ", ref.split(""));
    }

    /** The delivery on this channel of the task's first offer to the person (a re-offer plans new ones). */
    private static Map<String, Object> delivery(String staffId, String taskId, String channel) {
        List<Map<String, Object>> all = Api.as(staffId).get("/api/v1/me/notifications").statusCode(200).extract()
                .jsonPath().getList("");
        return all.stream().filter(d -> taskId.equals(d.get("taskId")) && channel.equals(d.get("channel")))
                .reduce((newer, older) -> older).orElse(Map.of());
    }

    private static Map<String, Object> awaitDelivery(String staffId, String taskId, String channel, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> status.equals(delivery(staffId, taskId, channel).get("status")));
        return delivery(staffId, taskId, channel);
    }

    /** The person's handset, by their number of record; checked for anything unexpected after the test. */
    /** A stat page to {@code who}: its text arrived and Twilio was asked to place its call (the voice row queued). */
    private Ringing statPageRinging(String who) {
        Device phone = phoneOf(who);
        String id = raiseFor(who, "stat");
        phone.expectSms(ref(id));
        Call call = phone.expectCall();
        awaitDelivery(who, id, "voice", "queued");
        return new Ringing(id, call);
    }

    private record Ringing(String id, Call call) {
    }

    private Device phoneOf(String staffId) {
        Device device = TWILIO.device(phoneOfRecord(staffId));
        devices.add(device);
        return device;
    }
}
