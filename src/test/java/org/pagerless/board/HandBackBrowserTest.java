package org.pagerless.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.pagerless.support.Api;
import org.pagerless.support.Browser;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/** Hand back on the phone, in a real headless Chromium: the reason dialog, then the task leaves the inbox. */
@QuarkusTest
class HandBackBrowserTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api WARD_NURSE = Api.as("grace.okafor");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void aDoctorHandsBackAnAcceptedTaskWithAReasonAndItLeavesTheirInbox() {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        assertThat(shos).hasSizeGreaterThanOrEqualTo(2);
        Api owner = Api.as(shos.get(0));
        String id = WARD_NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "urgent"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        owner.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);

        try (Browser phone = Browser.phone(port, owner.user())) {
            phone.open("/app").awaitLive();
            String cardCss = "li.card[data-task-id='" + id + "']";
            WebElement card = phone.await(Duration.ofSeconds(10), "the accepted task on the phone",
                    d -> d.findElements(By.cssSelector(cardCss)).stream().findFirst().orElse(null));

            card.findElement(By.xpath(".//button[.='Hand back']")).click();
            WebElement reason = phone.await(Duration.ofSeconds(5), "the hand back dialog",
                    d -> phone.find("#handback-other").isDisplayed() ? phone.find("#handback-other") : null);
            phone.screenshot("app-hand-back");
            assertThat(phone.accessibilityViolations()).as("hand back dialog").isEmpty();
            phone.find("#handback-send").click();
            assertThat(phone.find("#handback-error").getText()).isEqualTo("Choose a reason or type one");
            reason.sendKeys("Called to resus");
            phone.find("#handback-send").click();

            phone.awaitText(Duration.ofSeconds(10), "#notices", "Handed back: Cannula");
            phone.await(Duration.ofSeconds(10), "the handed back task to leave the inbox",
                    d -> d.findElements(By.cssSelector(cardCss)).isEmpty());
        }
        // The ward board says where it went and why, on the task's row.
        try (Browser board = Browser.desktop(port, "grace.okafor")) {
            board.open("/board?ward=7B").awaitLive();
            String row = board.awaitTextOf(Duration.ofSeconds(10), "#tasks tr[data-task-id='" + id + "']",
                    "Handed back by ");
            assertThat(row).contains(": Called to resus. Now offered to ").contains("(step 1: Medical SHO on call)")
                    .contains("the people its chain had reached");
            assertThat(board.accessibilityViolations()).as("board with a handed-back task").isEmpty();
        }
        Map<String, Object> task = SWITCHBOARD.task(id);
        assertThat(Tasks.events(task)).endsWith("TaskHandedBack", "TaskOffered");
        assertThat(SWITCHBOARD.get("/api/v1/tasks/" + id).extract().jsonPath().getList("offeredTo.id", String.class))
                .isNotEmpty().doesNotContain(owner.user());
        SWITCHBOARD.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "browser test")).then().statusCode(200);
    }
}
