package org.pagerless.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for Twilio's REST API and webhooks, for tests. Speaks {@code POST
 * /2010-04-01/Accounts/{sid}/Messages.json} (HTTP Basic with the account SID and auth token, answers
 * 201 with a message sid and status {@code queued}), records what each phone received, and can text
 * back and send status callbacks, signed exactly as Twilio signs them. Its own signing code, not the
 * SDK's, so the app's check is tested against an independent implementation.
 */
public final class FakeTwilio implements AutoCloseable {
    public static final String ACCOUNT_SID = "AC00000000000000000000000000fa4e";
    public static final String AUTH_TOKEN = "fake-twilio-auth-token-0123456789";
    /** Pagerless's own number, as a hospital would rent it. */
    public static final String FROM = "+447700900999";

    /** A text as the phone got it. */
    public record Sms(String sid, String to, String from, String body, String statusCallback, String validityPeriod,
                      Instant at) {
    }

    private final HttpServer server;
    private final String appBaseUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Sms> received = new CopyOnWriteArrayList<>();
    private final List<Sms> unread = new CopyOnWriteArrayList<>();
    private volatile int failWith;
    /** A few daemon threads: a benchmark posts texts concurrently; tests never wait on them to exit. */
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(4,
            r -> {
                Thread t = new Thread(r, "fake-twilio");
                t.setDaemon(true);
                return t;
            });

    /**
     * Starts on a free local port. Webhooks are signed over {@code appBaseUrl}, the app's public address
     * (as Twilio knows it), and delivered to the app's actual test port on this machine.
     */
    public FakeTwilio(String appBaseUrl) throws IOException {
        this(appBaseUrl, 0);
    }

    /** On this local port (0: any free one), e.g. for a benchmark that starts the app pointing at it. */
    public FakeTwilio(String appBaseUrl, int port) throws IOException {
        this.appBaseUrl = appBaseUrl;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(executor);
        server.createContext("/2010-04-01/Accounts/", this::messages);
        server.start();
    }

    /** Answer every API request with this HTTP status (e.g. 500: Twilio failing) until {@link #answerNormally}. */
    public void answerWith(int status) {
        failWith = status;
    }

    public void answerNormally() {
        failWith = 0;
    }

    /** What the SDK's https://api.twilio.com is replaced with. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every text any phone received during the run, including answers to replies. */
    public List<Sms> received() {
        return List.copyOf(received);
    }

    /** Marks as expected every text so far that mentions {@code fragment} (e.g. a task's ref), whoever it went to. */
    public void discardMentioning(String fragment) {
        unread.removeIf(sms -> sms.body() != null && sms.body().contains(fragment));
    }

    public Device device(String phone) {
        return new Device(phone);
    }

    /** One handset, GoAlert style: expect what it should get; anything else it got fails {@link #assertNothingElse}. */
    public final class Device {
        private final String phone;

        private Device(String phone) {
            this.phone = phone;
        }

        public String phone() {
            return phone;
        }

