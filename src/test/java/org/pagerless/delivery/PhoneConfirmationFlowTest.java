package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.pagerless.support.Deliveries.awaitDelivery;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.support.Api;
import org.pagerless.support.Browser;
import org.pagerless.support.FakeTwilio;
import org.pagerless.support.FakeTwilio.Device;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A number receives pages (texts and calls) only once its person has entered the code texted to it, over the real
 * broker, database, outbox and fake Twilio. Dr Mia Clark (paged by no other test) moves to new numbers; a page to an
 * unconfirmed number is not sent, says so where the board reads it, and the task goes on up its chain as for any
 * failed channel. Everything changed is put back.
 */
@QuarkusTest
class PhoneConfirmationFlowTest extends FlowTest {
    static final String DOCTOR = "mia.clark";
    /** Numbers no one in the demo hospital has. */
    static final String NEW_MOBILE = "+447700900314"; // nobody else's, in any test
    static final String OTHER_MOBILE = "+447700900778";
    static final FakeTwilio TWILIO = PagerlessInfra.twilio();
    static final Api WARD_NURSE = Api.as("grace.okafor");

    @Inject
    TestClock clock;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final List<Device> devices = new ArrayList<>();
    private final List<String> raised = new ArrayList<>();

    @AfterEach
    void putBack() throws SQLException {
        clock.reset();
        for (String id : raised) {
            WARD_NURSE.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "test over"));
            TWILIO.discardMentioning(ref(id));
        }
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement contact = c.prepareStatement("delete from contact where staff_id = ?");
             PreparedStatement code = c.prepareStatement("delete from phone_code where staff_id = ?");
             PreparedStatement confirmed = c.prepareStatement("delete from phone_confirmed where phone in (?, ?)")) {
            contact.setString(1, DOCTOR);
            contact.executeUpdate();
            code.setString(1, DOCTOR);
            code.executeUpdate();
            confirmed.setString(1, NEW_MOBILE);
            confirmed.setString(2, OTHER_MOBILE);
            confirmed.executeUpdate();
        }
        devices.forEach(Device::assertNothingElse);
    }

    @Test
    void aPageToANumberNotYetConfirmedIsNotSentSaysSoOnTheBoardAndGoesOnceTheCodeIsEntered() throws SQLException {
        Api doctor = Api.as(DOCTOR);
        Device phone = device(NEW_MOBILE);
        doctor.request().body(Map.of("phone", NEW_MOBILE)).put("/api/v1/me/contact").then().statusCode(200)
                .body("phone", equalTo(NEW_MOBILE)).body("phoneConfirmed", equalTo(false))
                .body("codeSentAt", notNullValue());
        String text = phone.expectSms("Pagerless code").body();
        String code = codeIn(text);
        assertThat(text).doesNotContain(Patients.NHS_NUMBER).doesNotContain(Patients.NAME);
        // Hashed at rest: the code itself is nowhere in the database.
        assertThat(storedCodeHash()).startsWith("pbkdf2-sha256$").doesNotContain(code);

        String unconfirmed = raiseFor(DOCTOR, "stat");
        raised.add(unconfirmed);
        assertThat(awaitDelivery(DOCTOR, unconfirmed, "sms", "failed").get("reason"))
                .isEqualTo(PhoneConfirmations.NOT_CONFIRMED);
        assertThat(awaitDelivery(DOCTOR, unconfirmed, "voice", "failed").get("reason"))
                .isEqualTo(PhoneConfirmations.NOT_CONFIRMED);
        // The nurse in charge sees why nothing reached the phone; the task stays offered with its escalation timer
        // running, as after any failed channel. (Nothing was texted or rung: checked after the test.)
        List<Map<String, Object>> state = WARD_NURSE.get("/api/v1/tasks/" + unconfirmed + "/deliveries").statusCode(200)
                .extract().jsonPath().getList("find { it.staffId == '" + DOCTOR + "' }.channels");
        assertThat(state).anyMatch(c -> "sms".equals(c.get("channel")) && "failed".equals(c.get("status"))
                && String.valueOf(c.get("reason")).startsWith("number not confirmed"));
        assertThat(WARD_NURSE.status(unconfirmed)).isEqualTo("offered");
        assertThat(escalationTimers(unconfirmed)).isEqualTo(1);

        doctor.post("/api/v1/me/contact/confirm", Map.of("code", wrong(code))).then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("code"))
                .body("violations[0].reason", containsString("4 tries left"));
        doctor.post("/api/v1/me/contact/confirm", Map.of("code", code)).then().statusCode(200)
                .body("phoneConfirmed", equalTo(true)).body("codeSentAt", equalTo(null));

        String confirmed = raiseFor(DOCTOR, "stat");
        raised.add(confirmed);
        phone.expectSms("STAT task", ref(confirmed));
        phone.expectCall();
        awaitDelivery(DOCTOR, confirmed, "sms", "queued");
    }

    @Test
    void codesExpireAllowFiveTriesAreNotResentAtOnceAndANewNumberIsUnconfirmedAgain() throws SQLException {
        Api doctor = Api.as(DOCTOR);
        Device phone = device(NEW_MOBILE);
        doctor.request().body(Map.of("phone", NEW_MOBILE)).put("/api/v1/me/contact").then().statusCode(200);
        String first = codeIn(phone.expectSms("Pagerless code").body());
        doctor.post("/api/v1/me/contact/code").then().statusCode(429).header("Retry-After", notNullValue());

        clock.advance(Duration.ofMinutes(11));
        doctor.post("/api/v1/me/contact/confirm", Map.of("code", first)).then().statusCode(400)
                .body("violations[0].reason", equalTo("has expired: ask for a new one"));

        doctor.post("/api/v1/me/contact/code").then().statusCode(202).body("phone", equalTo(NEW_MOBILE));
        String second = codeIn(phone.expectSms("Pagerless code").body());
        for (int i = 0; i < 5; i++) {
            doctor.post("/api/v1/me/contact/confirm", Map.of("code", wrong(second))).then().statusCode(400);
        }
        doctor.post("/api/v1/me/contact/confirm", Map.of("code", second)).then().statusCode(400)
                .body("violations[0].reason", equalTo("was entered wrongly too many times: ask for a new one"));
        doctor.post("/api/v1/me/contact/confirm", Map.of("code", "12ab")).then().statusCode(400)
                .body("violations[0].field", equalTo("code"));

        clock.advance(Duration.ofMinutes(2));
        doctor.post("/api/v1/me/contact/code").then().statusCode(202);
        doctor.post("/api/v1/me/contact/confirm", Map.of("code", codeIn(phone.expectSms("Pagerless code").body())))
                .then().statusCode(200).body("phoneConfirmed", equalTo(true));
        doctor.post("/api/v1/me/contact/code").then().statusCode(409);

        // Changing the number un-confirms it: the new one needs its own code.
        Device other = device(OTHER_MOBILE);
        doctor.request().body(Map.of("phone", OTHER_MOBILE)).put("/api/v1/me/contact").then().statusCode(200)
                .body("phoneConfirmed", equalTo(false));
        other.expectSms("Pagerless code");
    }

    @Test
    void thePhoneAppAsksForTheCodeAndConfirmsTheNumber() {
        Api doctor = Api.as(DOCTOR);
        Device phone = device(NEW_MOBILE);
        doctor.request().body(Map.of("phone", NEW_MOBILE)).put("/api/v1/me/contact").then().statusCode(200);
        String code = codeIn(phone.expectSms("Pagerless code").body());
        try (Browser app = Browser.phone(port, DOCTOR)) {
            app.open("/app").awaitLive();
            app.awaitText(Duration.ofSeconds(20), "section.phone-confirm", "only once you confirm it");
            app.find("#phone-code").sendKeys(wrong(code));
            app.click(Duration.ofSeconds(5), "section.phone-confirm button:not(.secondary)");
            app.awaitText(Duration.ofSeconds(10), "#phone-code-error", "tries left");
            app.find("#phone-code").clear();
            app.find("#phone-code").sendKeys(code);
            app.click(Duration.ofSeconds(5), "section.phone-confirm button:not(.secondary)");
            app.await(Duration.ofSeconds(10), "the confirmation box to go",
                    d -> d.findElements(org.openqa.selenium.By.cssSelector("section.phone-confirm")).isEmpty());
        }
        doctor.get("/api/v1/me/contact").statusCode(200).body("phoneConfirmed", equalTo(true));
    }

    /** The six digits of a code text. */
    static String codeIn(String text) {
        Matcher m = Pattern.compile("Pagerless code ([0-9]{6})").matcher(text);
        assertThat(m.find()).as("a code in: " + text).isTrue();
        return m.group(1);
    }

    private static String wrong(String code) {
        return code.charAt(0) == '9' ? "0" + code.substring(1) : (char) (code.charAt(0) + 1) + code.substring(1);
    }

    private Device device(String number) {
        Device d = TWILIO.device(number);
        devices.add(d);
        return d;
    }

    private static String storedCodeHash() throws SQLException {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("select code_hash from phone_code where staff_id = ?")) {
            ps.setString(1, DOCTOR);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static int escalationTimers(String taskId) throws SQLException {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("select count(*) from timer where task_id = ?::uuid")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
