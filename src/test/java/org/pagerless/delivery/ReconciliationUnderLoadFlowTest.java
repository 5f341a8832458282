package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pagerless.support.Deliveries.awaitDelivery;
import static org.pagerless.support.Deliveries.phoneOfRecord;
import static org.pagerless.support.Deliveries.ref;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.Deliveries;
import org.pagerless.support.FakeTwilio;
import org.pagerless.support.FakeTwilio.Device;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Reconciliation when the number is busy (issue 13, the fault-injection harness's "texts / calls not in the outbox"):
 * a text or call Twilio took whose answer was lost is found in Twilio's list however many others went to the number
 * since, and a call another row placed and recorded is never adopted for it. Each test ends with every text and call
 * the fake took about its tasks recorded on exactly one row, and nothing sent twice.
 */
@QuarkusTest
class ReconciliationUnderLoadFlowTest extends FlowTest {
    static final Api WARD_NURSE = Api.as("grace.okafor");
    static final FakeTwilio TWILIO = PagerlessInfra.twilio();
    /** Past an urgent page's SMS step (2 min). */
    static final Duration SMS_DUE = Duration.ofMinutes(2).plusSeconds(1);

    @Inject
    TestClock clock;
    @Inject
    DeliverySettings settings;
    @Inject
    TwilioSms sms;
    @Inject
    DeliveryOutbox outbox;

    private final List<Device> devices = new ArrayList<>();
    private final List<String> raised = new ArrayList<>();

    @AfterEach
    void putTheWorldBack() throws SQLException {
        TWILIO.answerNormally();
        for (String id : raised) {
            WARD_NURSE.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "test over"));
            TWILIO.discardMentioning(ref(id));
        }
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement rate = c.prepareStatement("delete from sms_rate")) {
            rate.executeUpdate();
        }
        clock.reset();
        devices.forEach(Device::assertNothingElse);
    }

    @Test
    void aLostTextIsFoundBehindMoreThanAPageOfNewerTextsToTheNumberAndNotSentAgain() throws SQLException {
        Device phone = phoneOf("ben.cole");
        String id = raise("ben.cole", "urgent");
        TWILIO.loseNextTextAnswersTo(phone.phone(), 1);
        clock.advance(SMS_DUE);
        FakeTwilio.Sms taken = phone.expectSms("URGENT task, Ward 7B, ref " + ref(id));
        await().atMost(Duration.ofSeconds(60)).until(() -> historyOf("ben.cole", id, "sms").stream()
                .anyMatch(h -> h.contains("failed, retrying")));
        // A busy number: more texts went to it since than the 150 newest a reconciliation used to read (each names
        // another page's reference, as other tasks' pages would).
        for (int i = 0; i < TwilioSms.RECONCILE_PAGE * 2; i++) {
            sms.send(phone.phone(), "busy number filler " + i + ", ref F" + String.format("%05d", i) + ".",
                    Duration.ofMinutes(2));
        }
        TWILIO.discardMentioning("busy number filler");

        clock.advance(settings.retryBackoff().plusSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> historyOf("ben.cole", id, "sms").stream()
                .anyMatch(h -> h.startsWith("reconciled")));
        assertThat(historyOf("ben.cole", id, "sms")).as("reconciled by adopting the text Twilio took")
                .noneMatch(h -> h.startsWith("reconciled: Twilio does not have it"));
        Map<String, Object> reconciled = awaitReason("ben.cole", id, "sms", "reconciled: Twilio already had it");
        assertThat(reconciled.get("reason").toString()).contains(taken.sid());
        assertThat(reconciled.get("status")).isEqualTo("queued");
        assertThat(rowsRecording(taken.sid())).as("the text Twilio took, recorded on its row alone").isEqualTo(1);
        // Sent once: the phone got exactly one text about the task (and nothing else, checked after the test).
        phone.assertAboutTask(ref(id), List.of(), 1, 0);
    }

    @Test
    void aLostCallIsNeverTakenForAnotherTasksCallToTheSamePhone() throws SQLException {
        Device phone = phoneOf("nina.berg");
        TWILIO.loseNextCallAnswers(1);
        String first = raise("nina.berg", "stat");
        phone.expectSms("STAT task, Ward 7B, ref " + ref(first));
        FakeTwilio.Call lost = phone.expectCall();
        await().atMost(Duration.ofSeconds(60)).until(() -> historyOf("nina.berg", first, "voice").stream()
                .anyMatch(h -> h.contains("failed, retrying")));

        // Meanwhile a second stat page rings the same phone; its call is placed and recorded on its own row.
        String second = raise("nina.berg", "stat");
        phone.expectSms("STAT task, Ward 7B, ref " + ref(second));
        FakeTwilio.Call other = phone.expectCall();
        await().atMost(Duration.ofSeconds(20)).until(() -> other.sid().equals(voiceSid(second)));

        clock.advance(settings.retryBackoff().plusSeconds(1));
        Map<String, Object> reconciled = awaitReason("nina.berg", first, "voice", "reconciled: Twilio already had it");
        assertThat(reconciled.get("reason").toString()).as("the first page adopts its own call, not the second's")
                .contains(lost.sid()).doesNotContain(other.sid());
        Map<String, Integer> recorded = new HashMap<>();
        for (FakeTwilio.Call call : List.of(lost, other)) {
            recorded.put(call.sid(), rowsRecording(call.sid()));
        }
        assertThat(recorded).as("each call Twilio placed is recorded on exactly one row")
                .containsEntry(lost.sid(), 1).containsEntry(other.sid(), 1);
        // Rung once per page: the phone got exactly the two calls (checked after the test).
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private Device phoneOf(String staffId) {
        Device device = TWILIO.device(phoneOfRecord(staffId));
        devices.add(device);
        return device;
    }

    private String raise(String staffId, String priority) {
        String id = Deliveries.raiseFor(staffId, priority);
        raised.add(id);
        awaitDelivery(staffId, id, "in-app", "sent");
        return id;
    }

    /** How many delivery rows carry this provider sid. */
    private static int rowsRecording(String sid) throws SQLException {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("select count(*) from delivery where provider_id = ?")) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The sid recorded on the task's voice row. */
    private static String voiceSid(String taskId) throws SQLException {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement(
                     "select provider_id from delivery where task_id = ? and channel = 'voice'")) {
            ps.setObject(1, UUID.fromString(taskId));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The statuses and reasons the person's newest delivery of the task on this channel went through, oldest first. */
    private List<String> historyOf(String staffId, String taskId, String channel) throws SQLException {
        Object id = Deliveries.delivery(staffId, taskId, channel).get("id");
        List<String> out = new ArrayList<>();
        if (id != null) {
            for (String[] h : outbox.history(UUID.fromString(id.toString()))) {
                out.add(h[0]);
                if (h[1] != null) {
                    out.add(h[1]);
                }
            }
        }
        return out;
    }

    private static Map<String, Object> awaitReason(String staffId, String taskId, String channel, String reason) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Object r = Deliveries.delivery(staffId, taskId, channel).get("reason");
            return r != null && r.toString().startsWith(reason);
        });
        return Deliveries.delivery(staffId, taskId, channel);
    }
}
