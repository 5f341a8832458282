package org.pagerless.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The role × endpoint matrix in docs/security.md, checked: every operation of the OpenAPI document must have a
 * row there (a new endpoint without one fails this test), every row must still exist, and every role gets the
 * answer its cell says. Cells: {@code ✓} admitted (anything but 401/403/500), {@code ✗} refused (403),
 * {@code own} admitted for their own records only (anything but 401), {@code signed} refused without a valid
 * Twilio signature (403, whoever asks), {@code public} open to anyone, or an exact status code.
 * Writes are sent an invalid body ({@code []}) and unknown ids, so an admitted call is refused by validation
 * and changes nothing.
 */
@QuarkusTest
class AuthorisationMatrixTest extends FlowTest {
    static final Path MATRIX = Path.of("docs", "security.md");
    /** One signed-in identity per column; the last two columns are a token with no Pagerless role and nobody. */
    static final List<String> COLUMNS = List.of("switchboard", "clinician", "nurse-in-charge", "coordinator", "admin",
            "integration", "auditor", "no role", "anonymous");
    static final Map<String, String> DEMO_USERS = Map.of("switchboard", "sam.patel", "clinician", "kate.morgan",
            "nurse-in-charge", "grace.okafor", "coordinator", "hana.begum", "admin", "admin", "integration", "epr");

    @TestHTTPResource("/")
    URL app;

    private final Map<String, String> tokens = new LinkedHashMap<>();
    private Instant tokensAt = Instant.EPOCH;

    @Test
    void everyEndpointHasARowAndEveryRoleGetsWhatItsCellSays() throws Exception {
        Map<String, List<String>> rows = matrix();
        Set<String> operations = new TreeSet<>();
        Map<String, Object> paths = given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath().getMap("paths");
        paths.forEach((path, ops) -> ((Map<?, ?>) ops).keySet().forEach(verb -> {
            String v = verb.toString().toUpperCase();
            if (Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(v)) {
                operations.add(v + " " + path);
            }
        }));
        assertThat(operations).as("operations of /q/openapi without a row in docs/security.md")
                .allSatisfy(op -> assertThat(rows).containsKey(op));
        // The pages and the live feed are not in the OpenAPI document; their rows are walked all the same.
        assertThat(rows.keySet().stream().filter(r -> r.contains(" /api/") || r.contains(" /twilio/"))
                .filter(r -> !r.startsWith("WS ")))
                .as("rows in docs/security.md for operations that no longer exist").allSatisfy(r ->
                        assertThat(operations).contains(r));

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, List<String>> row : rows.entrySet()) {
            String[] op = row.getKey().split(" ", 2);
            for (int i = 0; i < COLUMNS.size(); i++) {
                String column = COLUMNS.get(i);
                String cell = row.getValue().get(i);
                int status = op[0].equals("WS") ? upgrade(op[1], column) : call(op[0], op[1], column);
                if (!matches(cell, status)) {
                    wrong.add(row.getKey() + " as " + column + ": expected " + cell + ", got " + status);
                }
            }
        }
        assertThat(wrong).as("answers that differ from docs/security.md").isEmpty();
    }

    static boolean matches(String cell, int status) {
        return switch (cell) {
            case "✓", "public" -> status != 401 && status != 403 && status != 500;
            case "✗", "signed" -> status == 403;
            case "own" -> status != 401 && status != 500;
            default -> status == Integer.parseInt(cell);
        };
    }

    private int call(String verb, String template, String column) {
        String path = template.replace("{priority}", "urgent").replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        RequestSpecification request = as(column).redirects().follow(false).accept("*/*");
        if (verb.equals("POST") || verb.equals("PUT") || verb.equals("PATCH")) {
            // Each in the media type the endpoint takes (else content negotiation answers 415 before security).
            if (template.startsWith("/twilio/")) {
                request = request.contentType("application/x-www-form-urlencoded").body("Body=1");
            } else if (template.equals("/api/v1/rota/import")) {
                request = request.contentType("text/csv").body("not,a,rota\n");
            } else if (template.endsWith("/photos")) {
                request = request.contentType("image/jpeg").body("not an image".getBytes(StandardCharsets.UTF_8));
            } else {
                request = request.contentType("application/json").body("[]");
            }
        }
        return request.request(verb, path).statusCode();
    }

    /** The WebSocket upgrade's answer: 101 when it opens, else the refusal's status. */
    private int upgrade(String path, String column) throws Exception {
        var builder = HttpClient.newHttpClient().newWebSocketBuilder();
        String authorization = authorization(column);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            WebSocket socket = builder.buildAsync(URI.create("ws://localhost:" + app.getPort() + path),
                    new WebSocket.Listener() { }).get(20, TimeUnit.SECONDS);
            socket.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    private RequestSpecification as(String column) {
        String authorization = authorization(column);
        return authorization == null ? given() : given().header("Authorization", authorization);
    }

    private String authorization(String column) {
        if (DEMO_USERS.containsKey(column)) {
            return "Basic " + Base64.getEncoder().encodeToString((DEMO_USERS.get(column) + ":" + Api.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (column.equals("anonymous")) {
            return null;
        }
        if (tokensAt.isBefore(Instant.now().minusSeconds(120))) {
            tokens.put("auditor", OidcSignInTest.passwordToken("pagerless-cli", "ig.auditor"));
            tokens.put("no role", OidcSignInTest.passwordToken("pagerless-cli", "visitor.nobody"));
            tokensAt = Instant.now();
        }
        return "Bearer " + tokens.get(column);
    }

    /** The matrix table of docs/security.md: "VERB /path" → one cell per column. */
    static Map<String, List<String>> matrix() throws Exception {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(MATRIX)) {
            if (line.startsWith("| endpoint | switchboard |")) {
                inTable = true;
                continue;
            }
            if (inTable && !line.startsWith("|")) {
                break;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String op = cells[1].strip().replace("`", "");
            List<String> values = new ArrayList<>();
            for (int i = 2; i < cells.length; i++) {
                values.add(cells[i].strip());
            }
            assertThat(values).as("cells of row %s", op).hasSize(COLUMNS.size());
            assertThat(rows.put(op, values)).as("a second row for %s", op).isNull();
        }
        assertThat(rows).as("the matrix in docs/security.md").isNotEmpty();
        return rows;
    }
}
