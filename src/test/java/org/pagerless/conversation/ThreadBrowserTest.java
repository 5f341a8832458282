package org.pagerless.conversation;

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

/**
 * Two people talk on a task in real headless Chromium: the doctor who took it writes on the phone, the ward's nurse
 * in charge reads it on the board and answers, and the phone shows the answer live with "read by" under its message;
 * the doctor sends a photo and mutes the conversation. Its screenshots (target/screenshots/app-thread.png and
 * board-thread.png) are the ones in docs/screenshots/conversation-app.png and conversation-board.png.
 */
@QuarkusTest
class ThreadBrowserTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void theDoctorWritesOnTheTaskThreadOnThePhoneAndTheNurseInChargeReadsAndAnswersOnTheBoard() throws Exception {
        String nic = SWITCHBOARD.holdersOf("Nurse in Charge 7B").get(0);
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        Api owner = Api.as(shos.get(0));
        String id = Api.as(nic).post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "urgent"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        owner.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        String nicName = Api.as(nic).get("/api/v1/me").extract().path("name");

        try (Browser phone = Browser.phone(port, owner.user()); Browser board = Browser.desktop(port, nic)) {
            phone.open("/app").awaitLive();
            WebElement card = phone.await(Duration.ofSeconds(10), "the accepted task on the phone",
                    d -> d.findElements(By.cssSelector("li.card[data-task-id='" + id + "']")).stream().findFirst().orElse(null));
            card.findElement(By.cssSelector("button[data-action='thread']")).click();
            phone.awaitText(Duration.ofSeconds(10), "#conversation-messages li", "Accepted by");
            phone.find("#conversation-send").click();
            assertThat(phone.find("#conversation-error").getText()).isEqualTo("Write a message first");
            phone.find("#conversation-text").sendKeys("Bloods sent, K+ 6.1. Reviewing at 14:00");
            phone.find("#conversation-send").click();
            phone.awaitText(Duration.ofSeconds(15), "#conversation-messages li.mine", "Bloods sent, K+ 6.1");

            board.open("/board?ward=7B").awaitLive();
            String row = "#tasks tr[data-task-id='" + id + "']";
            board.awaitTextOf(Duration.ofSeconds(10), row, "Accepted by");
            board.find(row + " button[data-action='thread']").click();
            board.awaitText(Duration.ofSeconds(10), "#conversation-messages li", "Bloods sent, K+ 6.1. Reviewing at 14:00");
            board.screenshot("board-thread");
            assertThat(board.accessibilityViolations()).as("thread on the board").isEmpty();
            board.find("#conversation-text").sendKeys("Thanks, bed 12 is ready for you");
            board.find("#conversation-send").click();

            // The phone has the answer live (its thread is still open) and its own message now says who read it.
            phone.awaitText(Duration.ofSeconds(15), "#conversation-messages li", "Thanks, bed 12 is ready for you");
            phone.awaitText(Duration.ofSeconds(15), "#conversation-messages li.mine .receipts", "read by " + nicName);

            // A photo from the phone's camera roll: drawn upright, re-encoded, sent with a caption, shown in the thread.
            java.nio.file.Path photo = java.nio.file.Files.createTempFile("cannula-site", ".jpg");
            java.nio.file.Files.write(photo, org.pagerless.support.Photos.jpegWithLocation(640, 480));
            phone.find("#conversation-photo").sendKeys(photo.toAbsolutePath().toString());
            phone.awaitTextOf(Duration.ofSeconds(10), "#conversation-photo-ready", "Photo ready to send");
            phone.find("#conversation-text").sendKeys("Cannula site after removal");
            phone.find("#conversation-send").click();
            phone.await(Duration.ofSeconds(20), "the photo shown in the thread", d -> Boolean.TRUE.equals(phone.script(
                    "const i = document.querySelector('#conversation-messages li.mine img.photo');"
                            + " return !!i && i.complete && i.naturalWidth === 640;")) ? true : null);
            java.nio.file.Files.deleteIfExists(photo);
            // Muting the conversation is one tap, and the button says so.
            phone.find("#conversation-mute").click();
            phone.await(Duration.ofSeconds(10), "the conversation muted",
                    d -> "true".equals(phone.find("#conversation-mute").getAttribute("aria-pressed")) ? true : null);
            phone.screenshot("app-thread");
            assertThat(phone.accessibilityViolations()).as("thread on the phone").isEmpty();

            phone.find("#conversation-close").click();
            phone.find("#conversations-open").click();
            phone.awaitText(Duration.ofSeconds(10), "#conversation-list-items li", "Cannula · " + id.substring(0, 6).toUpperCase());
            phone.await(Duration.ofSeconds(10), "the roles to message",
                    d -> d.findElements(By.cssSelector("#conversation-role option[value='med-reg-oncall']")).size() == 1);
            assertThat(phone.accessibilityViolations()).as("conversation list on the phone").isEmpty();

            // Message the registrar on call as a role: the conversation opens, with whoever holds it now in it.
            new org.openqa.selenium.support.ui.Select(phone.find("#conversation-role")).selectByValue("med-reg-oncall");
            phone.find("#conversation-with-open").click();
            phone.awaitTextOf(Duration.ofSeconds(10), "#conversation-title", "Medical Registrar On-Call");
            String registrar = SWITCHBOARD.holdersOf("Medical Registrar On-Call").get(0);
            phone.awaitTextOf(Duration.ofSeconds(10), "#conversation-members",
                    Api.as(registrar).get("/api/v1/me").extract().path("name"));
        }
        SWITCHBOARD.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "browser test")).then().statusCode(200);
    }
}
