package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pagerless.support.Deliveries.awaitDelivery;
import static org.pagerless.support.Deliveries.delivery;
import static org.pagerless.support.Deliveries.phoneOfRecord;
import static org.pagerless.support.Deliveries.raiseFor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FakePushService;
import org.pagerless.support.FakePushService.Subscription;
import org.pagerless.support.FakeTwilio;
import org.pagerless.support.FakeTwilio.Device;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Pages reaching lock screens by Web Push through the fake push service, which checks every VAPID
 * token and decrypts every message with the phone's own key, over the real broker and database, and
 * the SMS fallback when a push is not read or cannot be delivered. Each test pages people no other
 * test pages; every subscription a test makes is turned off after it.
 */
@QuarkusTest
class WebPushFlowTest extends FlowTest {
    static final Api WARD_NURSE = Api.as("grace.okafor");
    static final FakePushService PUSH = PagerlessInfra.pushService();
    static final FakeTwilio TWILIO = PagerlessInfra.twilio();

    @Inject
    TestClock clock;

    private final List<Device> devices = new ArrayList<>();
    private final List<String[]> registered = new ArrayList<>();

    @AfterEach
    void subscriptionsOffNothingElseArrivedAndTimeIsReset() {
        clock.reset();
        registered.forEach(r -> Api.as(r[0]).request().delete("/api/v1/me/push-subscriptions/" + r[1]));
        devices.forEach(Device::assertNothingElse);
        assertThat(PUSH.refused()).as("pushes the fake push service refused").isEmpty();
    }

    @Test
    void urgentTaskIsPushedAtOnceWithoutPatientDataAndGoesBySmsWhenNotReadIn2Minutes() {
        Subscription phone = subscribe("ella.hughes");
        Device sms = phoneOf("ella.hughes");
        String id = raiseFor("ella.hughes", "urgent");
        String ref = id.substring(0, 6).toUpperCase();

        Map<String, Object> pushed = awaitDelivery("ella.hughes", id, "push", "sent");
        assertThat(PUSH.pushesTo(phone)).hasSize(1);
        FakePushService.Push push = PUSH.pushesTo(phone).get(0);
        JsonPath payload = JsonPath.from(push.payload());
        assertThat(payload.getString("text")).isEqualTo("URGENT task, Ward 7B, ref " + ref + " \u2014 open Pagerless");
        assertThat(payload.getString("ward")).isEqualTo("7B");
        assertThat(payload.getString("ref")).isEqualTo(ref);
        assertThat(payload.getString("priority")).isEqualTo("urgent");
        assertThat(payload.getString("deliveryId")).isEqualTo(pushed.get("id"));
        assertThat(payload.getMap("")).containsOnlyKeys("deliveryId", "notificationId", "priority", "fyi", "kind",
                "ward", "ref", "text");
        assertNoPatientData(push.payload());
        assertThat(push.urgency()).isEqualTo("high");
        assertThat(Integer.parseInt(push.ttl())).isBetween(1, 600);
        assertThat(push.topic()).matches("[0-9a-f]{32}");
        assertThat(delivery("ella.hughes", id, "sms").get("status")).isEqualTo("pending");

        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        sms.expectSms("URGENT task, Ward 7B, ref " + ref);
        awaitDelivery("ella.hughes", id, "sms", "queued");
        assertThat(PUSH.pushesTo(phone)).hasSize(1);
    }

    @Test
    void openingThePushNotificationReadsItSoNoSmsIsSent() {
        Subscription phone = subscribe("ben.cole");
        phoneOf("ben.cole");
        String id = raiseFor("ben.cole", "urgent");
        awaitDelivery("ben.cole", id, "push", "sent");
        await().atMost(Duration.ofSeconds(10)).until(() -> PUSH.pushesTo(phone).size() == 1);
        // What the service worker does when the notification is tapped: the receipt for the delivery in the payload.
        String deliveryId = JsonPath.from(PUSH.pushesTo(phone).get(0).payload()).getString("deliveryId");
        Api.as("ben.cole").post("/api/v1/me/notifications/" + deliveryId + "/read").then().statusCode(200);

        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        Map<String, Object> sms = awaitDelivery("ben.cole", id, "sms", "withdrawn");
        assertThat(sms.get("reason")).isEqualTo("already read on another channel");
    }

