package org.pagerless.interop.fhir;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FhirWire;
import org.pagerless.support.FlowTest;
import org.pagerless.support.TestClock;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * An EPR subscribes (FHIR R4 rest-hook) to a patient's tasks and a real HTTP receiver on this machine is told of each
 * change: signed, retried after a failure with the backoff kept in the database, the same notification id on every
 * retry, through the real broker and database.
 */
@QuarkusTest
class FhirSubscriptionFlowTest extends FlowTest {
    static final String NHS = "9990001235";
    static final String SECRET = "a-long-shared-secret-for-the-epr";

    @Inject
    TestClock clock;
    @Inject
    FhirSubscriptions subscriptions;

    /** What the EPR's receiver got, in order. */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Statuses the receiver answers with, in turn; 200 once they run out. */
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/epr/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            Integer status = answers.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void anEprIsToldOfEachChangeSignedAndAFailedNotificationIsRetriedAfterItsBackoff() throws Exception {
        answers.add(503);
        Response created = FhirWire.as("epr").body(FhirWire.json(subscription("Task?patient:identifier="
                + "https://fhir.nhs.uk/Id/nhs-number|" + NHS, FhirWire.JSON))).post("/fhir/Subscription");
        created.then().statusCode(201);
        String location = created.header("Location");
        assertThat(location).contains("/fhir/Subscription/");
        String subscriptionPath = location.substring(location.indexOf("/fhir/"));
        String read = FhirWire.as("epr").get(subscriptionPath).then().statusCode(200).extract().asString();
        FhirWire.assertValid(read);
        Subscription stored = FhirWire.parse(Subscription.class, read);
        assertThat(stored.getStatus()).isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
        assertThat(stored.getChannel().getHeader()).extracting(StringType::getValue)
                .containsExactly("Authorization: ***");
        assertThat(read).doesNotContain(SECRET).doesNotContain("hook-token");
        // Only the system that made it may see it.
        FhirWire.as("nurse-call").get(subscriptionPath).then().statusCode(404);

        Task cannula = FhirFlowTest.cannula("urgent", NHS);
        String id = FhirFlowTest.raise("epr", cannula);

        // The first try is refused by the receiver: the subscription shows the error, and nothing more is sent
        // until the backoff has passed on the application's clock.
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 1);
        Received first = received.get(0);
        assertThat(first.method()).isEqualTo("PUT");
        assertThat(first.path()).isEqualTo("/epr/hook/Task/" + id);
        await().atMost(Duration.ofSeconds(10)).until(() -> FhirWire.parse(Subscription.class, FhirWire.as("epr")
                .get(subscriptionPath).then().extract().asString()).getStatus() == Subscription.SubscriptionStatus.ERROR);
        assertThat(FhirWire.parse(Subscription.class, FhirWire.as("epr").get(subscriptionPath).then().extract()
                .asString()).getError()).isEqualTo("HTTP 503");

