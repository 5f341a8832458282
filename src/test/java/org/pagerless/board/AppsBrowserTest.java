package org.pagerless.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.pagerless.support.Api;
import org.pagerless.support.Broadcasts;
import org.pagerless.support.Browser;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The three apps in a real headless Chromium, against the running app with its real broker and
 * database: switchboard console, the doctor's phone and the ward board, each its own browser and user.
 */
@QuarkusTest
class AppsBrowserTest extends FlowTest {
    static final String REGISTRAR = "Medical Registrar On-Call";
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final String NIC = "grace.okafor";

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    /** A callback extension no other test uses, so each test finds its own task on shared screens. */
    static String extension() {
        return String.valueOf(ThreadLocalRandom.current().nextInt(10000, 99999));
    }

    @Test
    void switchboardBleepsTheMedicalRegistrarWhoAcceptsOnThePhoneAndTheBoardShowsItAcceptedWithin5Seconds() {
        String registrar = SWITCHBOARD.holdersOf(REGISTRAR).get(0);
        String ext = extension();
        try (Browser phone = Browser.phone(port, registrar);
             Browser board = Browser.desktop(port, NIC);
             Browser console = Browser.desktop(port, "sam.patel")) {
            phone.open("/app").awaitLive();
            board.open("/board?ward=").awaitLive(); // all wards: bleeps have none
            console.open("/switchboard").awaitLive();
            assertThat(phone.find("#shift").getText()).startsWith("On shift as:").contains(REGISTRAR).contains("until");

            // Switchboard: type, pick (Enter), then Bleep.
            WebElement who = console.find("#who");
            who.sendKeys("medical reg");
            console.awaitText(Duration.ofSeconds(5), "#who-list [role=option]", REGISTRAR);
            console.screenshot("switchboard-typeahead");
            who.sendKeys(Keys.ENTER);
            assertThat(console.find("#who-holds").getText()).contains("held now by");
            console.find("#callback").sendKeys(ext);
            console.find("#message").sendKeys("Please call re bed 12");
            console.find("#bleep-send").click();
            console.awaitText(Duration.ofSeconds(10), "#bleep-done", "Bleeped " + REGISTRAR);

            // The registrar's phone shows it live, with the callback as a tap-to-call link.
            WebElement card = phone.await(Duration.ofSeconds(10), "the bleep on the registrar's phone",
                    d -> d.findElements(By.xpath("//li[contains(@class,'card')][.//a[.='Call " + ext + "']]"))
                            .stream().findFirst().orElse(null));
            // An extension a mobile cannot dial on its own: through the trust's DDI pattern (the tests' +44 20 7946 {ext}).
            assertThat(card.findElement(By.cssSelector("a.call")).getAttribute("href")).isEqualTo("tel:+44207946" + ext);
            assertThat(card.getText()).contains("Please call re bed 12").contains("From Sam Patel");
            phone.screenshot("app-offered");

            String id = card.getAttribute("data-task-id");
            String row = "#tasks tr[data-task-id='" + id + "']";
            assertThat(board.awaitTextOf(Duration.ofSeconds(5), row, "Bleep: call " + ext)).contains("Offered to");
            // The phone has shown it: the board says so in plain words, without a reload (delivery state is polled).
            String registrarName = Api.as(registrar).get("/api/v1/me").extract().path("name");
            assertThat(board.awaitTextOf(Duration.ofSeconds(10), row + " .deliveries", "app delivered"))
                    .contains(registrarName + ": app delivered").contains("not seen");

            card.findElement(By.xpath(".//button[.='Accept']")).click();
            phone.awaitTextOf(Duration.ofSeconds(10), "li.card[data-task-id='" + id + "']", "Accepted by you");
            long accepted = System.nanoTime();

            String shown = board.awaitTextOf(Duration.ofSeconds(5), row, "Accepted by");
            assertThat(Duration.ofNanos(System.nanoTime() - accepted)).isLessThanOrEqualTo(Duration.ofSeconds(5));
            String owner = Api.as(registrar).get("/api/v1/me").extract().path("name");
            assertThat(shown).contains("Accepted by " + owner);
            console.awaitTextOf(Duration.ofSeconds(5), "#sent li[data-task-id='" + id + "']", "accepted by " + owner);
            board.screenshot("board");
            console.screenshot("switchboard");
            phone.screenshot("app-accepted");

            // Each app as it stands, with content on screen, passes an automated WCAG 2.1 AA audit.
            assertThat(phone.accessibilityViolations()).as("phone app").isEmpty();
            assertThat(board.accessibilityViolations()).as("ward board").isEmpty();
            assertThat(console.accessibilityViolations()).as("switchboard console").isEmpty();
        }
    }