    @Test
    void aSubscriptionTheServiceSaysIsGoneIsRetiredNeverUsedAgainAndTheSmsFallbackStillGoes() {
        Subscription phone = subscribe("omar.farah");
        Device sms = phoneOf("omar.farah");
        PUSH.answer(phone, 410);
        String first = raiseFor("omar.farah", "urgent");
        Map<String, Object> push = awaitDelivery("omar.farah", first, "push", "failed");
        assertThat((String) push.get("reason")).contains("410").contains("retired");
        Map<String, Object> mine = Api.as("omar.farah").get("/api/v1/me/push-subscriptions").statusCode(200)
                .extract().jsonPath().getMap("find { it.endpoint == '" + phone.endpoint() + "' }");
        assertThat(mine.get("retiredAt")).isNotNull();
        assertThat((String) mine.get("retiredReason")).contains("410");

        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        sms.expectSms("URGENT task, Ward 7B, ref " + first.substring(0, 6).toUpperCase());
        clock.reset();

        int hitsBefore = PUSH.hits(phone);
        String second = raiseFor("omar.farah", "stat");
        assertThat(awaitDelivery("omar.farah", second, "push", "withdrawn").get("reason"))
                .isEqualTo("no live push subscription: step skipped");
        // Written withdrawn when planned (due at once, nowhere to send it), never claimed: no sending (ADR 0078).
        assertThat(org.pagerless.support.Deliveries.historyOf("omar.farah", second, "push"))
                .containsExactly("pending", "withdrawn");
        sms.expectSms("STAT task, Ward 7B, ref " + second.substring(0, 6).toUpperCase());
        sms.expectCall(); // stat pages also ring (VoiceFlowTest)
        assertThat(PUSH.hits(phone)).isEqualTo(hitsBefore);
    }

    @Test
    void aPushServiceThatIsDownIsRetriedWithTheOutboxBackoff() {
        Subscription phone = subscribe("lucy.ng");
        phoneOf("lucy.ng").phone();
        PUSH.answer(phone, 503);
        String id = raiseFor("lucy.ng", "routine");
        await().atMost(Duration.ofSeconds(20)).until(() -> String.valueOf(delivery("lucy.ng", id, "push").get("reason"))
                .startsWith("attempt 1 failed, retrying"));
        assertThat(delivery("lucy.ng", id, "push").get("status")).isEqualTo("pending");

        PUSH.heal(phone);
        clock.advance(Duration.ofSeconds(16));
        awaitDelivery("lucy.ng", id, "push", "sent");
        assertThat(PUSH.pushesTo(phone)).hasSize(1);
        assertThat(JsonPath.from(PUSH.pushesTo(phone).get(0).payload()).getString("text")).startsWith("ROUTINE task");
        assertThat(PUSH.pushesTo(phone).get(0).urgency()).isEqualTo("normal");
    }

    @Test
    void aBadSubscriptionIsRefusedNamingTheFieldAndNothingIsStored() {
        Api doctor = Api.as("josh.evans");
        Subscription good = PUSH.subscribe();
        assertRefused(doctor, without(good.json(), "endpoint"), "endpoint", "is required");
        assertRefused(doctor, with(good.json(), "endpoint", "http://10.1.2.3/admin"), "endpoint",
                "must be an https URL of a known push service");
        assertRefused(doctor, with(good.json(), "endpoint", "not a url"), "endpoint",
                "must be an https URL of a known push service");
        assertRefused(doctor, with(good.json(), "keys", Map.of("auth", good.auth())), "keys.p256dh", "is required");
        assertRefused(doctor, with(good.json(), "keys", Map.of("p256dh", "BAD*KEY", "auth", good.auth())), "keys.p256dh",
                "must be base64url");
        assertRefused(doctor, with(good.json(), "keys", Map.of("p256dh", good.auth(), "auth", good.auth())),
                "keys.p256dh", "must be an uncompressed P-256 point (65 bytes, starting 0x04)");
        assertRefused(doctor, with(good.json(), "keys", Map.of("p256dh", good.p256dh(), "auth", good.p256dh())),
                "keys.auth", "must be 16 bytes");
        assertRefused(doctor, without(good.json(), "keys"), "keys", "is required");
        doctor.request().body("{\"endpoint\": 12, \"keys\": []}").post("/api/v1/me/push-subscriptions").then()
                .statusCode(400).contentType("application/problem+json");
        assertThat(doctor.get("/api/v1/me/push-subscriptions").statusCode(200).extract().jsonPath().getList(""))
                .isEmpty();
    }

