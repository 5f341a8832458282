package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pagerless.support.Deliveries.awaitDelivery;
import static org.pagerless.support.Deliveries.delivery;
import static org.pagerless.support.Deliveries.phoneOfRecord;
import static org.pagerless.support.Deliveries.raiseFor;
import static org.pagerless.support.Deliveries.ref;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.delivery.model.Channel;
import org.pagerless.support.Api;
import org.pagerless.support.Deliveries;
import org.pagerless.support.FakeTwilio;
import org.pagerless.support.FakeTwilio.Device;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;
import org.pagerless.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Pages reaching phones through the outbox and the fake Twilio, and answers coming back by text, over
 * the real broker and database. Each test pages people no other test pages, so their phones see only
 * what the test expects; any other text or call to them fails the test (stat pages also ring: VoiceFlowTest).
 */
@QuarkusTest
class DeliveryFlowTest extends FlowTest {
    static final Api WARD_NURSE = Api.as("grace.okafor");
    static final FakeTwilio TWILIO = PagerlessInfra.twilio();

    @Inject
    TestClock clock;
    @Inject
    OutboxWriter writer;
    @Inject
    DeliveryOutbox outbox;

    private final List<Device> devices = new ArrayList<>();

    @AfterEach
    void nothingElseArrivedAndTimeIsReset() {
        clock.reset();
        devices.forEach(Device::assertNothingElse);
    }

    @Test
    void urgentTaskNotReadIn2MinutesGoesBySmsAndReplying1AcceptsIt() {
        Device phone = phoneOf("nina.berg");
        String id = raiseFor("nina.berg", "urgent");
        String ref = id.substring(0, 6).toUpperCase();
        awaitDelivery("nina.berg", id, "in-app", "sent");
        assertThat(delivery("nina.berg", id, "sms").get("status")).isEqualTo("pending");

        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        FakeTwilio.Sms sms = phone.expectSms("URGENT task, Ward 7B, ref " + ref, "Reply 1 accept, 2 decline");
        assertThat(sms.validityPeriod()).isNotNull();
        assertThat(Integer.parseInt(sms.validityPeriod())).isBetween(1, 120);
        awaitDelivery("nina.berg", id, "sms", "queued");

        assertThat(phone.reply("1")).contains("Accepted " + ref);
        Tasks.awaitStatus(id, "accepted");
        assertThat(Api.as("nina.berg").task(id).get("owner")).isEqualTo(Map.of("id", "nina.berg", "name", "Dr Nina Berg"));
        awaitDelivery("nina.berg", id, "sms", "read");
    }

    @Test
    void readInTheAppWithin2MinutesNoSmsIsSent() {
        Device phone = phoneOf("anna.kowalski");
        String id = raiseFor("anna.kowalski", "urgent");
        Map<String, Object> inApp = awaitDelivery("anna.kowalski", id, "in-app", "sent");
        Api.as("anna.kowalski").post("/api/v1/me/notifications/" + inApp.get("id") + "/read").then().statusCode(200);

        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        Map<String, Object> sms = awaitDelivery("anna.kowalski", id, "sms", "withdrawn");
        assertThat(sms.get("reason")).isEqualTo("already read on another channel");
        Api.as("leah.adams").post("/api/v1/me/notifications/" + inApp.get("id") + "/read").then().statusCode(404);
    }

