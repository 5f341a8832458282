package org.pagerless.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.pagerless.support.Api;
import org.pagerless.support.Browser;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The story of one task as each person meets it: the second doctor sees why the first said no, the timeline is one
 * tap away on the phone, the board and the console, a doctor whose task is reassigned away is told why, and the
 * task stays on the board (under "Done") once completed.
 */
@QuarkusTest
class TaskDetailBrowserTest extends FlowTest {
    static final Api NIC = Api.as(AppsBrowserTest.NIC);
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void theDeclineReasonTravelsTheTimelineIsOneTapAwayAReassignedDoctorIsToldWhyAndDoneTasksStayOnTheBoard() {
        List<String> shos = SWITCHBOARD.holdersOf(AppsBrowserTest.SHO);
        assertThat(shos).hasSizeGreaterThanOrEqualTo(2);
        String first = shos.get(0);
        String second = shos.get(1);
        String firstName = Api.as(first).get("/api/v1/me").extract().path("name");
        String bed = "T" + AppsBrowserTest.extension().substring(0, 3);
        try (Browser phone = Browser.phone(port, second); Browser board = Browser.desktop(port, AppsBrowserTest.NIC);
             Browser console = Browser.desktop(port, "sam.patel")) {
            phone.open("/app").awaitLive();
            board.open("/board?ward=7B").awaitLive();
            String id = NIC.post("/api/v1/tasks", Map.of("to", Map.of("role", AppsBrowserTest.SHO),
                    "patient", Map.of("nhsNumber", Patients.NHS_NUMBER, "name", Patients.NAME),
                    "location", Map.of("ward", "7B", "bed", bed), "type", "Cannula",
                    "detail", "S: tissued cannula", "priority", "urgent")).then().statusCode(202).extract().path("id");
            String card = "li.card[data-task-id='" + id + "']";
            phone.awaitTextOf(Duration.ofSeconds(10), card, "Cannula");

            // The first SHO declines: the second SHO's card says who and why.
            Api.as(first).post("/api/v1/tasks/" + id + "/decline", Map.of("reason", "In resus")).then().statusCode(200);
            phone.awaitTextOf(Duration.ofSeconds(10), card, "Declined by " + firstName + ": In resus");

            // One tap: the details with the whole timeline.
            phone.await(Duration.ofSeconds(10), "to open the details", d -> {
                try {
                    d.findElement(By.cssSelector(card + " button[data-action='details']")).click();
                    return true;
                } catch (org.openqa.selenium.StaleElementReferenceException
                         | org.openqa.selenium.NoSuchElementException e) {
                    return null;
                }
            });
            String timeline = phone.awaitTextOf(Duration.ofSeconds(10), "#detail-timeline", "Declined by");
            assertThat(timeline).contains("Raised by Grace Okafor for " + AppsBrowserTest.SHO)
                    .contains("Offered to").contains("Declined by " + firstName + ": In resus");
            assertThat(phone.textOf("#detail-facts")).contains("Ward 7B · bed " + bed).contains(Patients.NAME);
            phone.screenshot("app-detail");
            assertThat(phone.accessibilityViolations()).as("the details dialog on the phone").isEmpty();
            phone.find("#detail-close").click();

            // The nurse in charge reassigns it to the registrar: the SHO's phone says it was taken off them, and why.
            String row = "#tasks tr[data-task-id='" + id + "']";
            board.awaitTextOf(Duration.ofSeconds(10), row, "Cannula");
            board.await(Duration.ofSeconds(10), "to reassign on the board", d -> {
                try {
                    new Select(d.findElement(By.cssSelector(row + " select.reassign")))
                            .selectByVisibleText(AppsBrowserTest.REGISTRAR);
                    return true;
                } catch (org.openqa.selenium.StaleElementReferenceException
                         | org.openqa.selenium.NoSuchElementException e) {
                    return null;
                }
            });
            phone.await(Duration.ofSeconds(10), "the reassigned task to leave the phone",
                    d -> d.findElements(By.cssSelector(card)).isEmpty());
            phone.awaitTextOf(Duration.ofSeconds(10), "#notices", "taken off you. Reassigned by Grace Okafor");

            // The board: the row's details tell the same story.
            board.await(Duration.ofSeconds(10), "to open the row's details", d -> {
                try {
                    WebElement button = d.findElement(By.cssSelector(row + " button[data-action='details']"));
                    if (!d.findElement(By.cssSelector(row)).getText().contains(AppsBrowserTest.REGISTRAR)) {
                        return null;
                    }
                    button.click();
                    return true;
                } catch (org.openqa.selenium.StaleElementReferenceException
                         | org.openqa.selenium.NoSuchElementException e) {
                    return null;
                }
            });
            assertThat(board.awaitTextOf(Duration.ofSeconds(10), "#detail-timeline", "Reassigned by Grace Okafor"))
                    .contains("Declined by " + firstName + ": In resus");
            board.screenshot("board-detail");
            assertThat(board.accessibilityViolations()).as("the details dialog on the board").isEmpty();
            board.find("#detail-close").click();

            // The registrar completes it: it leaves the open list and is under "Done", with who completed it.
            String registrar = SWITCHBOARD.holdersOf(AppsBrowserTest.REGISTRAR).get(0);
            Api.as(registrar).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
            Api.as(registrar).post("/api/v1/tasks/" + id + "/complete", Map.of()).then().statusCode(200);
            board.await(Duration.ofSeconds(10), "the completed task to leave the open list",
                    d -> d.findElements(By.cssSelector(row)).isEmpty());
            new Select(board.find("#f-show")).selectByValue("done");
            String registrarName = Api.as(registrar).get("/api/v1/me").extract().path("name");
            board.awaitTextOf(Duration.ofSeconds(10), row, "Completed by " + registrarName);
            assertThat(board.driver().getCurrentUrl()).contains("show=done");

            // The console: a bleep's details one click from the sent list.
            String ext = AppsBrowserTest.extension();
            String bleep = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("role", AppsBrowserTest.REGISTRAR),
                    "callback", ext, "priority", "urgent")).then().statusCode(202).extract().path("id");
            console.open("/switchboard").awaitLive();
            String sent = "#sent li[data-task-id='" + bleep + "']";
            console.awaitTextOf(Duration.ofSeconds(10), sent, "call " + ext);
            console.find(sent + " button[data-action='details']").click();
            assertThat(console.awaitTextOf(Duration.ofSeconds(10), "#detail-timeline", "Raised by Sam Patel"))
                    .contains("Offered to");
            SWITCHBOARD.post("/api/v1/tasks/" + bleep + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void theBoardOpensOnTheWardWhoseNurseInChargeIsSignedInWithTheRequestFormForThatWard() {
        String nic = SWITCHBOARD.holdersOf("Nurse in Charge 7B").get(0);
        try (Browser board = Browser.desktop(port, nic)) {
            board.open("/board").awaitLive();
            assertThat(board.find("#f-ward").getAttribute("value")).isEqualTo("7B");
            assertThat(board.find("#r-ward").getAttribute("value")).isEqualTo("7B");
            board.awaitTextOf(Duration.ofSeconds(10), "#r-to", "(suggested)");
            // "All wards" is a choice that sticks: the address says so.
            new Select(board.find("#f-ward")).selectByValue("");
            assertThat(board.driver().getCurrentUrl()).contains("ward=");
            board.open("/board").awaitLive();
            assertThat(board.find("#f-ward").getAttribute("value")).isEmpty();
        }
    }
}
