package org.pagerless.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.interop.hl7v2.MllpServer;
import org.pagerless.interop.snpp.SnppServer;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.xml.XmlPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/**
 * Hospital systems sign in with a secret Pagerless issued them (PBKDF2 at rest), through the same identity provider
 * in every profile: WCTP's senderID/securityCode, SNPP's LOGIn, HL7 MLLP's MSH-3/MSH-8 and HTTP Basic. An admin
 * issues, rotates and revokes it; a revoked system never falls back to the demo password. A system sees only the
 * tasks it raised and those of the wards in its scope, on REST and FHIR alike.
 */
@QuarkusTest
class IntegrationCredentialsFlowTest extends FlowTest {
    /** Two systems: the throttle counts the first one's refusals (per account), which must not slow the second. */
    static final String SYSTEM = "lab-system";
    static final String SCOPED = "ward-display";
    static final Api ADMIN = Api.as("admin");
    static final String SHO = "Medical SHO On-Call";

    @Inject
    SnppServer snpp;
    @Inject
    MllpServer mllp;

    private final List<String> raised = new ArrayList<>();

    @AfterEach
    void putBack() {
        ADMIN.request().body(Map.of("wards", List.of())).put("/api/v1/admin/integrations/" + SCOPED + "/scope");
        for (String id : raised) {
            ADMIN.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "test over"));
        }
    }

    @Test
    void aSystemSignsInWithItsOwnSecretOverWctpSnppAndMllpAndRotatingOrRevokingItStopsTheOldOne() throws Exception {
        exists(SYSTEM);
        Api.as("kate.morgan").post("/api/v1/admin/integrations/" + SYSTEM + "/secret").then().statusCode(403);
        String first = issueSecret(SYSTEM);
        assertThat(storedHash()).startsWith("pbkdf2-sha256$").doesNotContain(first);
        ADMIN.get("/api/v1/admin/integrations").statusCode(200)
                .body("find { it.id == '" + SYSTEM + "' }.secret", equalTo("set"))
                .body("findAll { it.secret == 'set' }.id", org.hamcrest.Matchers.hasItems("epr", "nurse-call", SYSTEM));

        String messageId = "LAB-" + UUID.randomUUID();
        XmlPath answer = wctp(first, messageId);
        assertThat(answer.getString("wctp-Operation.wctp-Confirmation.wctp-Success.@successCode")).isEqualTo("200");
        String paged = org.pagerless.intake.Intake.taskId(SYSTEM, messageId).toString();
        raised.add(paged);
        Tasks.awaitStatus(paged, "offered");
        assertThat(snppLogin(first)).isEqualTo("250 Login Accepted");
        assertThat(mllp(first)).contains("MSA|AA|");
        assertThat(mllp("not-the-secret")).contains("MSA|AR|"); // 1st refusal of the account

        String second = issueSecret(SYSTEM);
        assertThat(second).isNotEqualTo(first);
        assertThat(snppLogin(first)).startsWith("550 "); // 2nd
        assertThat(snppLogin(second)).isEqualTo("250 Login Accepted");

        ADMIN.request().delete("/api/v1/admin/integrations/" + SYSTEM + "/secret").then().statusCode(200)
                .body("secret", equalTo("revoked"));
        assertThat(snppLogin(second)).startsWith("550 "); // 3rd
        // The demo sign-in (on in tests) would take any member of staff with "demo": a revoked system gets no fallback.
        assertThat(snppLogin(Api.PASSWORD)).startsWith("550 "); // 4th
        XmlPath refused = wctp(Api.PASSWORD, "LAB-" + UUID.randomUUID()); // 5th
        assertThat(refused.getString("wctp-Operation.wctp-Confirmation.wctp-Failure.@errorCode")).isEqualTo("402");

        ADMIN.post("/api/v1/admin/integrations/nobody-at-all/secret").then().statusCode(404);
        ADMIN.post("/api/v1/admin/integrations/kate.morgan/secret").then().statusCode(404);
    }

    @Test
    void aSystemSeesOnlyTheTasksItRaisedAndThoseOfTheWardsInItsScopeOnRestAndFhir() throws SQLException {
        exists(SCOPED);
        String secret = issueSecret(SCOPED);
        String on7B = raise(Api.as("grace.okafor"), "7B");
        String on7A = raise(Api.as("mary.jones"), "7A");
        String ownOn7A = raise(system(secret), "7A");

        system(secret).get("/api/v1/tasks/" + on7B).then().statusCode(403);
        system(secret).get("/api/v1/tasks/" + ownOn7A).then().statusCode(200);

        ADMIN.request().body(Map.of("wards", List.of("7B", "Nowhere"))).put("/api/v1/admin/integrations/" + SCOPED
                + "/scope").then().statusCode(400).body("violations[0].field", equalTo("wards[1]"));
        ADMIN.request().body(Map.of("wards", List.of("7B"))).put("/api/v1/admin/integrations/" + SCOPED + "/scope")
                .then().statusCode(200).body("wards", equalTo(List.of("7B")));

        system(secret).get("/api/v1/tasks/" + on7B).then().statusCode(200);
        system(secret).get("/api/v1/tasks/" + on7A).then().statusCode(403);
        List<String> listed = system(secret).get("/api/v1/tasks?limit=1000").then().statusCode(200).extract()
                .jsonPath().getList("id");
        assertThat(listed).contains(on7B, ownOn7A).doesNotContain(on7A);

        fhir(secret).get("/fhir/Task/" + on7B).then().statusCode(200);
        fhir(secret).get("/fhir/Task/" + on7A).then().statusCode(403);
        List<String> found = fhir(secret).get("/fhir/Task?_count=200&status=requested").then().statusCode(200)
                .extract().jsonPath().getList("entry.resource.id");
        assertThat(found).contains(on7B, ownOn7A).doesNotContain(on7A);
    }

    // --- helpers ---

    /** The admin adds the system as a member of staff with the integration role (once per run). */
    private static void exists(String system) {
        if (ADMIN.get("/api/v1/rota/staff/" + system).extract().statusCode() == 404) {
            ADMIN.post("/api/v1/rota/staff", Map.of("id", system, "name", "System " + system + " (integration)",
                    "appRole", "integration")).then().statusCode(201);
        }
    }

    private static String issueSecret(String system) {
        return ADMIN.post("/api/v1/admin/integrations/" + system + "/secret").then().statusCode(200)
                .header("Cache-Control", "no-store").body("id", equalTo(system)).extract().path("secret");
    }

    private String raise(Object as, String ward) {
        Map<String, Object> request = new HashMap<>(Patients.cannulaRequest(Map.of("person", "mia.clark"), "routine"));
        request.put("location", Map.of("ward", ward, "bed", "3"));
        RequestSpecification spec = as instanceof Api api ? api.request() : (RequestSpecification) as;
        String id = spec.contentType("application/json").body(request).post("/api/v1/tasks").then().statusCode(202)
                .extract().path("id");
        raised.add(id);
        Tasks.awaitStatus(id, "offered");
        return id;
    }

    private static RequestSpecification system(String secret) {
        return given().auth().preemptive().basic(SCOPED, secret).accept("application/json");
    }

    private static RequestSpecification fhir(String secret) {
        return given().auth().preemptive().basic(SCOPED, secret).accept("application/fhir+json");
    }

    private static XmlPath wctp(String secret, String messageId) {
        String document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><wctp-Operation wctpVersion=\"wctp-dtd-v1r3\">"
                + "<wctp-SubmitRequest><wctp-SubmitHeader submitTimestamp=\"2026-12-01T10:00:00\">"
                + "<wctp-Originator senderID=\"" + SYSTEM + "\" securityCode=\"" + secret + "\"/>"
                + "<wctp-MessageControl messageID=\"" + messageId + "\" allowResponse=\"true\" "
                + "notifyWhenDelivered=\"true\" notifyWhenRead=\"true\" deliveryPriority=\"LOW\"/>"
                + "<wctp-Recipient recipientID=\"" + bleepOf(SHO) + "\"/></wctp-SubmitHeader>"
                + "<wctp-Payload><wctp-Alphanumeric>Lab result ready, call 4417</wctp-Alphanumeric></wctp-Payload>"
                + "</wctp-SubmitRequest></wctp-Operation>";
        String body = given().contentType("text/xml").body(document).post("/wctp").then().statusCode(200).extract()
                .asString();
        return new XmlPath(body.replaceFirst("<!DOCTYPE[^>]*>", ""));
    }

    private static String bleepOf(String role) {
        return ADMIN.get("/api/v1/roles").statusCode(200).extract().jsonPath()
                .getString("find { it.name == '" + role + "' }.bleep");
    }

    /** LOGIn on a fresh SNPP connection; the answer to it. */
    private String snppLogin(String secret) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", snpp.port())) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            out.write(("LOGI " + SYSTEM + " " + secret + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = in.readLine();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return answer;
        }
    }

    /** An ADT^A08 signed in with MSH-3 (the system) and MSH-8 (its secret), MLLP-framed; the framed ACK back. */
    private String mllp(String secret) throws IOException {
        String message = "MSH|^~\\&|" + SYSTEM + "|ST-ELSEWHERE|PAGERLESS|ST-ELSEWHERE|20261201100000|" + secret
                + "|ADT^A08^ADT_A01|LAB" + System.nanoTime() + "|P|2.5.1\r"
                + "EVN|A08|20261201100000\r"
                + "PID|1||4010232137^^^NHS^NH||Testpatient-Other^Alan||19500101|M\r"
                + "PV1|1|I|7B^^12\r";
        try (Socket socket = new Socket("127.0.0.1", mllp.port())) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            out.write(0x0B);
            out.write(message.getBytes(StandardCharsets.UTF_8));
            out.write(0x1C);
            out.write(0x0D);
            out.flush();
            assertThat(in.read()).isEqualTo(0x0B);
            ByteArrayOutputStream ack = new ByteArrayOutputStream();
            for (int b = in.read(); b != 0x1C; b = in.read()) {
                assertThat(b).isNotNegative();
                ack.write(b);
            }
            return ack.toString(StandardCharsets.UTF_8);
        }
    }

    private static String storedHash() throws SQLException {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("select secret_hash from integration_system where id = ?")) {
            ps.setString(1, SYSTEM);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
