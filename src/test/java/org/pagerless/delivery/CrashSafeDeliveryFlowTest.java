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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.delivery.model.PageText;
import org.pagerless.support.Api;
import org.pagerless.support.FakePushService;
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
 * Crash-safe delivery (issue 9): fencing tokens, reconciliation with Twilio before any resend, status callbacks that
 * arrive before the sid is recorded, statuses that never move back, and isolation per row and per channel; over the
 * real broker, database, fake Twilio (with its faults: answers lost after the text was taken) and fake push service
 * (a stalled endpoint). A text or call is never sent twice for one attempt: each test ends with the phone's
 * {@code assertNothingElse} once the row has reached its final state.
 */
@QuarkusTest
class CrashSafeDeliveryFlowTest extends FlowTest {
    static final Api WARD_NURSE = Api.as("grace.okafor");
    static final FakeTwilio TWILIO = PagerlessInfra.twilio();
    static final FakePushService PUSH = PagerlessInfra.pushService();
    /** Past an urgent page's SMS step (2 min). */
    static final Duration SMS_DUE = Duration.ofMinutes(2).plusSeconds(1);
    /** Past an asap page's call step (3 min). */
    static final Duration CALL_DUE = Duration.ofMinutes(3).plusSeconds(1);

    @Inject
    TestClock clock;
    @Inject
    DeliveryOutbox outbox;
    @Inject
    DeliveryClaims claims;
    @Inject
    DeliverySettings settings;
    @Inject
    TwilioSms sms;
    @Inject
    TwilioVoice voice;
    @Inject
    CircuitBreakerMaintenance circuits;

    private final List<Device> devices = new ArrayList<>();
    private final List<String> raised = new ArrayList<>();
    private final List<String[]> subscriptions = new ArrayList<>();
    private final List<UUID> planted = new ArrayList<>();