    @Test
    void a2222BroadcastTwoMembersAcknowledgeOnTheirPhonesAndTheConsoleRollCallShowsThemAndTheMissing() {
        String registrar = SWITCHBOARD.holdersOf(REGISTRAR).get(0);
        String edRegistrar = SWITCHBOARD.holdersOf("ED Registrar").get(0);
        String message = "2222 adult arrest " + extension();
        try (Browser console = Browser.desktop(port, "sam.patel");
             Browser first = Browser.phone(port, registrar);
             Browser second = Browser.phone(port, edRegistrar)) {
            console.open("/switchboard").awaitLive();
            first.open("/app").awaitLive();
            second.open("/app").awaitLive();
            console.await(Duration.ofSeconds(5), "the teams", d -> !d.findElements(
                    By.xpath("//select[@id='team']/option[.='Crash Team']")).isEmpty());
            console.find("#broadcast-location").sendKeys("Ward 7A bed 12");
            console.find("#broadcast-message").sendKeys(message);
            console.find("#broadcast-send").click();
            console.awaitText(Duration.ofSeconds(10), "#broadcast-done", "Broadcast to Crash Team");
            String roll = console.awaitAttribute(Duration.ofSeconds(10), "#rollcalls .rollcall", message, "data-task-id");
            String rollCall = "#rollcalls .rollcall[data-task-id='" + roll + "']";
            console.awaitTextOf(Duration.ofSeconds(10), rollCall, "0 of ");

            String card = "li.card[data-task-id='" + roll + "']";
            for (Browser phone : List.of(first, second)) {
                // The card is rebuilt live as others acknowledge: read and click it afresh each time.
                assertThat(phone.awaitTextOf(Duration.ofSeconds(10), card, message)).contains("Ward 7A bed 12")
                        .contains("Broadcast");
                phone.await(Duration.ofSeconds(10), "to press Acknowledge on " + phone.user() + "'s phone", d -> {
                    try {
                        d.findElement(By.cssSelector(card + " button[data-action='acknowledge']")).click();
                        return true;
                    } catch (org.openqa.selenium.StaleElementReferenceException
                             | org.openqa.selenium.NoSuchElementException e) {
                        return null;
                    }
                });
                phone.awaitTextOf(Duration.ofSeconds(10), card, "Acknowledged by you");
            }
            first.screenshot("app-broadcast");

            String firstName = Api.as(registrar).get("/api/v1/me").extract().path("name");
            String secondName = Api.as(edRegistrar).get("/api/v1/me").extract().path("name");
            console.awaitTextOf(Duration.ofSeconds(10), rollCall + " ul.acknowledged", secondName);
            assertThat(console.textOf(rollCall + " ul.acknowledged")).contains(firstName + " acknowledged")
                    .contains(secondName + " acknowledged");
            List<String> missing = SWITCHBOARD.get("/api/v1/tasks/" + roll).extract().jsonPath()
                    .getList("rollCall.missing.name", String.class);
            assertThat(missing).isNotEmpty().doesNotContain(firstName, secondName);
            String shownMissing = console.textOf(rollCall + " ul.missing");
            missing.forEach(name -> assertThat(shownMissing).contains(name + " not yet"));
            assertThat(console.textOf(rollCall)).contains("2 of " + (missing.size() + 2) + " acknowledged")
                    .contains("Re-alert the missing (" + missing.size() + ")");
            console.script("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})", rollCall);
            console.screenshot("switchboard-rollcall");
            assertThat(console.accessibilityViolations()).as("switchboard with a roll-call").isEmpty();

            // The roll-call is rebuilt live as well: find and click the button afresh until it takes.
            console.await(Duration.ofSeconds(10), "to press Re-alert on the console", d -> {
                try {
                    d.findElement(By.cssSelector(rollCall + " button.realert")).click();
                    return true;
                } catch (org.openqa.selenium.StaleElementReferenceException
                         | org.openqa.selenium.NoSuchElementException e) {
                    return null;
                }
            });
            console.awaitText(Duration.ofSeconds(10), "#notices", "Re-alerted " + missing.size());
            assertThat(Api.as("sam.patel").get("/api/v1/tasks/" + roll).extract().jsonPath()
                    .getList("timeline.event", String.class)).contains("BroadcastRealerted");
            Broadcasts.cleanUp(roll);
        }
    }