        /** Waits for a text to this phone containing every fragment, and marks it as expected. */
        public Sms expectSms(String... containing) {
            Sms[] found = new Sms[1];
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (Sms sms : unread) {
                    if (sms.to().equals(phone) && Arrays.stream(containing).allMatch(sms.body()::contains)) {
                        found[0] = sms;
                        return true;
                    }
                }
                return false;
            });
            unread.remove(found[0]);
            return found[0];
        }

        /** Fails if this phone got any text the test did not expect. */
        public void assertNothingElse() {
            List<String> unexpected = unread.stream().filter(s -> s.to().equals(phone)).map(Sms::body).toList();
            if (!unexpected.isEmpty()) {
                throw new AssertionError("unexpected SMS to " + phone + ": " + unexpected);
            }
        }

        /** Texts {@code body} to Pagerless (a signed inbound webhook) and returns Pagerless's answer, which the phone receives. */
        public String reply(String body) {
            Map<String, String> params = inbound(body);
            HttpResponse<String> response = post(appBaseUrl + "/twilio/sms/inbound", params,
                    signature(appBaseUrl + "/twilio/sms/inbound", params, AUTH_TOKEN));
            if (response.statusCode() != 200) {
                throw new AssertionError("inbound SMS webhook answered " + response.statusCode());
            }
            String answer = twimlMessage(response.body());
            received.add(new Sms("SM" + hex(), phone, FROM, answer, null, null, Instant.now()));
            return answer;
        }

        /** Posts an inbound text signed with the wrong token; returns the HTTP status. */
        public int forgedReply(String body) {
            Map<String, String> params = inbound(body);
            return post(appBaseUrl + "/twilio/sms/inbound", params,
                    signature(appBaseUrl + "/twilio/sms/inbound", params, "not-the-auth-token")).statusCode();
        }

        private Map<String, String> inbound(String body) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("MessageSid", "SM" + hex());
            params.put("SmsSid", params.get("MessageSid"));
            params.put("AccountSid", ACCOUNT_SID);
            params.put("From", phone);
            params.put("To", FROM);
            params.put("Body", body);
            params.put("NumMedia", "0");
            return params;
        }
    }

    /** Sends a signed status callback for a text, as Twilio would; returns the HTTP status. */
    public int status(Sms sms, String status) {
        Map<String, String> params = callback(sms, status);
        return post(sms.statusCallback(), params, signature(sms.statusCallback(), params, AUTH_TOKEN)).statusCode();
    }

    /** A status callback signed with the wrong token (or none when {@code signed} is false). */
    public int forgedStatus(Sms sms, String status, boolean signed) {
        Map<String, String> params = callback(sms, status);
        return post(sms.statusCallback(), params,
                signed ? signature(sms.statusCallback(), params, "not-the-auth-token") : null).statusCode();
    }

    private static Map<String, String> callback(Sms sms, String status) {
        if (sms.statusCallback() == null) {
            throw new AssertionError("the app did not ask for status callbacks");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sms.sid());
        params.put("SmsSid", sms.sid());
        params.put("AccountSid", ACCOUNT_SID);
        params.put("From", sms.from());
        params.put("To", sms.to());
        params.put("MessageStatus", status);
        params.put("SmsStatus", status);
        if (status.equals("failed") || status.equals("undelivered")) {
            params.put("ErrorCode", "30003");
        }
        return params;
    }

    /** Twilio's signature: Base64(HMAC-SHA1(token, url + each param name+value, sorted by name)). */
    public static String signature(String url, Map<String, String> params, String token) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(String url, Map<String, String> params, String signature) {
        String form = params.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        // As a proxy in front of the app would: the public address is signed, the local port is reached.
        String local = url.replace(appBaseUrl, "http://localhost:"
                + org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(local))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void messages(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String expectedAuth = "Basic " + Base64.getEncoder().encodeToString(
                    (ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
            if (!expectedAuth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())
                    || !path.equals("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json")) {
                respond(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
                return;
            }
            if (failWith != 0) {
                respond(exchange, failWith, "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":"
                        + failWith + "}");
                return;
            }
            Map<String, String> form = parse(exchange.getRequestBody());
            String to = form.get("To");
            if (to == null || !to.matches("\\+[1-9][0-9]{6,14}")) {
                respond(exchange, 400, "{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\",\"status\":400}");
                return;
            }
            Sms sms = new Sms("SM" + hex(), to, form.get("From"), form.get("Body"), form.get("StatusCallback"),
                    form.get("ValidityPeriod"), Instant.now());
            received.add(sms);
            unread.add(sms);
            respond(exchange, 201, """
                    {"sid":"%s","account_sid":"%s","to":"%s","from":"%s","body":%s,"status":"queued",
                     "num_segments":"1","direction":"outbound-api","api_version":"2010-04-01",
                     "uri":"/2010-04-01/Accounts/%s/Messages/%s.json"}""".formatted(sms.sid(), ACCOUNT_SID, to,
                    sms.from(), json(sms.body()), ACCOUNT_SID, sms.sid()));
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> parse(InputStream body) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return form;
    }

    private static String twimlMessage(String xml) {
        Matcher m = Pattern.compile("<Body>(.*?)</Body>|<Message>([^<]*)</Message>", Pattern.DOTALL).matcher(xml);
        if (!m.find()) {
            throw new AssertionError("no <Message> in the TwiML answer: " + xml);
        }
        String text = m.group(1) != null ? m.group(1) : m.group(2);
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String json(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