    @Test
    void theSameBrowserRegisteringAgainIsOneSubscriptionAndOthersCannotTurnItOff() {
        Subscription phone = PUSH.subscribe();
        String id = Api.as("sofia.rossi").post("/api/v1/me/push-subscriptions", phone.json()).then().statusCode(201)
                .extract().path("id");
        registered.add(new String[] {"sofia.rossi", id});
        Api.as("sofia.rossi").post("/api/v1/me/push-subscriptions", phone.json()).then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo(id));
        assertThat(Api.as("sofia.rossi").get("/api/v1/me/push-subscriptions").statusCode(200).extract().jsonPath()
                .getList("findAll { it.retiredAt == null }")).hasSize(1);
        Api.as("kate.morgan").request().delete("/api/v1/me/push-subscriptions/" + id).then().statusCode(404);

        Api.as("sofia.rossi").request().delete("/api/v1/me/push-subscriptions/" + id).then().statusCode(200)
                .body("retiredReason", org.hamcrest.Matchers.equalTo("turned off by its owner"));
    }

    @Test
    void theAppGetsTheVapidKeyAndReadinessReportsThePushChannel() {
        Api.as("tom.reid").get("/api/v1/push/vapid-public-key").statusCode(200)
                .body("publicKey", org.hamcrest.Matchers.matchesPattern("B[A-Za-z0-9_-]{86}"));
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Delivery' }.data.push", org.hamcrest.Matchers.equalTo("ok"));
    }

    @Test
    void noPushPayloadOfTheRunCarriesPatientIdentifiersOrClinicalDetail() {
        Subscription phone = subscribe("zara.ahmed");
        String id = raiseFor("zara.ahmed", "stat");
        awaitDelivery("zara.ahmed", id, "push", "sent");
        assertThat(PUSH.pushesTo(phone)).isNotEmpty();
        assertThat(PUSH.received()).allSatisfy(p -> assertNoPatientData(p.payload()));
        TWILIO.discardMentioning(id.substring(0, 6).toUpperCase());
    }

    static void assertNoPatientData(String payload) {
        assertThat(payload).doesNotContain(Patients.NHS_NUMBER).doesNotContain("943 476 5919")
                .doesNotContain(Patients.NAME).doesNotContain("Quillfeather").doesNotContain("Marjorie")
                .doesNotContain("tissued").doesNotContain("pneumonia").doesNotContain("bed 12").doesNotContain("Cannula");
    }

    private Subscription subscribe(String staffId) {
        Subscription s = PUSH.subscribe();
        String id = Api.as(staffId).post("/api/v1/me/push-subscriptions", s.json()).then().statusCode(201)
                .extract().path("id");
        registered.add(new String[] {staffId, id});
        return s;
    }

    private static void assertRefused(Api api, Map<String, Object> body, String field, String reason) {
        api.post("/api/v1/me/push-subscriptions", body).then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.find { it.field == '" + field + "' }.reason", org.hamcrest.Matchers.equalTo(reason));
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> body, String key) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.remove(key);
        return copy;
    }

    /** The person's handset, by their number of record; checked for anything unexpected after the test. */
    private Device phoneOf(String staffId) {
        Device device = TWILIO.device(phoneOfRecord(staffId));
        devices.add(device);
        return device;
    }
}
