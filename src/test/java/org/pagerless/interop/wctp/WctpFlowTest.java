package org.pagerless.interop.wctp;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.xml.XmlPath;

/** A nurse-call system and a paging gateway paging over WCTP 1.3, through the real broker and database. */
@QuarkusTest
class WctpFlowTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final String DOCTYPE = "<!DOCTYPE wctp-Operation SYSTEM \"http://dtd.wctp.org/wctp-dtd-v1r3.dtd\">";

    @Test
    void aNurseCallSystemPagesARoleByBleepNumberAndTheDoctorsAreOfferedIt() {
        String messageId = UUID.randomUUID().toString();
        XmlPath answer = post(submit("nurse-call", "demo", messageId, bleepOf(SHO), "HIGH",
                "<wctp-Alphanumeric>Bed 12 call bell: patient unwell, please call 4417</wctp-Alphanumeric>"));
        assertThat(answer.getString("wctp-Operation.wctp-Confirmation.wctp-Success.@successCode")).isEqualTo("200");

        String id = taskOf("nurse-call", messageId);
        Tasks.awaitStatus(id, "offered");
        Map<String, Object> task = SWITCHBOARD.task(id);
        assertThat(task).containsEntry("kind", "bleep").containsEntry("priority", "asap")
                .containsEntry("message", "Bed 12 call bell: patient unwell, please call 4417");
        assertThat(((Map<?, ?>) task.get("requester")).get("id")).isEqualTo("nurse-call");

        // A retry with the same messageID is answered the same way; it names the same task, so it pages once.
        XmlPath again = post(submit("nurse-call", "demo", messageId, bleepOf(SHO), "HIGH",
                "<wctp-Alphanumeric>Bed 12 call bell: patient unwell, please call 4417</wctp-Alphanumeric>"));
        assertThat(again.getString("wctp-Operation.wctp-Confirmation.wctp-Success.@successCode")).isEqualTo("200");
    }

    @Test
    void aMultipleChoicePageReportsTheDoctorsAcceptAsTheClientsOwnReplyText() {
        String messageId = UUID.randomUUID().toString();
        post(submit("nurse-call", "demo", messageId, SHO, "NORMAL", "<wctp-MCR>"
                + "<wctp-MessageText>Bay 3 bed 2 alarm: SpO2 88%</wctp-MessageText>"
                + "<wctp-Choice>Coming</wctp-Choice><wctp-Choice>Cannot come</wctp-Choice></wctp-MCR>"));
        String id = taskOf("nurse-call", messageId);
        Tasks.awaitStatus(id, "offered");
        XmlPath queued = post(query("nurse-call", messageId));
        assertThat(queued.getString("wctp-Operation.wctp-ClientQueryResponse.wctp-ClientMessage"
                + ".wctp-ClientStatusInfo.wctp-Notification.@type")).isEqualTo("QUEUED");

        String holder = SWITCHBOARD.holdersOf(SHO).get(0);
        Api.as(holder).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        XmlPath replied = post(query("nurse-call", messageId));
        assertThat(replied.getString("**.find { it.name() == 'wctp-ClientMessageReply' }.wctp-Payload"
                + ".wctp-Alphanumeric")).isEqualTo("Coming");
        assertThat(replied.getString("**.find { it.name() == 'wctp-ClientMessageReply' }.@MCRMessageReply"))
                .isEqualTo("true");
        assertThat(replied.getString("**.find { it.name() == 'wctp-ClientMessageReply' }"
                + ".wctp-ClientResponseHeader.wctp-Originator.@senderID")).isEqualTo(holder);
    }

    @Test
    void whenTheClientAskedToHearOfDeliveryAPageShownOnADoctorsPhoneIsReportedDelivered() {
        String messageId = UUID.randomUUID().toString();
        post(submit("nurse-call", "demo", messageId, SHO, "NORMAL",
                "<wctp-Alphanumeric>Bed 7 call bell</wctp-Alphanumeric>"));
        String id = taskOf("nurse-call", messageId);
        Tasks.awaitStatus(id, "offered");
        String holder = SWITCHBOARD.holdersOf(SHO).get(0);
        Map<String, Object> inApp = org.pagerless.support.Deliveries.awaitDelivery(holder, id, "in-app", "sent");
        assertThat(post(query("nurse-call", messageId)).getList("**.findAll { it.name() == 'wctp-Notification' }"
                + ".@type")).containsExactly("QUEUED");

        // The doctor's app shows it: the delivery feature records it delivered, and WCTP reports it.
        Api.as(holder).post("/api/v1/me/notifications/" + inApp.get("id") + "/delivered").then().statusCode(200);
        XmlPath delivered = post(query("nurse-call", messageId));
        assertThat(delivered.getList("**.findAll { it.name() == 'wctp-Notification' }.@type"))
                .containsExactly("QUEUED", "DELIVERED");
        assertThat(delivered.getString("**.find { it.name() == 'wctp-ClientStatusInfo' && "
                + "it.'wctp-Notification'.@type == 'DELIVERED' }.wctp-ClientResponseHeader.wctp-Originator.@senderID"))
                .isEqualTo(holder);

        // Accepted: READ follows.
        Api.as(holder).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        assertThat(post(query("nurse-call", messageId)).getList("**.findAll { it.name() == 'wctp-Notification' }"
                + ".@type")).containsExactly("QUEUED", "DELIVERED", "READ");
    }

    @Test
    void wrongCredentialsAnUnknownRecipientAndABadPriorityEachGetTheirWctpCode() {
        String alphanumeric = "<wctp-Alphanumeric>Call 4417</wctp-Alphanumeric>";
        assertThat(failure(post(submit("nurse-call", "wrong", "m1", SHO, "HIGH", alphanumeric)))).isEqualTo("402");
        // A member of staff is not a hospital system, even with the right password.
        assertThat(failure(post(submit("sam.patel", "demo", "m2", SHO, "HIGH", alphanumeric)))).isEqualTo("402");
        assertThat(failure(post(submit("nurse-call", "demo", "m3", "no-such-pager", "HIGH", alphanumeric))))
                .isEqualTo("403");
        assertThat(failure(post(submit("nurse-call", "demo", "m4", SHO, "SOON", alphanumeric)))).isEqualTo("302");
        assertThat(failure(post(query("nurse-call", "never-sent")))).isEqualTo("404");
    }

    @Test
    void malformedXmlExternalEntitiesAndEntityBombsAreRefusedWithoutFetchingOrExpandingAnything() {
        assertThat(failure(post("<wctp-Operation wctpVersion=\"wctp-dtd-v1r3\"><wctp-SubmitRequest>")))
                .isEqualTo("301");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE wctp-Operation [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>"
                + "<wctp-Operation wctpVersion=\"wctp-dtd-v1r3\"><wctp-SubmitRequest><wctp-SubmitHeader>"
                + "<wctp-Originator senderID=\"nurse-call\" securityCode=\"demo\"/>"
                + "<wctp-MessageControl messageID=\"x1\"/><wctp-Recipient recipientID=\"" + SHO + "\"/>"
                + "</wctp-SubmitHeader><wctp-Payload><wctp-Alphanumeric>&secret;</wctp-Alphanumeric></wctp-Payload>"
                + "</wctp-SubmitRequest></wctp-Operation>";
        XmlPath refused = post(xxe);
        assertThat(failure(refused)).isEqualTo("301");
        StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE wctp-Operation [<!ENTITY l0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            bomb.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        bomb.append("]><wctp-Operation wctpVersion=\"wctp-dtd-v1r3\"><wctp-VersionQuery inquirer=\"x\">&l9;"
                + "</wctp-VersionQuery></wctp-Operation>");
        assertThat(failure(post(bomb.toString()))).isEqualTo("301");
        assertThat(failure(post("<wctp-Operation wctpVersion=\"wctp-dtd-v1r3\">" + "<x/>".repeat(20_000)
                + "</wctp-Operation>"))).isEqualTo("301");
    }

    // --- helpers ---

    static String submit(String sender, String code, String messageId, String recipient, String priority,
                         String payload) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + DOCTYPE
                + "<wctp-Operation wctpVersion=\"wctp-dtd-v1r3\"><wctp-SubmitRequest>"
                + "<wctp-SubmitHeader submitTimestamp=\"2026-12-01T10:00:00\">"
                + "<wctp-Originator senderID=\"" + sender + "\" securityCode=\"" + code + "\"/>"
                + "<wctp-MessageControl messageID=\"" + messageId + "\" allowResponse=\"true\" "
                + "notifyWhenDelivered=\"true\" notifyWhenRead=\"true\" deliveryPriority=\"" + priority + "\"/>"
                + "<wctp-Recipient recipientID=\"" + recipient + "\"/></wctp-SubmitHeader>"
                + "<wctp-Payload>" + payload + "</wctp-Payload></wctp-SubmitRequest></wctp-Operation>";
    }

    static String query(String sender, String trackingNumber) {
        return "<?xml version=\"1.0\"?>" + DOCTYPE + "<wctp-Operation wctpVersion=\"wctp-dtd-v1r3\" wctpToken=\"demo\">"
                + "<wctp-ClientQuery senderID=\"" + sender + "\" recipientID=\"" + SHO + "\" trackingNumber=\""
                + trackingNumber + "\"/></wctp-Operation>";
    }

    static XmlPath post(String document) {
        String body = given().contentType("text/xml").body(document).post("/wctp").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.containsString("xml")).extract().asString();
        assertThat(body).contains("<!DOCTYPE wctp-Operation SYSTEM \"http://dtd.wctp.org/wctp-dtd-v1r3.dtd\">");
        return new XmlPath(body.replaceFirst("<!DOCTYPE[^>]*>", ""));
    }

    static String failure(XmlPath answer) {
        return answer.getString("wctp-Operation.wctp-Confirmation.wctp-Failure.@errorCode");
    }

    static String bleepOf(String role) {
        return given().auth().preemptive().basic("sam.patel", Api.PASSWORD).get("/api/v1/roles").then()
                .extract().jsonPath().getString("find { it.name == '" + role + "' }.bleep");
    }

    /** The task a page became: its id is derived from the sender and messageID, as intake derives it. */
    static String taskOf(String sender, String messageId) {
        String id = org.pagerless.intake.Intake.taskId(sender, messageId).toString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> SWITCHBOARD.get("/api/v1/tasks/" + id)
                .statusCode(200).body("id", equalTo(id)));
        return id;
    }

}