        clock.advance(Duration.ofSeconds(11));
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 2);
        Received retry = received.get(1);
        assertThat(retry.header("X-Pagerless-Notification-Id")).isEqualTo(first.header("X-Pagerless-Notification-Id"));
        assertSigned(retry);
        assertThat(retry.header("Authorization")).isEqualTo("Bearer hook-token");
        assertThat(retry.header("Content-Type")).startsWith("application/fhir+json");
        FhirWire.assertValid(retry.body());
        Task told = FhirWire.parse(Task.class, retry.body());
        assertThat(told.getIdElement().getIdPart()).isEqualTo(id);
        assertThat(told.getFor().getIdentifier().getValue()).isEqualTo(NHS);
        await().atMost(Duration.ofSeconds(10)).until(() -> FhirWire.parse(Subscription.class, FhirWire.as("epr")
                .get(subscriptionPath).then().extract().asString()).getStatus() == Subscription.SubscriptionStatus.ACTIVE);

        // The doctor accepts: one more notification, a new id, the task as accepted.
        String holder = FhirFlowTest.SWITCHBOARD.holdersOf(FhirFlowTest.SHO).get(0);
        FhirFlowTest.change(holder, id, FhirFlowTest.status(id, Task.TaskStatus.ACCEPTED)).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 3);
        Received accepted = received.get(2);
        assertSigned(accepted);
        assertThat(accepted.header("X-Pagerless-Notification-Id"))
                .isNotEqualTo(first.header("X-Pagerless-Notification-Id"));
        assertThat(FhirWire.parse(Task.class, accepted.body()).getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
        // Raised (offered in the same change) once, tried twice; accepted once: nothing queued twice.
        assertThat(received).hasSize(3);
        java.util.UUID subscriptionId = java.util.UUID.fromString(subscriptionPath.replaceAll(".*/", ""));
        // The receiver has the request before the sender has its answer recorded: wait for the record.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(subscriptions.notifications(subscriptionId))
                .extracting(r -> r[0] + "/" + r[1]).containsExactly("delivered/2", "delivered/1"));

        FhirWire.as("epr").delete(subscriptionPath).then().statusCode(204);
        FhirWire.as("epr").get(subscriptionPath).then().statusCode(404);
        assertThat(subscriptions.notifications(subscriptionId)).isEmpty();
    }

    @Test
    void aSubscriptionWithoutPayloadIsAnEmptyPostToTheEndpoint() throws Exception {
        String nhs = "9990001243";
        Response created = FhirWire.as("epr").body(FhirWire.json(subscription("Task?patient:identifier="
                + "https://fhir.nhs.uk/Id/nhs-number|" + nhs, null))).post("/fhir/Subscription");
        created.then().statusCode(201);
        String id = FhirFlowTest.raise("epr", FhirFlowTest.cannula("routine", nhs));
        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        Received hook = received.get(0);
        assertThat(hook.method()).isEqualTo("POST");
        assertThat(hook.path()).isEqualTo("/epr/hook");
        assertThat(hook.body()).isEmpty();
        assertSigned(hook);
        assertThat(hook.header("X-Pagerless-Event-Id")).isNotBlank();
        assertThat(id).isNotBlank();
        String location = created.header("Location");
        FhirWire.as("epr").delete(location.substring(location.indexOf("/fhir/"))).then().statusCode(204);
    }

    @Test
    void badSubscriptionsAreRefusedNamingTheElementAndOnlyHospitalSystemsMaySubscribe() {
        Subscription bad = subscription("Patient?name=x", "text/plain");
        bad.getChannel().setEndpoint("http://example.org/hook");
        bad.getExtension().clear();
        String body = FhirWire.as("epr").body(FhirWire.json(bad)).post("/fhir/Subscription").then().statusCode(400)
                .extract().asString();
        FhirWire.assertValid(body);
        assertThat(FhirWire.parse(OperationOutcome.class, body).getIssue())
                .extracting(i -> i.getExpression().get(0).getValue())
                .contains("Subscription.criteria", "Subscription.channel.endpoint", "Subscription.channel.payload",
                        "Subscription.extension('" + FhirSubscriptionResource.SECRET_EXTENSION + "')");
        String unknownParameter = FhirWire.as("epr").body(FhirWire.json(subscription("Task?stauts=accepted", null)))
                .post("/fhir/Subscription").then().statusCode(400).extract().asString();
        assertThat(FhirWire.parse(OperationOutcome.class, unknownParameter).getIssueFirstRep().getDiagnostics())
                .contains("stauts");
        FhirWire.as("grace.okafor").body(FhirWire.json(subscription("Task", null))).post("/fhir/Subscription")
                .then().statusCode(403);
        given().contentType(FhirWire.JSON).body(FhirWire.json(subscription("Task", null))).post("/fhir/Subscription")
                .then().statusCode(401);
    }

    @Test
    void theCapabilityStatementSaysSubscriptionsCanBeCreatedReadAndDeleted() {
        CapabilityStatement cs = FhirWire.parse(CapabilityStatement.class,
                given().accept(FhirWire.JSON).get("/fhir/metadata").then().statusCode(200).extract().asString());
        assertThat(cs.getRestFirstRep().getResource()).filteredOn(r -> r.getType().equals("Subscription"))
                .singleElement().satisfies(r -> assertThat(r.getInteraction()).extracting(i -> i.getCode().toCode())
                        .containsExactlyInAnyOrder("create", "read", "delete"));
    }

    private Subscription subscription(String criteria, String payload) {
        Subscription s = new Subscription();
        s.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        s.setReason("Tell the EPR when its orders change");
        s.setCriteria(criteria);
        s.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK)
                .setEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort() + "/epr/hook");
        if (payload != null) {
            s.getChannel().setPayload(payload);
        }
        s.getChannel().addHeader("Authorization: Bearer hook-token");
        s.addExtension(FhirSubscriptionResource.SECRET_EXTENSION, new StringType(SECRET));
        return s;
    }

    /** Checks the signature as a receiver would: HMAC-SHA256 of "t.notificationId.body" with the shared secret. */
    private static void assertSigned(Received r) throws Exception {
        String header = r.header("X-Pagerless-Signature");
        assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
        String t = header.substring(2, header.indexOf(','));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + r.header("X-Pagerless-Notification-Id")
                + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(header).endsWith("v1=" + expected);
    }
}
