package org.pagerless.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Keycloak;
import org.pagerless.support.LiveClient;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Tasks;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Sign-in with a real OpenID Connect provider (Keycloak, support/Keycloak): bearer tokens for people and
 * integrations, the apps' authorization-code flow with PKCE, claims mapped to staff ids and Pagerless roles by
 * configuration (including an NHS CIS2-shaped {@code nhsid_nrbac_roles} claim), and what is refused.
 */
@QuarkusTest
class OidcSignInTest extends FlowTest {

    @TestHTTPResource("/")
    URL app;

    @Test
    void anIntegrationSignsInWithClientCredentialsAndRaisesABleepAsItself() {
        String token = clientToken("epr", "epr-test-secret");
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200)
                .body("id", equalTo("epr")).body("appRole", equalTo("integration"));
        String id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("to", Map.of("role", "Medical SHO On-Call"), "callback", "4417", "priority", "routine"))
                .post("/api/v1/bleeps").then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        Api.as("sam.patel").get("/api/v1/tasks/" + id).statusCode(200).body("requester.id", equalTo("epr"));
        given().auth().oauth2(token).post("/api/v1/tasks/" + id + "/accept").then().statusCode(403);
    }

    @Test
    void aPersonsTokenCarriesTheirStaffIdAndRealmRole() {
        String token = passwordToken("pagerless-cli", "grace.okafor");
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200)
                .body("id", equalTo("grace.okafor")).body("appRole", equalTo("nurse-in-charge"))
                .body("signOut", org.hamcrest.Matchers.nullValue()); // a bearer token has no app session to end
        given().auth().oauth2(token).get("/api/v1/board/tasks").then().statusCode(200);
    }

    @Test
    void anAppSessionThatCanNoLongerBeUsedAnswersThePagesScripts499SoTheySendThePersonToSignIn() {
        PagerlessInfra.keycloak();
        // The pages' fetch calls say X-Requested-With: JavaScript; a redirect to the provider would be unfollowable.
        given().redirects().follow(false).cookie("q_session_web", "expired-or-tampered")
                .header("X-Requested-With", "JavaScript").get("/api/v1/me").then().statusCode(499);
        // A page itself (no such header) is still sent to the provider to sign in again.
        given().redirects().follow(false).cookie("q_session_web", "expired-or-tampered").get("/api/v1/me").then()
                .statusCode(302);
    }

    @Test
    void aCis2RoleCodeMapsToClinicianByConfiguration() {
        String token = passwordToken("cis2-like", "amira.khan");
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200)
                .body("id", equalTo("amira.khan")).body("appRole", equalTo("clinician"));
        given().auth().oauth2(token).get("/api/v1/board/tasks").then().statusCode(403);
    }

    @Test
    void aPersonWithNoPagerlessRoleIsRefusedEverywhereARoleIsNeeded() {
        String token = passwordToken("pagerless-cli", "visitor.nobody");
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(403);
        given().auth().oauth2(token).get("/api/v1/tasks").then().statusCode(403);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("to", Map.of("role", "Medical SHO On-Call"), "callback", "4417", "priority", "routine"))
                .post("/api/v1/bleeps").then().statusCode(403);
    }

    @Test
    void tokensNotMeantForPagerlessOrTamperedWithAreRefused() {
        given().auth().oauth2(clientToken("stranger", "stranger-test-secret")).get("/api/v1/me").then().statusCode(401);
        String token = clientToken("epr", "epr-test-secret");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1].replace(parts[1].substring(2, 6), "AAAA") + "." + parts[2];
        given().auth().oauth2(forged).get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2("not-a-token").get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void theLiveFeedOpensWithABearerToken() throws Exception {
        String token = passwordToken("pagerless-cli", "grace.okafor");
        try (LiveClient live = LiveClient.connect(app.getPort(), "Authorization", "Bearer " + token)) {
            String id = Api.as("sam.patel").bleepRole("Medical SHO On-Call", "routine");
            Tasks.awaitStatus(id, "offered");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(live.messages())
                    .anyMatch(m -> m.contains("\"type\":\"TaskOffered\"") && m.contains(id)));
        }
    }

    @Test
    void theAppsSignInWithAuthorizationCodeAndPkceThenSignOut() throws Exception {
        Keycloak keycloak = PagerlessInfra.keycloak();
        Browser browser = new Browser();

        HttpResponse<String> toProvider = get(browser, app + "signin?then=/api/v1/me");
        assertThat(toProvider.statusCode()).isEqualTo(302);
        String authorize = location(toProvider);
        assertThat(authorize).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth")
                .contains("code_challenge=").contains("code_challenge_method=S256")
                .contains("client_id=pagerless-web");

        HttpResponse<String> loginPage = get(browser, authorize);
        assertThat(loginPage.statusCode()).isEqualTo(200);
        Matcher form = Pattern.compile("action=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(form.find()).as("Keycloak's login form").isTrue();
        HttpResponse<String> backToApp = browser.post(form.group(1).replace("&amp;", "&"), form(Map.of(
                "username", "grace.okafor", "password", Keycloak.PASSWORD, "credentialId", "")));
        assertThat(backToApp.statusCode()).isEqualTo(302);
        assertThat(location(backToApp)).startsWith(app + "signin").contains("code=");

        // The code is exchanged (with the PKCE verifier) and the session cookie set; then on to `then`.
        String next = location(backToApp);
        for (int hop = 0; hop < 4 && !URI.create(next).getPath().equals("/api/v1/me"); hop++) {
            HttpResponse<String> r = get(browser, next);
            assertThat(r.statusCode()).as("redirect at %s", next).isIn(302, 303);
            next = URI.create(next).resolve(location(r)).toString();
        }
        assertThat(next).isEqualTo(app + "api/v1/me");
        HttpResponse<String> me = get(browser, next);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"id\":\"grace.okafor\"").contains("\"appRole\":\"nurse-in-charge\"");
        // Signed in to the apps with the provider: the pages offer "Sign out" (GET /api/v1/me names where).
        assertThat(me.body()).contains("\"signOut\":\"/signout\"");

        // The live feed opens on the same session cookie, as the browser sends it on the upgrade.
        String cookieHeader = browser.cookieHeader(URI.create(app.toString()));
        try (LiveClient live = LiveClient.connect(app.getPort(), "Cookie", cookieHeader)) {
            String id = Api.as("sam.patel").bleepRole("Medical SHO On-Call", "routine");
            Tasks.awaitStatus(id, "offered");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(live.messages())
                    .anyMatch(m -> m.contains("\"type\":\"TaskOffered\"") && m.contains(id)));
        }

        HttpResponse<String> signOut = get(browser, app + "signout");
        assertThat(signOut.statusCode()).isEqualTo(302);
        assertThat(location(signOut)).startsWith(keycloak.issuer() + "/protocol/openid-connect/logout");
        assertThat(get(browser, app + "api/v1/me").statusCode()).isEqualTo(401);
    }

    @Test
    void signInNeverRedirectsOffSite() {
        assertThat(SignInResource.localPath("/board")).isEqualTo("/board");
        assertThat(SignInResource.localPath("//evil.example/x")).isEqualTo("/");
        assertThat(SignInResource.localPath("https://evil.example/")).isEqualTo("/");
        assertThat(SignInResource.localPath("/\\evil.example")).isEqualTo("/");
        assertThat(SignInResource.localPath(null)).isEqualTo("/");
    }

    private static HttpResponse<String> get(Browser browser, String url) throws Exception {
        return browser.get(url);
    }

    /**
     * A browser's cookie handling, enough for the sign-in: cookies per host, sent back on every request to it.
     * (Java's CookieManager would drop Keycloak's Secure cookies over http; browsers keep them for localhost.)
     */
    static final class Browser {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private final Map<String, Map<String, String>> jar = new java.util.HashMap<>();

        HttpResponse<String> get(String url) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html, application/json;q=0.9, */*;q=0.8").GET(), url);
        }

        HttpResponse<String> post(String url, String form) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)), url);
        }

        String cookieHeader(URI uri) {
            return jar.getOrDefault(uri.getHost() + ":" + uri.getPort(), Map.of()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
        }

        private HttpResponse<String> send(HttpRequest.Builder request, String url) throws Exception {
            URI uri = URI.create(url);
            String cookies = cookieHeader(uri);
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> host = jar.computeIfAbsent(uri.getHost() + ":" + uri.getPort(), h -> new java.util.LinkedHashMap<>());
            for (String header : response.headers().allValues("Set-Cookie")) {
                for (java.net.HttpCookie cookie : java.net.HttpCookie.parse(header)) {
                    if (cookie.getMaxAge() == 0 || cookie.getValue().isEmpty()) {
                        host.remove(cookie.getName());
                    } else {
                        host.put(cookie.getName(), cookie.getValue());
                    }
                }
            }
            return response;
        }
    }

    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow();
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static String clientToken(String client, String secret) {
        return token(Map.of("grant_type", "client_credentials", "client_id", client, "client_secret", secret));
    }

    static String passwordToken(String client, String user) {
        return token(Map.of("grant_type", "password", "client_id", client, "username", user,
                "password", Keycloak.PASSWORD, "scope", "openid"));
    }

    private static String token(Map<String, String> form) {
        return given().baseUri(PagerlessInfra.keycloak().tokenEndpoint()).port(-1).contentType(ContentType.URLENC)
                .formParams(form).post().then().statusCode(200).extract().path("access_token");
    }
}