    @Test
    void readingOneOfferOfATaskDoesNotWithdrawTheTextOfAnotherOffer() throws SQLException {
        // Dr Ahmed is on the medical SHO cover that other tests' bleeps reach: her handset is not checked for anything
        // else, only for this task's texts.
        String id = raiseFor("zara.ahmed", "urgent");
        Map<String, Object> inApp = awaitDelivery("zara.ahmed", id, "in-app", "sent");
        // The same task offered to her again by another event (handed back to her, say): a notification of its own.
        // A claim asks whether a notification was read by its event and person, not its task (ADR 0089).
        UUID eventId = UUID.randomUUID();
        Notification again = new Notification(Notification.idFor(eventId, "zara.ahmed"), eventId, UUID.fromString(id),
                "zara.ahmed", "urgent", false, "TASK", "7B", ref(id), clock.instant());
        writer.write(List.of(again));
        Api.as("zara.ahmed").post("/api/v1/me/notifications/" + inApp.get("id") + "/read").then().statusCode(200);

        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        String againText = DeliveryOutbox.idFor(again, Channel.SMS).toString();
        List<Object> texts = Deliveries.deliveries("zara.ahmed", id, "sms").stream().map(d -> d.get("id")).toList();
        assertThat(texts).hasSize(2).contains(againText);
        Object firstText = texts.stream().filter(t -> !againText.equals(t)).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deliveryRow(firstText))
                .containsExactly("withdrawn", "0", "1", "already read on another channel"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deliveryRow(againText).get(0))
                .isIn("queued", "sent", "delivered"));
        String number = phoneOfRecord("zara.ahmed");
        assertThat(TWILIO.received()).filteredOn(sms -> number.equals(sms.to()) && sms.body().contains(ref(id)))
                .singleElement().satisfies(sms -> assertThat(sms.body()).startsWith("URGENT task"));
        Api.as("zara.ahmed").post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
    }

    @Test
    void anOfferIsInTheInboxAsItIsPlannedAndOneNoLongerOfferedIsWithdrawnNeverClaimed() throws SQLException {
        Device phone = phoneOf("omar.farah");
        String id = raiseFor("omar.farah", "urgent");
        Map<String, Object> inApp = awaitDelivery("omar.farah", id, "in-app", "sent");
        // Written sent when planned (ADR 0079): one attempt, and no claim ever took it (its fencing token unmoved).
        assertThat(deliveryRow(inApp.get("id"))).containsExactly("sent", "1", "0", null);
        assertThat(Deliveries.historyOf("omar.farah", id, "in-app"))
                .containsExactly("pending", "sent");
        // Both entries are read from the row (ADRs 0059, 0085): planning wrote no history row. A later change is one.
        assertThat(historyRows(inApp.get("id"))).isZero();
        Api.as("omar.farah").post("/api/v1/me/notifications/" + inApp.get("id") + "/read").then().statusCode(200);
        assertThat(historyRows(inApp.get("id"))).isOne();
        assertThat(Deliveries.historyOf("omar.farah", id, "in-app"))
                .containsExactly("pending", "sent", "read");

        // The same page planned again for someone it is not offered to (a planner that fell behind the task):
        // withdrawn as its claim would have withdrawn it, with nothing sent.
        UUID eventId = UUID.randomUUID();
        Notification again = new Notification(Notification.idFor(eventId, "ben.cole"), eventId, UUID.fromString(id),
                "ben.cole", "routine", true, "TASK", "7B", id.substring(0, 6).toUpperCase(), clock.instant());
        writer.write(List.of(again));
        UUID row = DeliveryOutbox.idFor(again, Channel.IN_APP);
        assertThat(deliveryRow(row)).containsExactly("withdrawn", "0", "0", "no longer offered to this person");
        assertThat(outbox.history(row)).extracting(h -> h[0] + ": " + h[1])
                .containsExactly("pending: null", "withdrawn: no longer offered to this person");
        assertThat(historyRows(row)).isZero();
        Api.as("omar.farah").post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        phone.assertNothingElse();
    }

    /** How many rows the delivery's status history table holds for it. */
    private static long historyRows(Object deliveryId) throws SQLException {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement(
                     "select count(*) from delivery_status_history where delivery_id = ?::uuid")) {
            ps.setString(1, deliveryId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aPagePlannedBeforeRowIdsFollowedTheOffersIsNotPlannedAgain() throws SQLException {
        // Before ADR 0082 a row's id was the name-based hash of its notification and channel alone. A record read again
        // after an upgrade names the same notification, and planning looks its rows up under that old id too (ADR 0089).
        UUID eventId = UUID.randomUUID();
        UUID taskId = UUID.randomUUID();
        Notification page = new Notification(Notification.idFor(eventId, "ben.cole"), eventId, taskId, "ben.cole",
                "routine", true, "TASK", "7B", "AB12CD", clock.instant());
        UUID plannedBefore = org.pagerless.platform.Ids.named(page.id() + "/in-app");
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("insert into delivery (id, notification_id, event_id, task_id, "
                     + "staff_id, channel, step, priority, fyi, kind, ref, status, reason, due_at, expires_at, "
                     + "created_at, updated_at) values (?, ?, ?, ?, 'ben.cole', 'in-app', 0, 'routine', true, 'TASK', "
                     + "'AB12CD', 'withdrawn', 'no longer offered to this person', now(), now() + interval '1 hour', "
                     + "now(), now())")) {
            ps.setObject(1, plannedBefore);
            ps.setObject(2, page.id());
            ps.setObject(3, eventId);
            ps.setObject(4, taskId);
            ps.executeUpdate();
        }
        assertThat(DeliveryOutbox.idFor(page, Channel.IN_APP)).isNotEqualTo(plannedBefore);

        writer.write(List.of(page));
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement(
                     "select id from delivery where notification_id = ? and channel = 'in-app'")) {
            ps.setObject(1, page.id());
            List<UUID> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getObject(1, UUID.class));
                }
            }
            assertThat(rows).containsExactly(plannedBefore);
        }
    }

    /** Status, attempts, fencing token and reason of a delivery row (any channel), read from the outbox. */
    private static List<String> deliveryRow(Object deliveryId) throws SQLException {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement(
                     "select status, attempts, claim, reason from delivery where id = ?::uuid")) {
            ps.setString(1, deliveryId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("delivery %s", deliveryId).isTrue();
                return java.util.Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        }
    }

    @Test
    void statTaskTextsAtOnceAndCallbacksOutOfOrderNeverMoveItBackwards() {
        Device phone = phoneOf("leah.adams");
        String id = raiseFor("leah.adams", "stat");
        FakeTwilio.Sms sms = phone.expectSms("STAT task, Ward 7B, ref " + id.substring(0, 6).toUpperCase());
        phone.expectCall();
        awaitDelivery("leah.adams", id, "sms", "queued");

        assertThat(TWILIO.status(sms, "delivered")).isEqualTo(204);
        awaitDelivery("leah.adams", id, "sms", "delivered");
        assertThat(TWILIO.status(sms, "sent")).isEqualTo(204);
        assertThat(TWILIO.status(sms, "queued")).isEqualTo(204);
        assertThat(TWILIO.status(sms, "failed")).isEqualTo(204);
        assertThat(delivery("leah.adams", id, "sms").get("status")).isEqualTo("delivered");
    }

    @Test
    void forgedOrUnsignedWebhooksAreRefusedAndChangeNothing() {
        Device phone = phoneOf("chris.tan");
        String id = raiseFor("chris.tan", "stat");
        FakeTwilio.Sms sms = phone.expectSms("STAT task");
        phone.expectCall();
        awaitDelivery("chris.tan", id, "sms", "queued");

        assertThat(TWILIO.forgedStatus(sms, "delivered", true)).isEqualTo(403);
        assertThat(TWILIO.forgedStatus(sms, "failed", false)).isEqualTo(403);
        assertThat(phone.forgedReply("1")).isEqualTo(403);
        assertThat(delivery("chris.tan", id, "sms").get("status")).isEqualTo("queued");
        assertThat(Api.as("sam.patel").status(id)).isEqualTo("offered");

        assertThat(phone.reply("2")).contains("Declined");
        // The only one offered said no: the chain moves on at once.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Tasks.events(Api.as("sam.patel").task(id))).contains("TaskDeclined", "TaskEscalated"));
    }

    @Test
    void stopTurnsTextsOffSaysHowToTurnThemBackOnAndStartDoes() {
        Device phone = phoneOf("david.osei");
        assertThat(phone.reply("STOP")).contains("Reply START");
        String id = raiseFor("david.osei", "stat");
        Map<String, Object> sms = awaitDelivery("david.osei", id, "sms", "failed");
        assertThat(sms.get("reason")).isEqualTo("this number replied STOP");
        // STOP is about texts: a stat page still rings.
        phone.expectCall();

        assertThat(phone.reply("START")).contains("on again");
        String again = raiseFor("david.osei", "stat");
        phone.expectSms("STAT task", again.substring(0, 6).toUpperCase());
        phone.expectCall();
    }

    @Test
    void withSeveralOpenPagesAPlainCodeAsksWhichAndRefPlusCodeActs() {
        Device phone = phoneOf("harry.lee");
        String first = raiseFor("harry.lee", "stat");
        String second = raiseFor("harry.lee", "stat");
        String firstRef = first.substring(0, 6).toUpperCase();
        String secondRef = second.substring(0, 6).toUpperCase();
        phone.expectSms(firstRef);
        phone.expectSms(secondRef);
        phone.expectCall();
        phone.expectCall();
        awaitDelivery("harry.lee", second, "sms", "queued");
        awaitDelivery("harry.lee", first, "sms", "queued");

        assertThat(phone.reply("1")).contains("2 open pages", firstRef, secondRef);
        assertThat(phone.reply(secondRef + " 3")).contains("Passed " + secondRef + " up");
        assertThat(phone.reply("hello")).contains("Reply 1 to accept");
        assertThat(phone.reply(secondRef + " 1")).contains("No open page " + secondRef);
        assertThat(phone.reply("1")).contains("Accepted " + firstRef);
        Tasks.awaitStatus(first, "accepted");
        Map<String, Object> passed = Api.as("sam.patel").task(second);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> timeline = (List<Map<String, Object>>) passed.get("timeline");
        assertThat(timeline).anyMatch(e -> "TaskDeclined".equals(e.get("event"))
                && "passed up the chain by SMS".equals(((Map<?, ?>) e.get("detail")).get("reason")));
    }

    @Test
    void noTextCarriesPatientIdentifiersOrClinicalDetail() {
        Device phone = phoneOf("mia.clark");
        String id = raiseFor("mia.clark", "stat");
        phone.expectSms(id.substring(0, 6).toUpperCase());
        phone.expectCall();
        assertThat(phone.reply("1")).contains("Accepted");

        List<FakeTwilio.Sms> all = TWILIO.received();
        assertThat(all).isNotEmpty();
        assertThat(all).allSatisfy(sms -> assertThat(sms.body())
                .doesNotContain(Patients.NHS_NUMBER).doesNotContain(Patients.NAME).doesNotContain("Quillfeather")
                .doesNotContain("Marjorie").doesNotContain("tissued").doesNotContain("pneumonia")
                .doesNotContain("bed 12").doesNotContain("Cannula"));
    }

    @Test
    void readinessReportsTheSmsChannelWithoutFailingOnIt() {
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Delivery' }.status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.find { it.name == 'Delivery' }.data.sms", org.hamcrest.Matchers.equalTo("ok"));
    }

    /** The person's handset, by their number of record; checked for anything unexpected after the test. */
    private Device phoneOf(String staffId) {
        Device device = TWILIO.device(phoneOfRecord(staffId));
        devices.add(device);
        return device;
    }
}