    @Test
    void aDoctorDeclinesWithATypedReasonAndTheBoardShowsTheDeclineAndWhoIsOfferedItNext() {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        assertThat(shos).hasSizeGreaterThanOrEqualTo(2);
        String decliner = shos.get(0);
        String bed = "D" + extension().substring(0, 3);
        try (Browser phone = Browser.phone(port, decliner); Browser board = Browser.desktop(port, NIC)) {
            board.open("/board?ward=7B").awaitLive();
            phone.open("/app").awaitLive();
            String id = Api.as(NIC).post("/api/v1/tasks", cannula(SHO, bed)).then().statusCode(202).extract().path("id");

            // Inside the app: the patient, the SBAR detail, NEWS2 and where.
            WebElement card = phone.await(Duration.ofSeconds(10), "the ward task on the SHO's phone",
                    d -> d.findElements(By.cssSelector("li.card[data-task-id='" + id + "']")).stream().findFirst().orElse(null));
            assertThat(card.getText()).contains("Cannula").contains("Ward 7B · bed " + bed).contains(Patients.NAME)
                    .contains("NHS 943 476 5919").contains("NEWS2 3").contains("R: please re-site within the hour");
            phone.screenshot("app-task");

            card.findElement(By.xpath(".//button[.='Decline']")).click();
            WebElement reason = phone.await(Duration.ofSeconds(5), "the decline dialog",
                    d -> phone.find("#decline-other").isDisplayed() ? phone.find("#decline-other") : null);
            phone.screenshot("app-decline");
            assertThat(phone.accessibilityViolations()).as("decline dialog").isEmpty();
            phone.find("#decline-send").click();
            assertThat(phone.find("#decline-error").getText()).isEqualTo("Choose a reason or type one");
            reason.sendKeys("Covering ED resus");
            phone.find("#decline-send").click();
            phone.awaitText(Duration.ofSeconds(10), "#notices", "Declined: Cannula");
            phone.await(Duration.ofSeconds(10), "the declined task to leave the inbox",
                    d -> d.findElements(By.cssSelector("li.card[data-task-id='" + id + "']")).isEmpty());

            String name = SWITCHBOARD.get("/api/v1/tasks/" + id).extract().path("timeline.find { it.event == 'TaskDeclined' }.actor.name");
            String row = "#tasks tr[data-task-id='" + id + "']";
            board.awaitTextOf(Duration.ofSeconds(5), row, "Declined by " + name + ": Covering ED resus");
            assertThat(board.textOf(row + " .status")).startsWith("Offered to ").doesNotContain(name);
            // The countdown to the next escalation ticks down from the task's timer (escalation.dueAt).
            // "Next: <the step> (<who>) in 9:58": where the chain goes if nobody accepts, and when.
            String first = board.awaitTextOf(Duration.ofSeconds(5), row + " .countdown", "Next: ");
            assertThat(first).contains(" in ");
            board.await(Duration.ofSeconds(5), "the countdown to tick", d -> !board.textOf(row + " .countdown").equals(first));
            board.screenshot("board-declined");

            // Escalate now, in one click: the task moves to the next step of its chain at once.
            board.find(row + " button.escalate").click();
            board.awaitText(Duration.ofSeconds(10), "#notices", "Escalated to step 2");
            assertThat(SWITCHBOARD.task(id).get("level")).isEqualTo(2);
            // Tidy: left open it waits on later boards and consoles, where other tests' screenshots would show it.
            SWITCHBOARD.post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void whenTheOnlyHolderDeclinesTheBoardShowsTheDeclineAndTheNextStepOfTheChain() {
        String registrar = SWITCHBOARD.holdersOf(REGISTRAR).get(0);
        assertThat(SWITCHBOARD.holdersOf(REGISTRAR)).hasSize(1);
        String ext = extension();
        try (Browser phone = Browser.phone(port, registrar);
             Browser board = Browser.desktop(port, NIC);
             Browser console = Browser.desktop(port, "sam.patel")) {
            phone.open("/app").awaitLive();
            board.open("/board?ward=").awaitLive(); // all wards: bleeps have none
            console.open("/switchboard").awaitLive();
            String id = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("role", REGISTRAR), "callback", ext,
                    "priority", "asap")).then().statusCode(202).extract().path("id");

            WebElement card = phone.await(Duration.ofSeconds(10), "the bleep on the phone",
                    d -> d.findElements(By.cssSelector("li.card[data-task-id='" + id + "']")).stream().findFirst().orElse(null));
            // Two taps: Decline, then a common reason.
            card.findElement(By.xpath(".//button[.='Decline']")).click();
            phone.await(Duration.ofSeconds(5), "the common reasons", d -> phone.find("[data-reason]").isDisplayed());
            phone.find("[data-reason='In resus / at an arrest']").click();
            phone.awaitText(Duration.ofSeconds(10), "#notices", "Declined: Bleep: call " + ext);

            // The only holder said no: the chain moves at once to its next step (level 2), and the board says so.
            String row = "#tasks tr[data-task-id='" + id + "']";
            board.awaitTextOf(Duration.ofSeconds(5), row, ": In resus / at an arrest");
            board.awaitTextOf(Duration.ofSeconds(5), row + " td:nth-child(6)", "2");
            assertThat(SWITCHBOARD.task(id).get("level")).isEqualTo(2);
            // Tidy: left open it waits on later boards and consoles, where other tests' screenshots would show it.
            SWITCHBOARD.post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void aBleepToARoleNobodyHoldsGoesToSwitchboardsQueueWhereItIsCancelledInTwoClicks() {
        String ext = extension();
        try (Browser console = Browser.desktop(port, "sam.patel")) {
            console.open("/switchboard").awaitLive();
            WebElement who = console.find("#who");
            who.sendKeys("2330"); // the dermatology registrar's bleep number: nobody holds it this fortnight
            console.awaitText(Duration.ofSeconds(5), "#who-list [role=option]", "2330 · Dermatology Registrar");
            who.sendKeys(Keys.ENTER);
            assertThat(console.find("#who-holds").getText()).contains("Nobody holds Dermatology Registrar now");
            console.find("#callback").sendKeys(ext);
            console.find("#bleep-send").click();
            console.awaitText(Duration.ofSeconds(10), "#bleep-done", "Bleeped 2330 · Dermatology Registrar");

            String id = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                    () -> SWITCHBOARD.get("/api/v1/board/alerts").extract()
                            .<String>path("find { it.task.callback == '" + ext + "' }.task.id"), java.util.Objects::nonNull);
            String alert = "#alerts li[data-task-id='" + id + "']";
            assertThat(console.awaitTextOf(Duration.ofSeconds(10), alert, "call " + ext))
                    .contains("Nobody holds Dermatology Registrar now");
            console.screenshot("switchboard-alert");
            assertThat(console.accessibilityViolations()).as("switchboard with an alert").isEmpty();

            console.click(Duration.ofSeconds(10), alert + " button.cancel-it");
            console.await(Duration.ofSeconds(5), "the cancel dialog", d -> console.find("#cancel-confirm").isDisplayed());
            console.find("#cancel-confirm").click();
            console.await(Duration.ofSeconds(10), "the alert to leave the queue",
                    d -> d.findElements(By.cssSelector("#alerts li[data-task-id='" + id + "']")).isEmpty());
            assertThat(SWITCHBOARD.status(id)).isEqualTo("cancelled");
        }
    }

    static final String NOT_AN_NHS_NUMBER = "This is not a valid NHS number: a digit is probably mistyped. "
            + "Check it against the wristband or notes.";

    /** What the API says for other systems, and what a nurse or an operator reads in the apps instead. */
    @Test
    @SuppressWarnings("unchecked")
    void everyProblemTheApiNamesIsShownInWordsForPeople() {
        try (Browser board = Browser.desktop(port, NIC)) {
            board.open("/board?ward=7B").awaitLive();
            List<String> words = (List<String>) board.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    import('/assets/js/common.js').then((m) => done([
                      m.reasonWords('fails the NHS number modulus 11 check'),
                      m.reasonWords('is required: one of routine, urgent, asap, stat'),
                      m.reasonWords('must be one of routine, urgent, asap, stat'),
                      m.reasonWords('is required'),
                      m.reasonWords("unknown ward 'Ward 99'"),
                      m.reasonWords('contains an NHS number: a bleep message is sent by text'),
                      m.problemWords({ data: { detail: 'the request was not accepted because the message broker is unreachable; it is safe to retry' } }),
                      m.problemWords({ data: { detail: 'the task is already in-progress' } }),
                      m.problemWords({ data: { detail: 'too many stat pages raised: the limit is 5 per 10 min; try again later' } }),
                      m.problemWords({ data: { detail: 'already accepted by Dr Kate Morgan' } }),
                    ]));""");
            assertThat(words).containsExactly(NOT_AN_NHS_NUMBER,
                    "Choose how urgent it is: Stat, ASAP, Urgent or Routine.",
                    "Choose how urgent it is: Stat, ASAP, Urgent or Routine.",
                    "Please fill this in.",
                    "There is no ward called \"Ward 99\": pick one from the list.",
                    "Take the NHS number out: bleep messages go by text and show on screens. Say only where to call; "
                            + "send patient details as a task request.",
                    "Pagerless could not take this just now, so nothing was sent. Try again in a few seconds.",
                    "This task is already in progress.",
                    "You have sent too many stat pages in a short time (at most 5 in 10 minutes). Wait a minute, then "
                            + "try again; for an emergency, phone.",
                    "Already accepted by Dr Kate Morgan.");
        }
    }

    @Test
    void anInvalidNhsNumberInTheRequestFormIsExplainedAtTheFieldAsItIsTyped() {
        try (Browser board = Browser.desktop(port, NIC)) {
            board.open("/board?ward=7B").awaitLive();
            WebElement nhs = board.find("#r-nhs");
            nhs.sendKeys(Patients.INVALID_NHS_NUMBER);
            board.awaitText(Duration.ofSeconds(2), "#err-patient-nhsNumber", NOT_AN_NHS_NUMBER);
            assertThat(nhs.getAttribute("aria-invalid")).isEqualTo("true");
            board.script("document.getElementById('request').scrollIntoView()");
            board.screenshot("board-request-invalid-nhs");
            assertThat(board.accessibilityViolations()).as("request form with an error").isEmpty();

            // Nothing is sent while the number is wrong.
            board.find("#request-send").click();
            assertThat(board.find("#err-patient-nhsNumber").getText()).isEqualTo(NOT_AN_NHS_NUMBER);
            assertThat(board.find("#request-done").getText()).isEmpty();

            nhs.clear();
            nhs.sendKeys("12345");
            board.find("#r-name").click();
            board.awaitText(Duration.ofSeconds(2), "#err-patient-nhsNumber", "An NHS number has 10 digits.");

            nhs.clear();
            nhs.sendKeys(Patients.NHS_NUMBER);
            board.awaitText(Duration.ofSeconds(2), "#r-nhs-check", "Valid NHS number");
            assertThat(board.find("#err-patient-nhsNumber").getText()).isEmpty();

            // The server checks the rest and its answer is shown beside each field.
            board.find("#request-send").click();
            // The API names each field and its reason ("is required: one of routine, ..."); the nurse reads words.
            board.awaitText(Duration.ofSeconds(5), "#err-type", "Please fill this in.");
            assertThat(board.find("#err-detail").getText()).isEqualTo("Please fill this in.");
            assertThat(board.find("#err-priority").getText())
                    .isEqualTo("Choose how urgent it is: Stat, ASAP, Urgent or Routine.");
            assertThat(board.find("#err-patient-name").getText()).isEqualTo("Please fill this in.");
            assertThat(board.find("#request-errors").getText()).contains("There is a problem")
                    .contains("Task: Please fill this in.");
            assertThat(board.find("#request").getText()).doesNotContainIgnoringCase("is required")
                    .doesNotContainIgnoringCase("one of routine").doesNotContainIgnoringCase("modulus");
            board.screenshot("board-request-errors");

            String bed = "N" + extension().substring(0, 3);
            board.find("#r-name").sendKeys(Patients.NAME);
            board.find("#r-bed").sendKeys(bed);
            board.find("#r-type").sendKeys("Bloods");
            new org.openqa.selenium.support.ui.Select(board.find("#r-priority")).selectByValue("routine");
            board.find("#r-news2").sendKeys("2");
            board.find("#r-s").sendKeys("Bloods for the morning ward round not taken.");
            board.find("#r-r").sendKeys("FBC, U&E, CRP before 06:00 please.");
            assertThat(board.find("#r-to").getText()).contains("(suggested)");
            board.find("#request-send").click();
            board.awaitText(Duration.ofSeconds(10), "#request-done", "Request sent to");
            board.awaitText(Duration.ofSeconds(10), "#tasks tbody tr", "7B · bed " + bed);
            assertThat(board.find("#err-type").getText()).isEmpty();
        }
    }

    @Test
    void aTaskAnotherDoctorTookDisappearsFromMyPhoneWithANotice() {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        String me = shos.get(0);
        String other = shos.get(1);
        String ext = extension();
        try (Browser phone = Browser.phone(port, me)) {
            phone.open("/app").awaitLive();
            String id = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("role", SHO), "callback", ext,
                    "priority", "urgent")).then().statusCode(202).extract().path("id");
            phone.await(Duration.ofSeconds(10), "the bleep on my phone",
                    d -> !d.findElements(By.cssSelector("li.card[data-task-id='" + id + "']")).isEmpty());

            Api.as(other).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
            String otherName = Api.as(other).get("/api/v1/me").extract().path("name");

            phone.await(Duration.ofSeconds(5), "the taken task to leave my inbox",
                    d -> d.findElements(By.cssSelector("li.card[data-task-id='" + id + "']")).isEmpty());
            phone.awaitText(Duration.ofSeconds(5), "#notices", "Bleep: call " + ext + ": taken by " + otherName);
            phone.screenshot("app-taken");
        }
    }

    @Test
    void thePhoneShowsALostConnectionReconnectsByItselfAndCatchesUp() {
        String registrar = SWITCHBOARD.holdersOf(REGISTRAR).get(0);
        String ext = extension();
        try (Browser phone = Browser.phone(port, registrar)) {
            phone.open("/app").awaitLive();
            phone.script("window.pagerless.live.socket.close()");
            phone.await(Duration.ofSeconds(2), "the lost connection to show",
                    d -> phone.find("#conn").getText().startsWith("Connection lost"));
            phone.screenshot("app-reconnecting");
            // Raised while the phone is away: it appears once the app has reconnected, without a reload.
            String id = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("role", REGISTRAR), "callback", ext,
                    "priority", "stat")).then().statusCode(202).extract().path("id");
            phone.awaitLive();
            phone.await(Duration.ofSeconds(10), "the bleep after reconnecting",
                    d -> !d.findElements(By.cssSelector("li.card[data-task-id='" + id + "']")).isEmpty());
        }
    }

    @Test
    void theDoctorsAppIsAnInstallableWebApp() {
        String registrar = SWITCHBOARD.holdersOf(REGISTRAR).get(0);
        try (Browser phone = Browser.phone(port, registrar)) {
            phone.open("/app").awaitLive();
            Object scope = phone.asyncScript("const done = arguments[arguments.length - 1];"
                    + "navigator.serviceWorker.ready.then(r => done(r.scope), e => done('error: ' + e));");
            assertThat(scope).asString().endsWith("/app");
            @SuppressWarnings("unchecked")
            Map<String, Object> manifest = (Map<String, Object>) phone.asyncScript(
                    "const done = arguments[arguments.length - 1];"
                    + "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json()).then(done, e => done(null));");
            assertThat(manifest).containsEntry("start_url", "/app").containsEntry("display", "standalone");
            assertThat(manifest.get("icons").toString()).contains("192x192").contains("512x512").contains("maskable");
        }
    }

    private static Map<String, Object> cannula(String role, String bed) {
        return Map.of(
                "to", Map.of("role", role),
                "patient", Map.of("nhsNumber", Patients.NHS_NUMBER, "name", Patients.NAME),
                "location", Map.of("ward", "7B", "bed", bed),
                "type", "Cannula",
                "detail", "S: tissued cannula, IV antibiotics due 14:00.\nB: day 2 of pneumonia.\nA: obs stable.\n"
                        + "R: please re-site within the hour.",
                "priority", "urgent",
                "news2", 3);
    }
}
