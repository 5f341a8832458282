package org.pagerless.board;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.equalToIgnoringCase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The apps over plain HTTP: who may open which page, what a browser may do from another site, and
 * the read endpoints behind the board and the switchboard console.
 */
@QuarkusTest
class PagesFlowTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api NIC = Api.as("grace.okafor");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void everyAppAsksTheBrowserToSignInFirst() {
        for (String page : List.of("/app", "/board", "/switchboard")) {
            given().get(page).then().statusCode(401)
                    .header("WWW-Authenticate", equalToIgnoringCase("basic realm=\"Pagerless\""));
        }
    }

    @Test
    void eachAppOpensOnlyForTheRolesItServes() {
        String registrar = SWITCHBOARD.holdersOf("Medical Registrar On-Call").get(0);
        Api.as(registrar).request().accept("text/html").get("/app").then().statusCode(200)
                .body(containsString("On shift as: <strong>Medical Registrar On-Call</strong> (until "))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Cache-Control", "no-store");
        Api.as(registrar).request().accept("text/html").get("/switchboard").then().statusCode(403)
                .body(containsString("Switchboard console is not for your role"));
        Api.as(registrar).request().accept("text/html").get("/board").then().statusCode(403);
        NIC.request().accept("text/html").get("/board").then().statusCode(200).body(containsString("Request a task"));
        SWITCHBOARD.request().accept("text/html").get("/switchboard").then().statusCode(200)
                .body(containsString("Needs a human"));
        Api.as("epr").request().accept("text/html").get("/app").then().statusCode(403);
    }

    @Test
    void theAppShellIsPublicAndInstallableButHoldsNoData() {
        given().get("/app.webmanifest").then().statusCode(200).contentType("application/manifest+json").body("start_url", equalTo("/app"))
                .body("icons.sizes", hasItem("192x192")).body("icons.sizes", hasItem("512x512"));
        given().get("/sw.js").then().statusCode(200).body(containsString("never stores API answers"));
        for (String icon : List.of("/assets/icons/icon-192.png", "/assets/icons/icon-512.png",
                "/assets/icons/icon-maskable-512.png")) {
            given().get(icon).then().statusCode(200).contentType("image/png");
        }
        given().get("/assets/js/app.js").then().statusCode(200);
        given().get("/api/v1/me/tasks").then().statusCode(401);
    }

    @Test
    void aPageOnAnotherSiteCannotUseTheBrowsersSignInToChangeAnything() {
        Map<String, Object> bleep = Map.of("to", Map.of("role", "Medical SHO On-Call"), "callback", "4417",
                "priority", "routine");
        SWITCHBOARD.request().header("Origin", "https://evil.example").body(bleep).post("/api/v1/bleeps").then()
                .statusCode(403).contentType("application/problem+json");
        SWITCHBOARD.request().header("Sec-Fetch-Site", "cross-site").body(bleep).post("/api/v1/bleeps").then()
                .statusCode(403);
        // The apps' own requests, and systems that are not browsers, are unaffected.
        SWITCHBOARD.request().header("Origin", "http://localhost:" + port).header("Sec-Fetch-Site", "same-origin")
                .body(bleep).post("/api/v1/bleeps").then().statusCode(202);
        SWITCHBOARD.request().body(bleep).post("/api/v1/bleeps").then().statusCode(202);
    }

    @Test
    void theLiveFeedOpensOnlyForPagesOfThisSite() throws Exception {
        assertThatThrownBy(() -> live("https://evil.example")).hasRootCauseMessage("Unexpected HTTP response status code 403");
        live("http://localhost:" + port).sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void theBoardListsOpenTasksUnacceptedFirstWithTheirDeclines() {
        List<String> holders = SWITCHBOARD.holdersOf("Medical SHO On-Call");
        String accepted = raiseOnWard("CARD", "routine");
        String declined = raiseOnWard("CARD", "routine");
        Tasks.awaitStatus(accepted, "offered");
        Tasks.awaitStatus(declined, "offered");
        Api.as(holders.get(0)).post("/api/v1/tasks/" + accepted + "/accept").then().statusCode(200);
        Api.as(holders.get(0)).post("/api/v1/tasks/" + declined + "/decline", Map.of("reason", "Covering ED resus"))
                .then().statusCode(200);

        List<String> ids = NIC.get("/api/v1/board/tasks?ward=CARD").statusCode(200).extract().jsonPath().getList("task.id");
        assertThat(ids).containsSubsequence(declined, accepted);
        NIC.get("/api/v1/board/tasks?ward=CARD").body("find { it.task.id == '" + declined + "' }.declines[0].reason",
                equalTo("Covering ED resus"))
                .body("find { it.task.id == '" + declined + "' }.unaccepted", equalTo(true))
                .body("find { it.task.id == '" + accepted + "' }.unaccepted", equalTo(false));
        NIC.get("/api/v1/board/tasks?ward=CARD&priority=stat").statusCode(200).body("task.id", not(hasItem(declined)));
        NIC.get("/api/v1/board/tasks?ward=NOWHERE").statusCode(400).body("violations[0].field", equalTo("ward"));
        Api.as(holders.get(0)).get("/api/v1/board/tasks").statusCode(403);
    }

    @Test
    void aBleepNobodyCanTakeWaitsInTheAlertQueueWithTheReason() {
        String id = SWITCHBOARD.bleepRole("Dermatology Registrar", "urgent");
        // The chain moves on at once to its next step, but the alert stands until someone accepts.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                SWITCHBOARD.get("/api/v1/board/alerts").statusCode(200).body("task.id", hasItem(id)));
        SWITCHBOARD.get("/api/v1/board/alerts").statusCode(200)
                .body("find { it.task.id == '" + id + "' }.alert.reason", equalTo("NO_HOLDER"))
                .body("find { it.task.id == '" + id + "' }.alert.explanation",
                        equalTo("Nobody holds Dermatology Registrar now"));
        SWITCHBOARD.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "Dermatology to be called in the morning"))
                .then().statusCode(200);
        SWITCHBOARD.get("/api/v1/board/alerts").statusCode(200).body("task.id", not(hasItem(id)));
    }

    @Test
    void theDirectoryNamesWhoHoldsEachRoleUntilWhenAndWhatCoversAWard() {
        String registrar = SWITCHBOARD.holdersOf("Medical Registrar On-Call").get(0);
        Api.as(registrar).get("/api/v1/board/directory").statusCode(200)
                .body("roles.find { it.name == 'Medical Registrar On-Call' }.holders[0].id", equalTo(registrar))
                .body("roles.find { it.name == 'Medical Registrar On-Call' }.holders[0].until", org.hamcrest.Matchers.notNullValue())
                .body("roles.find { it.name == 'Dermatology Registrar' }.holders", org.hamcrest.Matchers.empty())
                .body("wards.find { it.id == '7B' }.coveringRoleIds", equalTo(List.of("med-fy1-7b", "med-sho-oncall")))
                .body("wards.find { it.id == '7B' }.relevantRoleIds", hasItem("med-reg-oncall"))
                .body("people.id", hasItem("kate.morgan"))
                .body("people.id", not(hasItem("epr")));
    }

    private static String raiseOnWard(String ward, String priority) {
        Map<String, Object> request = new java.util.HashMap<>(Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"), priority));
        request.put("location", Map.of("ward", ward, "bed", "3"));
        return NIC.post("/api/v1/tasks", request).then().statusCode(202).extract().path("id");
    }

    private WebSocket live(String origin) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("sam.patel:" + Api.PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Basic " + auth)
                .header("Origin", origin)
                .buildAsync(URI.create("ws://localhost:" + port + "/api/v1/live"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
    }
}
