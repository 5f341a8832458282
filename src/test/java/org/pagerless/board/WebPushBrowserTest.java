package org.pagerless.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chromium.HasPermissions;
import org.pagerless.support.Api;
import org.pagerless.support.Browser;
import org.pagerless.support.FakePushService;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * "Turn on alerts on this phone" in a real headless Chromium. Headless Chromium cannot reach a real
 * push service (no network, no Google registration), so the browser's own {@code PushManager} is
 * replaced in the page by one that hands out a subscription on the test's fake push service; every
 * line of the app's code runs as on a phone: the permission prompt (granted through the driver), the
 * subscribe call with the server's VAPID key, the registration, the state shown, and turning it off.
 */
@QuarkusTest
class WebPushBrowserTest extends FlowTest {
    static final String DOCTOR = "priya.shah";

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;
    @ConfigProperty(name = "pagerless.delivery.push.vapid-public-key")
    String vapidPublicKey;

    @Test
    void theDoctorTurnsOnAlertsOnThisPhoneAndTheNextPageArrivesByPushWithoutPatientData() {
        Browser.requireChromium();
        FakePushService.Subscription phoneKeys = PagerlessInfra.pushService().subscribe();
        try (Browser phone = Browser.phone(port, DOCTOR)) {
            phone.open("/app").awaitLive();
            ((HasPermissions) phone.driver()).setPermission("notifications", "granted");
            phone.open("/app").awaitLive();
            phone.awaitText(Duration.ofSeconds(10), "#alerts-state", "Alerts on this phone: off");
            // One button at a time, matching the state: never "Turn on" and "Turn off" together (issue 16).
            assertThat(phone.find("#alerts-on").isDisplayed()).isTrue();
            assertThat(phone.find("#alerts-off").isDisplayed()).isFalse();
            assertThat(phone.accessibilityViolations()).isEmpty();

            phone.script("""
                    const [endpoint, p256dh, auth] = arguments;
                    window.subscribedWith = null;
                    let current = null;
                    PushManager.prototype.getSubscription = async function () { return current; };
                    PushManager.prototype.subscribe = async function (options) {
                      const key = new Uint8Array(options.applicationServerKey);
                      window.subscribedWith = btoa(String.fromCharCode(...key))
                        .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
                      window.userVisibleOnly = options.userVisibleOnly;
                      current = { endpoint, toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),
                                  unsubscribe: async () => { current = null; return true; } };
                      return current;
                    };""", phoneKeys.endpoint(), phoneKeys.p256dh(), phoneKeys.auth());
            phone.find("#alerts-on").click();
            phone.awaitText(Duration.ofSeconds(10), "#alerts-state", "Alerts on this phone: on");
            assertThat(phone.script("return window.subscribedWith")).isEqualTo(vapidPublicKey);
            assertThat(phone.script("return window.userVisibleOnly")).isEqualTo(true);
            assertThat(phone.find("#alerts-off").isDisplayed()).isTrue();
            assertThat(phone.find("#alerts-on").isDisplayed()).isFalse();
            assertThat(phone.accessibilityViolations()).isEmpty();
            phone.screenshot("app-alerts-on");

            List<Map<String, Object>> mine = Api.as(DOCTOR).get("/api/v1/me/push-subscriptions").statusCode(200)
                    .extract().jsonPath().getList("findAll { it.retiredAt == null }");
            assertThat(mine).extracting(s -> s.get("endpoint")).containsExactly(phoneKeys.endpoint());

            String id = Api.as("grace.okafor").post("/api/v1/tasks",
                    Patients.cannulaRequest(Map.of("person", DOCTOR), "routine")).then().statusCode(202).extract().path("id");
            Tasks.awaitStatus(id, "offered");
            await().atMost(Duration.ofSeconds(20)).until(() -> !PagerlessInfra.pushService().pushesTo(phoneKeys).isEmpty());
            String payload = PagerlessInfra.pushService().pushesTo(phoneKeys).get(0).payload();
            assertThat(JsonPath.from(payload).getString("text"))
                    .isEqualTo("ROUTINE task, Ward 7B, ref " + id.substring(0, 6).toUpperCase() + " \u2014 open Pagerless");
            assertThat(payload).doesNotContain(Patients.NAME).doesNotContain(Patients.NHS_NUMBER);
            Api.as("grace.okafor").post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "test done"));

            phone.find("#alerts-off").click();
            phone.awaitText(Duration.ofSeconds(10), "#alerts-state", "Alerts on this phone: off");
            assertThat(phone.find("#alerts-on").isDisplayed()).isTrue();
            assertThat(phone.find("#alerts-off").isDisplayed()).isFalse();
            assertThat(Api.as(DOCTOR).get("/api/v1/me/push-subscriptions").statusCode(200).extract().jsonPath()
                    .getList("findAll { it.retiredAt == null }")).isEmpty();
        } finally {
            List<String> live = Api.as(DOCTOR).get("/api/v1/me/push-subscriptions").statusCode(200).extract()
                    .jsonPath().getList("findAll { it.retiredAt == null }.id");
            live.forEach(s -> Api.as(DOCTOR).request().delete("/api/v1/me/push-subscriptions/" + s));
        }
    }
}
