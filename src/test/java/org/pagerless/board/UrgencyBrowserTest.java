package org.pagerless.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.pagerless.support.Api;
import org.pagerless.support.Broadcasts;
import org.pagerless.support.Browser;
import org.pagerless.support.FlowTest;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A phone a doctor cannot miss: what needs them first, sound and vibration (once a tap allows sound), the count in
 * the title, re-alerts reaching an open app, and an Accept that failed offline which works once the connection is
 * back, with the connection badge telling the truth throughout.
 */
@QuarkusTest
class UrgencyBrowserTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private static long alarms(Browser phone) {
        return ((Number) phone.script("return window.pagerless.alarms.count")).longValue();
    }

    @Test
    void aNewStatOfferComesFirstAlarmsCountsInTheTitleAndAnOfflineAcceptRecoversWhenTheConnectionReturns() {
        String registrar = SWITCHBOARD.holdersOf(AppsBrowserTest.REGISTRAR).get(0);
        String first = AppsBrowserTest.extension();
        String second = AppsBrowserTest.extension();
        try (Browser phone = Browser.phone(port, registrar)) {
            phone.open("/app").awaitLive();
            // The alerts panel shows one button at a time (hidden means hidden).
            assertThat(phone.find("#alerts-on").isDisplayed() && phone.find("#alerts-off").isDisplayed()).isFalse();
            // Browsers allow sound only after a tap: the app asks for it.
            if (phone.find("#sound-on").isDisplayed()) {
                phone.find("#sound-on").click();
            }
            phone.await(Duration.ofSeconds(5), "sound to be on", d -> "on".equals(phone.script(
                    "return document.body.dataset.sound")));

            String accepted = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("role", AppsBrowserTest.REGISTRAR),
                    "callback", first, "priority", "urgent")).then().statusCode(202).extract().path("id");
            phone.awaitTextOf(Duration.ofSeconds(10), "li.card[data-task-id='" + accepted + "']", "Call " + first);
            Api.as(registrar).post("/api/v1/tasks/" + accepted + "/accept").then().statusCode(200);
            phone.awaitTextOf(Duration.ofSeconds(10), "li.card[data-task-id='" + accepted + "']", "Accepted by you");
            long before = alarms(phone);

            String stat = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("role", AppsBrowserTest.REGISTRAR),
                    "callback", second, "priority", "stat")).then().statusCode(202).extract().path("id");
            String card = "li.card[data-task-id='" + stat + "']";
            phone.awaitTextOf(Duration.ofSeconds(10), card, "Call " + second);
            // It needs an accept: it is above the task already accepted (other tests' offers may be there too); it
            // alarmed as stat; the title counts what waits for the doctor.
            @SuppressWarnings("unchecked")
            java.util.List<String> order = (java.util.List<String>) phone.script(
                    "return [...document.querySelectorAll('#inbox > li')].map(li => li.dataset.taskId)");
            assertThat(order.indexOf(stat)).isNotNegative().isLessThan(order.indexOf(accepted));
            phone.await(Duration.ofSeconds(5), "the stat alarm", d -> alarms(phone) > before);
            assertThat(phone.script("return window.pagerless.alarms.last")).isEqualTo("stat");
            assertThat(phone.driver().getTitle()).matches("\\(\\d+\\) My tasks.*");
            String waiting = phone.driver().getTitle();

            // The connection drops; Accept fails: the card is back with live buttons and the badge says so.
            ChromeDriver chrome = (ChromeDriver) phone.driver();
            ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
            offline.setOffline(true);
            chrome.setNetworkConditions(offline);
            phone.click(Duration.ofSeconds(5), card + " button[data-action='accept']");
            phone.awaitText(Duration.ofSeconds(10), "#notices", "Not sent: no connection");
            phone.await(Duration.ofSeconds(5), "the badge to say the connection is lost",
                    d -> "lost".equals(phone.find("#conn").getAttribute("data-state")));
            phone.await(Duration.ofSeconds(5), "a live Accept button again", d -> {
                var buttons = d.findElements(By.cssSelector(card + " button[data-action='accept']"));
                return !buttons.isEmpty() && buttons.get(0).isEnabled() && buttons.get(0).getText().equals("Accept");
            });
            phone.screenshot("app-offline");

            // Back online: it reconnects by itself and the same tap now works.
            chrome.deleteNetworkConditions();
            phone.await(Duration.ofSeconds(30), "the live feed to reconnect",
                    d -> "live".equals(phone.find("#conn").getAttribute("data-state")));
            phone.click(Duration.ofSeconds(5), card + " button[data-action='accept']");
            phone.awaitTextOf(Duration.ofSeconds(10), card, "Accepted by you");
            // One fewer waits for the doctor now.
            phone.await(Duration.ofSeconds(5), "the title to count one fewer", d -> !d.getTitle().equals(waiting));
            assertThat(phone.accessibilityViolations()).as("the phone with sound on").isEmpty();

            SWITCHBOARD.post("/api/v1/tasks/" + accepted + "/cancel").then().statusCode(200);
            SWITCHBOARD.post("/api/v1/tasks/" + stat + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void aReAlertReachesAnOpenAppAndTheConsoleRollCallKeepsCountingFromTheBroadcast() {
        String registrar = SWITCHBOARD.holdersOf(AppsBrowserTest.REGISTRAR).get(0);
        String message = "2222 realert " + AppsBrowserTest.extension();
        try (Browser phone = Browser.phone(port, registrar); Browser console = Browser.desktop(port, "sam.patel")) {
            phone.open("/app").awaitLive();
            console.open("/switchboard").awaitLive();
            String id = SWITCHBOARD.post("/api/v1/broadcasts", Map.of("team", "crash", "message", message,
                    "location", "Ward 7A bed 3")).then().statusCode(202).extract().path("id");
            phone.awaitTextOf(Duration.ofSeconds(10), "li.card[data-task-id='" + id + "']", message);
            long before = alarms(phone);

            SWITCHBOARD.post("/api/v1/tasks/" + id + "/realert").then().statusCode(200);
            phone.awaitText(Duration.ofSeconds(10), "#notices", "Re-alert: Broadcast");
            phone.await(Duration.ofSeconds(5), "the re-alert alarm", d -> alarms(phone) > before);
            assertThat(phone.script("return window.pagerless.alarms.last")).isEqualTo("realert");

            String rollCall = "#rollcalls .rollcall[data-task-id='" + id + "']";
            assertThat(console.awaitTextOf(Duration.ofSeconds(15), rollCall, "re-alerted")).contains("not yet");
            Broadcasts.cleanUp(id);
        }
    }
}
