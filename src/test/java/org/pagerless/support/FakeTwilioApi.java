package org.pagerless.support;

import static org.pagerless.support.FakeTwilio.ACCOUNT_SID;
import static org.pagerless.support.FakeTwilio.AUTH_TOKEN;
import static org.pagerless.support.TwilioWire.hex;
import static org.pagerless.support.TwilioWire.json;
import static org.pagerless.support.TwilioWire.parse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.pagerless.support.FakeTwilio.Call;
import org.pagerless.support.FakeTwilio.Sms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The server side of {@link FakeTwilio}: Twilio's REST API on a local port. {@code POST .../Messages.json} and
 * {@code .../Calls.json} (HTTP Basic with the account SID and auth token, answers 201 with a sid and status
 * {@code queued}) and their lists ({@code GET}, newest first, filtered and paged as Twilio does). It records every
 * text and call it took, for the phones to expect, and can be told to fail: answer every request with a status, or
 * take the next texts or calls and then drop the connection unanswered.
 */
final class FakeTwilioApi implements AutoCloseable {
    private static final String BASE = "/2010-04-01/Accounts/" + ACCOUNT_SID;

    /** Every text any phone received during the run, including answers to replies ({@link FakeHandset} adds those). */
    final List<Sms> received = new CopyOnWriteArrayList<>();
    /** Texts the app sent through the API (not the answers to replies, which {@link #received} also has). */
    final List<Sms> texted = new CopyOnWriteArrayList<>();
    /** Texts no test has expected yet. */
    final List<Sms> unread = new CopyOnWriteArrayList<>();
    /** Every call placed during the run. */
    final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Calls no test has expected yet. */
    final List<Call> unexpectedCalls = new CopyOnWriteArrayList<>();
    /** Every text and call taken, as the list resources show them. */
    final FakeTwilioLists lists = new FakeTwilioLists();

    private final HttpServer server;
    /** Told of each text, then each call, once its create request has been answered (the carrier reports it). */
    private final Consumer<Sms> textAnswered;
    private final Consumer<Call> callAnswered;
    private volatile int failWith;
    private final AtomicInteger loseTextAnswers = new AtomicInteger();
    private final AtomicReference<String> loseTextsTo = new AtomicReference<>();
    private final AtomicInteger loseCallAnswers = new AtomicInteger();
    private final AtomicInteger listRequests = new AtomicInteger();
    private final AtomicReference<Consumer<Sms>> beforeTextAnswer = new AtomicReference<>();
    private final AtomicReference<Consumer<Call>> beforeCallAnswer = new AtomicReference<>();

    /** A few daemon threads: a benchmark posts texts concurrently; tests never wait on them to exit. */
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(4,
            r -> {
                Thread t = new Thread(r, "fake-twilio");
                t.setDaemon(true);
                return t;
            });

