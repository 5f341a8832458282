package org.pagerless.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.pagerless.support.Api;
import org.pagerless.support.Broadcasts;
import org.pagerless.support.Browser;
import org.pagerless.support.FlowTest;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Two switchboard operators at two consoles: what one sends, and every alert and who is dealing with it, is on the
 * server, so it survives a reload and shows on the other console too.
 */
@QuarkusTest
class SwitchboardSharedBrowserTest extends FlowTest {
    static final Api SAM = Api.as("sam.patel");
    static final Api JO = Api.as("jo.white");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;
    @jakarta.inject.Inject
    org.pagerless.intake.KnownPatients knownPatients;

    @Test
    void aBleepWhoseMessageNamesAnAdmittedPatientIsSentAndTheOperatorIsToldPlainly() {
        String ext = AppsBrowserTest.extension();
        String nhs = "9990001154";
        // As the ADT feed does on an admission (PatientNameFlagFlowTest sends the HL7 message itself).
        knownPatients.remember(nhs, new org.pagerless.intake.KnownPatients.Name("Olwen", "Zyxbrow"),
                java.time.Instant.now());
        try (Browser sam = Browser.desktop(port, "sam.patel")) {
            sam.open("/switchboard").awaitLive();
            WebElement who = sam.find("#who");
            who.sendKeys("medical reg");
            sam.awaitText(Duration.ofSeconds(5), "#who-list [role=option]", AppsBrowserTest.REGISTRAR);
            who.sendKeys(Keys.ENTER);
            sam.find("#callback").sendKeys(ext);
            sam.find("#message").sendKeys("Re Olwen Zyxbrow bed 9");
            sam.find("#bleep-send").click();
            String done = sam.awaitTextOf(Duration.ofSeconds(10), "#bleep-done", "names a patient");
            assertThat(done).startsWith("Bleeped " + AppsBrowserTest.REGISTRAR + ": call " + ext + ".")
                    .contains("please leave names out");
            assertThat(sam.find("#bleep-done").getAttribute("class")).contains("warn");
            String id = sam.await(Duration.ofSeconds(10), "the bleep in the sent list",
                    d -> d.findElements(By.xpath("//ul[@id='sent']/li[contains(., 'call " + ext + "')]")).stream()
                            .findFirst().map(li -> li.getAttribute("data-task-id")).orElse(null));
            sam.awaitTextOf(Duration.ofSeconds(10), "#sent li[data-task-id='" + id + "']", "Message names a patient");
            sam.screenshot("switchboard-names-patient");
            assertThat(sam.accessibilityViolations()).as("console with a flagged bleep").isEmpty();
            SAM.post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);
        } finally {
            knownPatients.forget(nhs);
        }
    }

    @Test
    void aBleepAndA2222SentByOneOperatorSurviveAReloadAndShowOnTheOtherOperatorsConsole() {
        String ext = AppsBrowserTest.extension();
        String message = "2222 adult arrest " + ext;
        try (Browser sam = Browser.desktop(port, "sam.patel"); Browser jo = Browser.desktop(port, "jo.white")) {
            sam.open("/switchboard").awaitLive();
            jo.open("/switchboard").awaitLive();

            // Sam bleeps the registrar, stat; the form goes back to urgent for the next bleep.
            WebElement who = sam.find("#who");
            who.sendKeys("medical reg");
            sam.awaitText(Duration.ofSeconds(5), "#who-list [role=option]", AppsBrowserTest.REGISTRAR);
            who.sendKeys(Keys.ENTER);
            sam.find("#callback").sendKeys(ext);
            new org.openqa.selenium.support.ui.Select(sam.find("#priority")).selectByValue("stat");
            sam.find("#bleep-send").click();
            sam.awaitText(Duration.ofSeconds(10), "#bleep-done", "Bleeped " + AppsBrowserTest.REGISTRAR);
            assertThat(sam.find("#priority").getAttribute("value")).isEqualTo("urgent");
            String id = sam.await(Duration.ofSeconds(10), "the bleep in the sent list",
                    d -> d.findElements(By.xpath("//ul[@id='sent']/li[contains(., 'call " + ext + "')]")).stream()
                            .findFirst().map(li -> li.getAttribute("data-task-id")).orElse(null));
            String row = "#sent li[data-task-id='" + id + "']";

            // Sam broadcasts a 2222.
            sam.await(Duration.ofSeconds(5), "the teams", d -> !d.findElements(
                    By.xpath("//select[@id='team']/option[.='Crash Team']")).isEmpty());
            sam.find("#broadcast-location").sendKeys("Ward 7A bed 12");
            sam.find("#broadcast-message").sendKeys(message);
            sam.find("#broadcast-send").click();
            String roll = sam.awaitAttribute(Duration.ofSeconds(10), "#rollcalls .rollcall", message, "data-task-id");
            String rollCall = "#rollcalls .rollcall[data-task-id='" + roll + "']";

            // A reload loses nothing: the bleep with its priority, status, step and age, and the live roll-call.
            sam.open("/switchboard").awaitLive();
            String registrar = SAM.get("/api/v1/tasks/" + id).extract().path("offeredTo[0].name");
            assertThat(sam.awaitTextOf(Duration.ofSeconds(10), row, "offered to " + registrar))
                    .contains("STAT").contains(AppsBrowserTest.REGISTRAR).contains("call " + ext)
                    .contains("by Sam Patel").contains("step 1 of").contains(" ago");
            assertThat(sam.awaitTextOf(Duration.ofSeconds(10), rollCall, "acknowledged")).contains(message)
                    .contains("0 of ").contains("not yet");

            // The other operator sees both, without sending anything.
            assertThat(jo.awaitTextOf(Duration.ofSeconds(10), row, "offered to " + registrar)).contains("STAT");
            jo.awaitTextOf(Duration.ofSeconds(10), rollCall, message);

            // A change made elsewhere reaches both consoles' sent lists live.
            Api.as(SAM.holdersOf(AppsBrowserTest.REGISTRAR).get(0)).post("/api/v1/tasks/" + id + "/accept")
                    .then().statusCode(200);
            sam.awaitTextOf(Duration.ofSeconds(5), row, "accepted by " + registrar);
            jo.awaitTextOf(Duration.ofSeconds(5), row, "accepted by " + registrar);
            jo.script("document.getElementById('rollcalls').scrollIntoView()");
            jo.screenshot("switchboard-shared");
            assertThat(jo.accessibilityViolations()).as("the second console").isEmpty();

            SAM.post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);
            Broadcasts.cleanUp(roll);
        }
    }

    @Test
    void anAlertAndATaskPassedToSwitchboardWaitInNeedsAHumanUntilAnOperatorClaimsAndResolvesThem() {
        String vacantExt = AppsBrowserTest.extension();
        String passedExt = AppsBrowserTest.extension();
        try (Browser sam = Browser.desktop(port, "sam.patel"); Browser jo = Browser.desktop(port, "jo.white")) {
            sam.open("/switchboard").awaitLive();
            jo.open("/switchboard").awaitLive();
            // Nobody holds the dermatology registrar role: an alert. The registrar's chain ends with switchboard.
            String vacant = SAM.post("/api/v1/bleeps", Map.of("to", Map.of("bleep", "2330"), "callback", vacantExt,
                    "priority", "urgent")).then().statusCode(202).extract().path("id");
            String passed = SAM.post("/api/v1/bleeps", Map.of("to", Map.of("role", AppsBrowserTest.REGISTRAR),
                    "callback", passedExt, "priority", "asap")).then().statusCode(202).extract().path("id");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> "offered".equals(SAM.status(passed)));
            Api.as(AppsBrowserTest.NIC).post("/api/v1/tasks/" + passed + "/escalate").then().statusCode(200);

            String vacantItem = "#alerts li[data-task-id='" + vacant + "']";
            String passedItem = "#alerts li[data-task-id='" + passed + "']";
            for (Browser console : List.of(sam, jo)) {
                assertThat(console.awaitTextOf(Duration.ofSeconds(10), vacantItem, "Nobody holds Dermatology Registrar"))
                        .contains("Not claimed");
                assertThat(console.awaitTextOf(Duration.ofSeconds(10), passedItem, "Passed to switchboard"))
                        .contains("ASAP").contains("step 2 of");
            }

            // Jo takes the first on; Sam's console says so at once.
            jo.click(Duration.ofSeconds(10), vacantItem + " button.claim-it");
            jo.awaitTextOf(Duration.ofSeconds(5), vacantItem, "Claimed by you at");
            sam.awaitTextOf(Duration.ofSeconds(5), vacantItem, "Claimed by Jo White at");
            sam.screenshot("switchboard-claimed");
            assertThat(sam.accessibilityViolations()).as("console with a claimed alert").isEmpty();

            // Sam deals with it: it leaves both queues and stays gone after a reload; who and when are kept.
            sam.click(Duration.ofSeconds(10), vacantItem + " button.resolve-it");
            for (Browser console : List.of(sam, jo)) {
                console.await(Duration.ofSeconds(5), "the resolved alert to leave " + console.user() + "'s queue",
                        d -> d.findElements(By.cssSelector(vacantItem)).isEmpty());
            }
            jo.open("/switchboard").awaitLive();
            jo.awaitTextOf(Duration.ofSeconds(10), passedItem, "Passed to switchboard");
            assertThat(jo.findAll(vacantItem)).isEmpty();
            assertThat(JO.get("/api/v1/board/alerts").extract().jsonPath().getList("task.id", String.class))
                    .contains(passed).doesNotContain(vacant);

            // The task's timeline keeps both: who claimed it and who dealt with it, among its own events.
            sam.click(Duration.ofSeconds(10), "#sent li[data-task-id='" + vacant + "'] button.details");
            String timeline = sam.awaitTextOf(Duration.ofSeconds(10), "#detail-timeline", "Alert dealt with by Sam Patel");
            assertThat(timeline).contains("Alert claimed by Jo White: dealing with it").contains("Switchboard alerted");
            assertThat(timeline.indexOf("Alert claimed by Jo White")).isLessThan(timeline.indexOf("Alert dealt with"));
            sam.find("#detail-close").click();

            SAM.post("/api/v1/tasks/" + vacant + "/cancel").then().statusCode(200);
            SAM.post("/api/v1/tasks/" + passed + "/cancel").then().statusCode(200);
        }
    }
}
