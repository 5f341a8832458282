package org.pagerless.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.pagerless.support.Api;
import org.pagerless.support.Browser;
import org.pagerless.support.FlowTest;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The three apps in a real headless Chromium, against the running app with its real broker and
 * database: switchboard console, the doctor's phone and the ward board, each its own browser and user.
 */
@QuarkusTest
class AppsBrowserTest extends FlowTest {
    static final String REGISTRAR = "Medical Registrar On-Call";
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
            board.open("/board").awaitLive();
            console.open("/switchboard").awaitLive();
            assertThat(phone.find("#shift").getText()).startsWith("On shift as:").contains(REGISTRAR).contains("until");

            // Switchboard: type, pick (Enter), then Bleep.
            WebElement who = console.find("#who");
            who.sendKeys("medical reg");
            console.awaitText(Duration.ofSeconds(5), "#who-list [role=option]", REGISTRAR);
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
            assertThat(card.findElement(By.cssSelector("a.call")).getAttribute("href")).isEqualTo("tel:" + ext);
            assertThat(card.getText()).contains("Please call re bed 12").contains("From Sam Patel");
            phone.screenshot("app-offered");

            card.findElement(By.xpath(".//button[.='Accept']")).click();
            phone.awaitText(Duration.ofSeconds(10), "li.card", "Accepted by you");
            long accepted = System.nanoTime();

            WebElement row = board.awaitText(Duration.ofSeconds(5), "#tasks tbody tr", "Bleep: call " + ext);
            board.await(Duration.ofSeconds(5), "the board to show the bleep accepted", d -> {
                WebElement r = board.awaitText(Duration.ofSeconds(5), "#tasks tbody tr", "Bleep: call " + ext);
                return r.getText().contains("Accepted by") ? r : null;
            });
            assertThat(Duration.ofNanos(System.nanoTime() - accepted)).isLessThanOrEqualTo(Duration.ofSeconds(5));
            console.awaitText(Duration.ofSeconds(5), "#sent li", "accepted by");
            board.screenshot("board");
            console.screenshot("switchboard");
            phone.screenshot("app-accepted");
            assertThat(row).isNotNull();
        }
    }
}