    @AfterEach
    void nothingElseArrivedAndTheWorldIsPutBack() throws SQLException {
        TWILIO.answerNormally();
        circuits.reset(TwilioSms.CIRCUIT);
        circuits.reset(TwilioVoice.CIRCUIT);
        subscriptions.forEach(s -> Api.as(s[0]).request().delete("/api/v1/me/push-subscriptions/" + s[1]));
        for (String id : raised) {
            WARD_NURSE.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "test over"));
            TWILIO.discardMentioning(ref(id));
        }
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement history = c.prepareStatement("delete from delivery_status_history where delivery_id = ?");
             PreparedStatement row = c.prepareStatement("delete from delivery where id = ?");
             PreparedStatement task = c.prepareStatement("delete from task where id = ?");
             PreparedStatement rate = c.prepareStatement("delete from sms_rate")) {
            for (UUID id : planted) {
                history.setObject(1, id);
                history.executeUpdate();
                row.setObject(1, id);
                row.executeUpdate();
                task.setObject(1, id);
                task.executeUpdate();
            }
            rate.executeUpdate();
        }
        clock.reset();
        devices.forEach(Device::assertNothingElse);
    }

    // --- unknown outcomes are reconciled with Twilio ------------------------------------------------------

    @Test
    void aTextTwilioTookButWhoseAnswerWasLostIsReconciledAndNotSentAgain() {
        Device phone = phoneOf("ben.cole");
        String id = raise("ben.cole", "urgent");
        // Only ben.cole's text: a text of an earlier test falling due on the same clock move must not take the fault.
        TWILIO.loseNextTextAnswersTo(phone.phone(), 1);
        int asked = TWILIO.listRequests();
        clock.advance(SMS_DUE);
        FakeTwilio.Sms taken = phone.expectSms("URGENT task, Ward 7B, ref " + ref(id));
        // The dropped answer is a failed attempt whose outcome is unknown ("attempt 1 failed, retrying" when the
        // client times out, "dispatch failed, retrying with backoff" when it reads the dropped connection as an
        // empty answer). Read from the row's history: on a slow machine the retry may already be under way.
        await().atMost(Duration.ofSeconds(60)).until(() -> history(org.pagerless.support.Deliveries.delivery(
                "ben.cole", id, "sms")).stream().anyMatch(h -> h.contains("failed, retrying")));

        clock.advance(settings.retryBackoff().plusSeconds(1));
        Map<String, Object> reconciled = awaitReason("ben.cole", id, "sms", "reconciled: Twilio already had it");
        assertThat(reconciled.get("status")).isEqualTo("queued");
        assertThat(reconciled.get("reason").toString()).contains(taken.sid());
        assertThat(TWILIO.listRequests()).as("Twilio's message list was asked").isGreaterThan(asked);
        // Adopted: Twilio's callbacks for that sid now move it.
        assertThat(TWILIO.status(taken, "delivered")).isEqualTo(204);
        awaitDelivery("ben.cole", id, "sms", "delivered");
        // The row is final; the phone got the text once (checked after each test).
    }

    @Test
    void aTextTwilioNeverGotIsSentOnceWhenRetried() {
        Device phone = phoneOf("ben.cole");
        String id = raise("ben.cole", "urgent");
        TWILIO.answerWith(500);
        clock.advance(SMS_DUE);
        awaitReason("ben.cole", id, "sms", "attempt 1 failed, retrying");
        TWILIO.answerNormally();

        clock.advance(settings.retryBackoff().plusSeconds(1));
        phone.expectSms("URGENT task, Ward 7B, ref " + ref(id));
        Map<String, Object> queued = awaitDelivery("ben.cole", id, "sms", "queued");
        assertThat(history(queued)).contains("reconciled: Twilio does not have it; sending");
    }

    @Test
    void aCallTwilioPlacedButWhoseAnswerWasLostIsReconciledAndDoesNotRingTwice() {
        Device phone = phoneOf("nina.berg");
        TWILIO.loseNextCallAnswers(1);
        String id = raise("nina.berg", "stat");
        phone.expectSms("STAT task, Ward 7B, ref " + ref(id));
        FakeTwilio.Call call = phone.expectCall();
        awaitReason("nina.berg", id, "voice", "attempt 1 failed, retrying");

        clock.advance(settings.retryBackoff().plusSeconds(1));
        Map<String, Object> reconciled = awaitReason("nina.berg", id, "voice", "reconciled: Twilio already had it");
        assertThat(reconciled.get("status")).isEqualTo("queued");
        assertThat(reconciled.get("reason").toString()).contains(call.sid());
    }

    @Test
    void twilioListsAreReadAcrossPagesAndFilteredAsTwilioFiltersThem() {
        String number = "+447700900777"; // nobody's
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sids.add(sms.send(number, "list probe " + i, Duration.ofMinutes(1)));
        }
        List<String> listed = new ArrayList<>();
        com.twilio.rest.api.v2010.account.Message.reader().setTo(new com.twilio.type.PhoneNumber(number))
                .setPageSize(2L).read(sms.client()).forEach(m -> listed.add(m.getSid()));
        assertThat(listed).as("newest first, over two pages of two").containsExactly(sids.get(2), sids.get(1), sids.get(0));
        // Queued texts have no date sent yet: a DateSent filter does not find them (why reconciliation does not use it).
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        assertThat(com.twilio.rest.api.v2010.account.Message.reader().setTo(new com.twilio.type.PhoneNumber(number))
                .setDateSentAfter(anHourAgo.atZone(ZoneOffset.UTC)).read(sms.client())).isEmpty();
        TWILIO.status(TWILIO.received().stream().filter(t -> t.sid().equals(sids.get(1))).findFirst().orElseThrow(),
                "sent");
        List<String> sent = new ArrayList<>();
        com.twilio.rest.api.v2010.account.Message.reader().setTo(new com.twilio.type.PhoneNumber(number))
                .setDateSentAfter(anHourAgo.atZone(ZoneOffset.UTC)).read(sms.client()).forEach(m -> sent.add(m.getSid()));
        assertThat(sent).containsExactly(sids.get(1));
    }

    // --- fencing: two claimants, one send --------------------------------------------------------------

    @Test
    void twoClaimantsNeverSendOneRowTwiceAndAStaleFinishIsRefused() throws Exception {
        Device phone = phoneOf("leah.adams");
        String id = raise("leah.adams", "urgent");
        UUID row = rowOf(id, "leah.adams", "sms");
        Instant due = clock.instant().plus(SMS_DUE);

        // Two dispatchers claim at once: the row goes to exactly one of them.
        CompletableFuture<List<Delivery>> first = CompletableFuture.supplyAsync(() -> claim(due));
        CompletableFuture<List<Delivery>> second = CompletableFuture.supplyAsync(() -> claim(due));
        List<Delivery> mine = new ArrayList<>();
        first.get().stream().filter(d -> d.id().equals(row)).forEach(mine::add);
        second.get().stream().filter(d -> d.id().equals(row)).forEach(mine::add);
        assertThat(mine).hasSize(1);
        Delivery stale = mine.get(0);

        // That claimant texts, then dies before recording it.
        String body = PageText.sms("urgent", false, "TASK", "7B", stale.ref());
        String sentByTheDeadPod = sms.send(phone.phone(), body, Duration.ofMinutes(2));
        phone.expectSms("ref " + ref(id));

        // Past the sending deadline the live dispatcher claims it again, asks Twilio, and adopts that text.
        clock.advance(SMS_DUE.plus(settings.sendingDeadline()).plusSeconds(1));
        Map<String, Object> reconciled = awaitReason("leah.adams", id, "sms", "reconciled: Twilio already had it");
        assertThat(reconciled.get("status")).isEqualTo("queued");
        assertThat(reconciled.get("reason").toString()).contains(sentByTheDeadPod);
        assertThat(history(reconciled)).contains(DeliveryClaims.RECLAIMED);

        // The first claimant's late finish holds a stale token: refused, nothing moves.
        assertThat(claims.finish(stale, DeliveryStatus.FAILED, "late", clock.instant(), null, "SMstale", 1,
                stale.dueAt(), null)).isFalse();
        Delivery now = outbox.byId(row).orElseThrow();
        assertThat(now.status()).isEqualTo(DeliveryStatus.QUEUED);
        assertThat(now.providerId()).isEqualTo(sentByTheDeadPod);
        assertThat(now.claim()).isGreaterThan(stale.claim());
    }

    @Test
    void aCallThePodThatDiedNeverPlacedIsPlacedAndNeverTakesTheOtherCallTwilioHas() throws Exception {
        // Two pages to one phone, both calls claimed by a pod that marked and placed the second's call and died before
        // recording it, and never began the first's (it was waiting its turn for the number).
        Device phone = phoneOf("nina.berg");
        String first = raise("nina.berg", "asap");
        String second = raise("nina.berg", "asap");
        UUID firstRow = rowOf(first, "nina.berg", "voice");
        UUID secondRow = rowOf(second, "nina.berg", "voice");
        Instant due = clock.instant().plus(CALL_DUE);
        Map<UUID, Delivery> dead = new HashMap<>();
        claims.claimDue(Channel.VOICE, due, settings.sendingDeadline(), 50).forEach(d -> dead.put(d.id(), d));
        assertThat(dead).containsKeys(firstRow, secondRow);
        assertThat(claims.markCalling(dead.get(secondRow), due)).isTrue();
        String placedByTheDeadPod = voice.call(phone.phone(), secondRow);
        assertThat(phone.expectCall().url()).endsWith("/" + secondRow);

        // Past the sending deadline the live dispatcher claims both again: the second adopts the call Twilio has; the
        // first, never marked, is called without asking Twilio — it must not take the second's call for its own.
        // (Their texts, due at 60 s, are not this test's: they are discarded with the tasks after it.)
        clock.advance(CALL_DUE.plus(settings.sendingDeadline()).plusSeconds(1));
        Map<String, Object> reconciled = awaitReason("nina.berg", second, "voice", "reconciled: Twilio already had it");
        assertThat(reconciled.get("reason").toString()).contains(placedByTheDeadPod);
        FakeTwilio.Call firstCall = phone.expectCall();
        assertThat(firstCall.url()).endsWith("/" + firstRow);
        await().atMost(Duration.ofSeconds(20)).until(() -> firstCall.sid().equals(column(first, "voice", "provider_id")));
        assertThat(history(org.pagerless.support.Deliveries.delivery("nina.berg", first, "voice")))
                .noneMatch(h -> h.contains("reconciled"));
        assertThat(claims.markCalling(dead.get(firstRow), clock.instant())).as("the dead pod's claim is spent").isFalse();
        // Each page rang the phone once (nothing else arrived: checked after the test).
    }

    // --- callbacks first, statuses forward only -------------------------------------------------------

    @Test
    void aStatusCallbackThatArrivesBeforeTheSidIsRecordedIsApplied() {
        Device phone = phoneOf("anna.kowalski");
        String id = raise("anna.kowalski", "urgent");
        TWILIO.beforeAnsweringNextText(text -> assertThat(TWILIO.status(text, "delivered")).isEqualTo(204));
        clock.advance(SMS_DUE);
        phone.expectSms("URGENT task, Ward 7B, ref " + ref(id));
        Map<String, Object> delivered = awaitDelivery("anna.kowalski", id, "sms", "delivered");
        assertThat(history(delivered)).containsSubsequence("sending", "queued", "delivered");
    }

    @Test
    void aCallAnsweredBeforeTwilioAnswersTheRequestIsNeverMovedBackToQueued() throws SQLException {
        Device phone = phoneOf("mia.clark");
        TWILIO.beforeAnsweringNextCall(call -> TWILIO.answer(call));
        String id = raise("mia.clark", "stat");
        phone.expectSms("STAT task, Ward 7B, ref " + ref(id));
        FakeTwilio.Call call = phone.expectCall();
        await().atMost(Duration.ofSeconds(20)).until(() -> call.sid().equals(column(id, "voice", "provider_id")));
        assertThat(column(id, "voice", "status")).isEqualTo("delivered");
    }

    // --- isolation -------------------------------------------------------------------------------------

    @Test
    void aStalledPushServiceDoesNotHoldUpAnotherDoctorsTextOrApp() throws SQLException {
        FakePushService.Subscription slow = subscribe("chris.tan");
        PUSH.stall(slow);
        try {
            String first = raise("chris.tan", "urgent");
            await().atMost(Duration.ofSeconds(20)).until(() -> PUSH.stalledNow() > 0);

            Device other = phoneOf("harry.lee");
            String second = raise("harry.lee", "stat");
            other.expectSms("STAT task, Ward 7B, ref " + ref(second));
            other.expectCall();
            awaitDelivery("harry.lee", second, "in-app", "sent");
            assertThat(column(first, "push", "status")).as("the stalled push is still in flight").isEqualTo("sending");
        } finally {
            PUSH.release(slow);
        }
    }

    @Test
    void aRowWhoseTaskStateIsUnreadableIsJudgedByTheTaskColumnsAndTheRestOfItsBatchGoes() throws SQLException {
        Device phone = phoneOf("david.osei");
        String id = raise("david.osei", "urgent");
        Instant due = clock.instant().plus(Duration.ofMinutes(2));
        UUID bad = plantUnreadableSms("david.osei", due.minusSeconds(1));

        clock.advance(SMS_DUE);
        phone.expectSms("URGENT task, Ward 7B, ref " + ref(id));
        awaitDelivery("david.osei", id, "sms", "queued");
        // The dispatcher checks a whole claim against the task rows' status and offered_to columns in one query,
        // never decoding a task's state: the planted task is cancelled, so its text is withdrawn, not sent.
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.byId(bad).orElseThrow().status()
                == DeliveryStatus.WITHDRAWN);
        assertThat(outbox.byId(bad).orElseThrow().reason()).isEqualTo("no longer offered to this person");
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private List<Delivery> claim(Instant now) {
        try {
            return claims.claimDue(Channel.SMS, now, settings.sendingDeadline(), 50);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Device phoneOf(String staffId) {
        Device device = TWILIO.device(phoneOfRecord(staffId));
        devices.add(device);
        return device;
    }

    private String raise(String staffId, String priority) {
        String id = WARD_NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("person", staffId), priority))
                .then().statusCode(202).extract().path("id");
        raised.add(id);
        Tasks.awaitStatus(id, "offered");
        awaitDelivery(staffId, id, "in-app", "sent");
        return id;
    }

    private FakePushService.Subscription subscribe(String staffId) {
        FakePushService.Subscription s = PUSH.subscribe();
        String id = Api.as(staffId).post("/api/v1/me/push-subscriptions", s.json()).then().statusCode(201)
                .extract().path("id");
        subscriptions.add(new String[] {staffId, id});
        return s;
    }

    /** An SMS row for a task whose stored state cannot be read: checking it throws. */
    private UUID plantUnreadableSms(String staffId, Instant due) throws SQLException {
        UUID id = UUID.randomUUID();
        planted.add(id);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement task = c.prepareStatement("insert into task (id, kind, priority, status, fyi, "
                     + "target_type, target_id, requester, raised_at, updated_at, version, state) values "
                     + "(?, 'TASK', 'urgent', 'CANCELLED', false, 'PERSON', ?, 'grace.okafor', ?, ?, 1, "
                     + "'\"not a task\"'::jsonb)");
             PreparedStatement row = c.prepareStatement("insert into delivery (id, notification_id, event_id, "
                     + "task_id, staff_id, channel, step, priority, fyi, kind, ward_id, ref, status, due_at, "
                     + "expires_at, created_at, updated_at) values (?, ?, ?, ?, ?, 'sms', 2, 'urgent', false, "
                     + "'TASK', null, 'BAD000', 'pending', ?, ?, ?, ?)")) {
            task.setObject(1, id);
            task.setString(2, staffId);
            task.setObject(3, now);
            task.setObject(4, now);
            task.executeUpdate();
            row.setObject(1, id);
            row.setObject(2, id);
            row.setObject(3, id);
            row.setObject(4, id);
            row.setString(5, staffId);
            row.setObject(6, OffsetDateTime.ofInstant(due, ZoneOffset.UTC));
            row.setObject(7, now.plusHours(1));
            row.setObject(8, now);
            row.setObject(9, now);
            row.executeUpdate();
        }
        return id;
    }

    private static UUID rowOf(String taskId, String staffId, String channel) throws SQLException {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement(
                     "select id from delivery where task_id = ? and staff_id = ? and channel = ?")) {
            ps.setObject(1, UUID.fromString(taskId));
            ps.setString(2, staffId);
            ps.setString(3, channel);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static String column(String taskId, String channel, String column) throws SQLException {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement(
                     "select " + column + " from delivery where task_id = ? and channel = ?")) {
            ps.setObject(1, UUID.fromString(taskId));
            ps.setString(2, channel);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The statuses and reasons this delivery went through, oldest first. */
    private List<String> history(Map<String, Object> delivery) {
        List<String> out = new ArrayList<>();
        try {
            for (String[] h : outbox.history(UUID.fromString((String) delivery.get("id")))) {
                out.add(h[0]);
                if (h[1] != null) {
                    out.add(h[1]);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static Map<String, Object> awaitReason(String staffId, String taskId, String channel, String reason) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Object r = org.pagerless.support.Deliveries.delivery(staffId, taskId, channel).get("reason");
            return r != null && r.toString().startsWith(reason);
        });
        return org.pagerless.support.Deliveries.delivery(staffId, taskId, channel);
    }
}