    /** Starts on this local port (0: any free one). */
    FakeTwilioApi(int port, Consumer<Sms> textAnswered, Consumer<Call> callAnswered) throws IOException {
        this.textAnswered = textAnswered;
        this.callAnswered = callAnswered;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(executor);
        server.createContext("/2010-04-01/Accounts/", this::api);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void answerWith(int status) {
        failWith = status;
    }

    void answerNormally() {
        failWith = 0;
        loseTextAnswers.set(0);
        loseTextsTo.set(null);
        loseCallAnswers.set(0);
        beforeTextAnswer.set(null);
        beforeCallAnswer.set(null);
    }

    /** Drops the next {@code n} texts' answers, only those to {@code phone} unless it is null. */
    void loseNextTextAnswers(String phone, int n) {
        loseTextsTo.set(phone);
        loseTextAnswers.set(n);
    }

    void loseNextCallAnswers(int n) {
        loseCallAnswers.set(n);
    }

    void beforeAnsweringNextText(Consumer<Sms> action) {
        beforeTextAnswer.set(action);
    }

    void beforeAnsweringNextCall(Consumer<Call> action) {
        beforeCallAnswer.set(action);
    }

    int listRequests() {
        return listRequests.get();
    }

    private void api(HttpExchange exchange) throws IOException {
        if ("GET".equals(exchange.getRequestMethod())) {
            list(exchange);
        } else if (exchange.getRequestURI().getPath().endsWith("/Calls.json")) {
            calls(exchange);
        } else {
            messages(exchange);
        }
    }

    private boolean authorised(HttpExchange exchange) throws IOException {
        String expectedAuth = "Basic " + Base64.getEncoder().encodeToString(
                (ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
        if (!expectedAuth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}");
            return false;
        }
        return true;
    }

    /**
     * The checks a create request goes through, in this order: authorised, a POST to {@code resource}, no
     * failure injected, a valid {@code To}. Answers the form, or null when the request has been answered already.
     */
    private Map<String, String> createRequest(HttpExchange exchange, String resource) throws IOException {
        if (!authorised(exchange)) {
            return null;
        }
        if (!"POST".equals(exchange.getRequestMethod())
                || !exchange.getRequestURI().getPath().equals(BASE + "/" + resource)) {
            respond(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
            return null;
        }
        if (failing(exchange)) {
            return null;
        }
        Map<String, String> form = parse(exchange.getRequestBody());
        String to = form.get("To");
        if (to == null || !to.matches("\\+[1-9][0-9]{6,14}")) {
            respond(exchange, 400, "{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\",\"status\":400}");
            return null;
        }
        return form;
    }

    /** Answers with the injected failure, if any; true if it did. */
    private boolean failing(HttpExchange exchange) throws IOException {
        if (failWith != 0) {
            respond(exchange, failWith, "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":"
                    + failWith + "}");
            return true;
        }
        return false;
    }

    private void calls(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = createRequest(exchange, "Calls.json");
            if (form == null) {
                return;
            }
            if (form.get("Url") == null && form.get("Twiml") == null) {
                respond(exchange, 400, "{\"code\":21205,\"message\":\"Url parameter is required.\",\"status\":400}");
                return;
            }
            String to = form.get("To");
            Call call = new Call("CA" + hex(), to, form.get("From"), form.get("Url"), form.get("Method"),
                    form.get("StatusCallback"), form.get("StatusCallbackEvent"), form.get("Timeout"),
                    form.get("MachineDetection"), Instant.now());
            calls.add(call);
            unexpectedCalls.add(call);
            lists.taken(call.sid(), true, to, call.from(), null, call.at());
            Consumer<Call> before = beforeCallAnswer.getAndSet(null);
            if (before != null) {
                before.accept(call);
            }
            if (loseCallAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return; // closed unanswered: the connection drops
            }
            respond(exchange, 201, """
                    {"sid":"%s","account_sid":"%s","to":"%s","from":"%s","status":"queued",
                     "direction":"outbound-api","api_version":"2010-04-01",
                     "uri":"/2010-04-01/Accounts/%s/Calls/%s.json"}""".formatted(call.sid(), ACCOUNT_SID, to,
                    call.from(), ACCOUNT_SID, call.sid()));
            callAnswered.accept(call);
        }
    }

    private void messages(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = createRequest(exchange, "Messages.json");
            if (form == null) {
                return;
            }
            String to = form.get("To");
            Sms sms = new Sms("SM" + hex(), to, form.get("From"), form.get("Body"), form.get("StatusCallback"),
                    form.get("ValidityPeriod"), Instant.now());
            received.add(sms);
            texted.add(sms);
            unread.add(sms);
            lists.taken(sms.sid(), false, to, sms.from(), sms.body(), sms.at());
            Consumer<Sms> before = beforeTextAnswer.getAndSet(null);
            if (before != null) {
                before.accept(sms);
            }
            String only = loseTextsTo.get();
            if ((only == null || only.equals(to)) && loseTextAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return; // closed unanswered: the connection drops
            }
            respond(exchange, 201, """
                    {"sid":"%s","account_sid":"%s","to":"%s","from":"%s","body":%s,"status":"queued",
                     "num_segments":"1","direction":"outbound-api","api_version":"2010-04-01",
                     "uri":"/2010-04-01/Accounts/%s/Messages/%s.json"}""".formatted(sms.sid(), ACCOUNT_SID, to,
                    sms.from(), json(sms.body()), ACCOUNT_SID, sms.sid()));
            textAnswered.accept(sms);
        }
    }

    /** GET .../Messages.json or .../Calls.json: Twilio's list resource, newest first, filtered and paged. */
    private void list(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                listed(exchange);
            } catch (RuntimeException e) { // a bug here shows in the app's reason, not as a dropped connection
                respond(exchange, 500, "{\"code\":20500,\"message\":" + json("the fake's list failed: " + e)
                        + ",\"status\":500}");
            }
        }
    }

    private void listed(HttpExchange exchange) throws IOException {
        if (!authorised(exchange)) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        boolean callList = path.equals(BASE + "/Calls.json");
        if (!callList && !path.equals(BASE + "/Messages.json")) {
            respond(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
            return;
        }
        listRequests.incrementAndGet();
        if (failing(exchange)) {
            return;
        }
        respond(exchange, 200, lists.page(path, callList, exchange.getRequestURI().getRawQuery()));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
