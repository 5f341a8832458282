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
 * /2010-04-01/Accounts/{sid}/Messages.json} and {@code .../Calls.json} (HTTP Basic with the account SID and
 * auth token, answers 201 with a sid and status {@code queued}) and their lists ({@code GET}, newest first, with
 * Twilio's filters {@code To}, {@code From}, {@code DateSent}/{@code DateSent>}/{@code DateSent<} for messages,
 * {@code StartTime}/{@code StartTime>}/{@code StartTime<} and {@code Status} for calls, and its paging:
 * {@code PageSize}, {@code Page}, {@code PageToken}, {@code next_page_uri}). Like Twilio, a message has no
 * {@code date_sent} while it is queued (until a {@code sent} or later status is reported for it) and a call no
 * {@code start_time} until it is answered. Faults: answering every request with a status, or taking the next
 * texts or calls and then dropping the connection unanswered (the answer is lost; Twilio has it all the same).
 * It records what each phone received, and can
 * text back, answer a call (fetch its TwiML by a signed POST, as Twilio does), press a key, and send status
 * callbacks, signed exactly as Twilio signs them. Its own signing code, not the SDK's, so the app's check is
 * tested against an independent implementation.
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

    /** A call as Twilio was asked to place it: to whom, and where to fetch what it says. */
    public record Call(String sid, String to, String from, String url, String method, String statusCallback,
                       String statusCallbackEvents, String timeout, String machineDetection, Instant at) {
    }

    /**
     * What a phone heard from one TwiML answer: everything it would say in order if no key were pressed, where a
     * key pressed during the first prompt goes, how many prompts (Gathers) it has, and whether it hangs up.
     */
    public record Heard(String xml, List<String> said, String keyAction, int prompts, boolean hangsUp) {
        /** All the words, in order. */
        public String text() {
            return String.join(" ", said);
        }
    }

    private final HttpServer server;
    private final String appBaseUrl;
    /** Twilio's webhooks come over HTTP/1.1 (the JDK's default client would try an HTTP/2 upgrade first). */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Sms> received = new CopyOnWriteArrayList<>();
    /** Texts the app sent through the API (not the answers to replies, which {@link #received} also has). */
    private final List<Sms> texted = new CopyOnWriteArrayList<>();
    private final List<Sms> unread = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Call> unexpectedCalls = new CopyOnWriteArrayList<>();
    private final List<String> spoken = new CopyOnWriteArrayList<>();
    private volatile int failWith;
    private final java.util.concurrent.atomic.AtomicInteger loseTextAnswers = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicReference<String> loseTextsTo = new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger loseCallAnswers = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger listRequests = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicReference<java.util.function.Consumer<Sms>> beforeTextAnswer =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicReference<java.util.function.Consumer<Call>> beforeCallAnswer =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** Every text and call the API took, newest last, as its list shows them: status, date sent or start time. */
    private final List<Listed> listed = new CopyOnWriteArrayList<>();
    /** The same by sid, for status updates. */
    private final Map<String, Listed> listedBySid = new java.util.concurrent.ConcurrentHashMap<>();
    /** Where webhooks are posted (the app's local address); null: the Quarkus test port. */
    private volatile String localBaseUrl;
    /** Set by {@link #reportLikeACarrier}: every text's and call's progress is reported to the app as Twilio would. */
    private volatile java.util.concurrent.ExecutorService carrier;
    private final java.util.concurrent.atomic.AtomicInteger reportsPending = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong webhooksAnswered = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong webhooksRefused = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong callsAnswered = new java.util.concurrent.atomic.AtomicLong();

    /** A message or call as Twilio's list resource shows it. */
    private static final class Listed {
        final String sid;
        final boolean call;
        final String to;
        final String from;
        final String body;
        final Instant created;
        volatile String status = "queued";
        volatile Instant sentOrStarted;

        Listed(String sid, boolean call, String to, String from, String body, Instant created) {
            this.sid = sid;
            this.call = call;
            this.to = to;
            this.from = from;
            this.body = body;
            this.created = created;
        }
    }
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
        server.createContext("/2010-04-01/Accounts/", this::api);
        server.start();
    }

    /**
     * From now on, as a carrier and Twilio would (for a benchmark): each text that asked for status callbacks is
     * reported {@code sent} and then {@code delivered}; each call is answered (its TwiML fetched by a signed POST, no
     * key pressed) and reported by the status callback events its create request asked for, as Twilio does: {@code
     * initiated} and {@code ringing} before the answer, {@code answered} (call status {@code in-progress}) after it,
     * {@code completed} at the end ({@code completed} alone if it asked for none). Every webhook is signed and posted to {@code localBaseUrl} (the app's address on this
     * machine) in place of the public address, on {@code threads} threads of its own, one after the other per text
     * or call, after the create request was answered.
     */
    public void reportLikeACarrier(String localBaseUrl, int threads) {
        this.localBaseUrl = localBaseUrl;
        this.carrier = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fake-carrier");
            t.setDaemon(true);
            return t;
        });
    }

    /** Texts and calls whose carrier reports are not all answered yet (0 when the carrier is idle). */
    public int reportsPending() {
        return reportsPending.get();
    }

    /** Webhooks the carrier posted that the app answered 2xx (status callbacks and answered calls' TwiML). */
    public long webhooksAnswered() {
        return webhooksAnswered.get();
    }

    /** Webhooks the carrier posted that the app refused or could not be reached for. */
    public long webhooksRefused() {
        return webhooksRefused.get();
    }

    /** Calls the carrier answered (TwiML fetched). */
    public long callsAnswered() {
        return callsAnswered.get();
    }

    private void report(Runnable progress) {
        java.util.concurrent.ExecutorService c = carrier;
        if (c == null) {
            return;
        }
        reportsPending.incrementAndGet();
        c.execute(() -> {
            try {
                progress.run();
            } catch (RuntimeException | AssertionError e) {
                webhooksRefused.incrementAndGet();
            } finally {
                reportsPending.decrementAndGet();
            }
        });
    }

    private void carried(HttpResponse<String> r) {
        (r.statusCode() / 100 == 2 ? webhooksAnswered : webhooksRefused).incrementAndGet();
    }

    private void reportText(Sms sms) {
        if (sms.statusCallback() == null) {
            return;
        }
        report(() -> {
            for (String status : List.of("sent", "delivered")) {
                reported(sms.sid(), status, true);
                carried(signedPost(sms.statusCallback(), callback(sms, status)));
            }
        });
    }

    private void reportCall(Call call) {
        java.util.Set<String> events = call.statusCallbackEvents() == null || call.statusCallbackEvents().isBlank()
                ? java.util.Set.of("completed") // Twilio's default
                : java.util.Set.copyOf(List.of(call.statusCallbackEvents().trim().split("[ ,]+"))); // repeats allowed
        report(() -> {
            for (String status : List.of("initiated", "ringing")) {
                if (events.contains(status) && call.statusCallback() != null) {
                    carried(signedPost(call.statusCallback(), callStatus(call, status)));
                }
            }
            reported(call.sid(), "in-progress", true);
            HttpResponse<String> twiml = signedPost(call.url(), callParams(call, "in-progress"));
            carried(twiml);
            if (twiml.statusCode() == 200) {
                callsAnswered.incrementAndGet();
            }
            // The "answered" event reports the call status in-progress.
            for (String[] event : new String[][] {{"answered", "in-progress"}, {"completed", "completed"}}) {
                reported(call.sid(), event[1], true);
                if (events.contains(event[0]) && call.statusCallback() != null) {
                    carried(signedPost(call.statusCallback(), callStatus(call, event[1])));
                }
            }
        });
    }

    /** Answer every API request with this HTTP status (e.g. 500: Twilio failing) until {@link #answerNormally}. */
    public void answerWith(int status) {
        failWith = status;
    }

    public void answerNormally() {
        failWith = 0;
        loseTextAnswers.set(0);
        loseTextsTo.set(null);
        loseCallAnswers.set(0);
        beforeTextAnswer.set(null);
        beforeCallAnswer.set(null);
    }

    /**
     * The next {@code n} texts are taken (the phone gets them, the list shows them) but the connection is then
     * dropped unanswered: the caller never learns the sid, as when Twilio's answer is lost or times out.
     */
    public void loseNextTextAnswers(int n) {
        loseTextsTo.set(null);
        loseTextAnswers.set(n);
    }

    /** As {@link #loseNextTextAnswers(int)}, for texts to {@code phone} only (other tests' texts go on as usual). */
    public void loseNextTextAnswersTo(String phone, int n) {
        loseTextsTo.set(phone);
        loseTextAnswers.set(n);
    }

    /** The next {@code n} calls are placed, but the connection is then dropped unanswered (as for texts). */
    public void loseNextCallAnswers(int n) {
        loseCallAnswers.set(n);
    }

    /** Runs {@code action} once, for the next text taken, before its create request is answered. */
    public void beforeAnsweringNextText(java.util.function.Consumer<Sms> action) {
        beforeTextAnswer.set(action);
    }

    /** Runs {@code action} once, for the next call taken, before its create request is answered. */
    public void beforeAnsweringNextCall(java.util.function.Consumer<Call> action) {
        beforeCallAnswer.set(action);
    }

    /** How many list requests (GET Messages.json or Calls.json) reached the fake during the run. */
    public int listRequests() {
        return listRequests.get();
    }

    /** What the SDK's https://api.twilio.com is replaced with. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every text any phone received during the run, including answers to replies. */
    public List<Sms> received() {
        return List.copyOf(received);
    }

    /** Every call placed during the run. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Everything any call said during the run (every TwiML document fetched, every answer to a key). */
    public List<String> spoken() {
        return List.copyOf(spoken);
    }

    /** Marks as expected every call so far whose TwiML URL contains {@code fragment} (e.g. a delivery id). */
    public void discardCallsTo(String fragment) {
        unexpectedCalls.removeIf(call -> call.url() != null && call.url().contains(fragment));
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

        /** Waits for a call to this phone, and marks it as expected. */
        public Call expectCall() {
            Call[] found = new Call[1];
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (Call call : unexpectedCalls) {
                    if (call.to().equals(phone)) {
                        found[0] = call;
                        return true;
                    }
                }
                return false;
            });
            unexpectedCalls.remove(found[0]);
            return found[0];
        }

        /** Fails if this phone got any text or call the test did not expect. */
        public void assertNothingElse() {
            List<String> unexpected = unread.stream().filter(s -> s.to().equals(phone)).map(Sms::body).toList();
            if (!unexpected.isEmpty()) {
                throw new AssertionError("unexpected SMS to " + phone + ": " + unexpected);
            }
            List<String> rang = unexpectedCalls.stream().filter(c -> c.to().equals(phone)).map(Call::url).toList();
            if (!rang.isEmpty()) {
                throw new AssertionError("unexpected call to " + phone + ": " + rang);
            }
        }

        /**
         * The task-scoped "nothing else" (every test pages the same demo holders, so a phone-wide check would see other
         * tests' pages): this phone got exactly {@code texts} texts that mention the task's reference {@code ref} and
         * exactly {@code calls} calls placed for the task's voice deliveries {@code voiceDeliveryIds}, and nothing else
         * about the task. Ask it after a delivery barrier (every row due has been sent or withdrawn). Marks them expected.
         */
        public void assertAboutTask(String ref, java.util.Collection<String> voiceDeliveryIds, int texts, int calls) {
            List<String> textsAbout = texted.stream().filter(sms -> sms.to().equals(phone) && sms.body() != null
                    && sms.body().contains(ref)).map(Sms::body).toList();
            List<String> callsAbout = FakeTwilio.this.calls.stream().filter(call -> call.to().equals(phone)
                    && voiceDeliveryIds.stream().anyMatch(id -> call.url() != null && call.url().endsWith("/" + id)))
                    .map(Call::url).toList();
            if (textsAbout.size() != texts || callsAbout.size() != calls) {
                throw new AssertionError("phone " + phone + " about task ref " + ref + ": expected " + texts
                        + " text(s) and " + calls + " call(s), got texts " + textsAbout + " and calls " + callsAbout);
            }
            unread.removeIf(sms -> sms.to().equals(phone) && sms.body() != null && sms.body().contains(ref));
            unexpectedCalls.removeIf(call -> call.to().equals(phone) && voiceDeliveryIds.stream()
                    .anyMatch(id -> call.url() != null && call.url().endsWith("/" + id)));
        }

        /** Texts {@code body} to Pagerless (a signed inbound webhook) and returns Pagerless's answer, which the phone receives. */
        public String reply(String body) {
            return reply(body, "SM" + hex());
        }

        /** As {@link #reply(String)} with this MessageSid: the same sid again is Twilio retrying the webhook. */
        public String reply(String body, String messageSid) {
            Map<String, String> params = inbound(body);
            params.put("MessageSid", messageSid);
            params.put("SmsSid", messageSid);
            HttpResponse<String> response = signedPost(appBaseUrl + "/twilio/sms/inbound", params);
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
            return forgedPost(appBaseUrl + "/twilio/sms/inbound", params, true).statusCode();
        }

        private Map<String, String> inbound(String body) {
            return inboundParams(phone, body);
        }
    }

    /** Sends a signed status callback for a text, as Twilio would; returns the HTTP status. */
    public int status(Sms sms, String status) {
        reported(sms.sid(), status, !List.of("accepted", "queued", "sending", "failed", "canceled").contains(status));
        Map<String, String> params = callback(sms, status);
        return signedPost(sms.statusCallback(), params).statusCode();
    }

    /** A status callback signed with the wrong token (or none when {@code signed} is false). */
    public int forgedStatus(Sms sms, String status, boolean signed) {
        Map<String, String> params = callback(sms, status);
        return forgedPost(sms.statusCallback(), params, signed).statusCode();
    }

    /** The parameters Twilio posts with a status callback for this text. */
    public static Map<String, String> statusParams(Sms sms, String status) {
        return callback(sms, status);
    }

    /** The parameters Twilio posts with a status callback for this call. */
    public static Map<String, String> statusParams(Call call, String status) {
        return callStatus(call, status);
    }

    /** The parameters Twilio posts when this call is answered, to fetch what it says. */
    public static Map<String, String> answerParams(Call call) {
        return callParams(call, "in-progress");
    }

    /** The parameters Twilio posts when {@code digits} are pressed during this call. */
    public static Map<String, String> pressParams(Call call, String digits) {
        Map<String, String> params = callParams(call, "in-progress");
        params.put("Digits", digits);
        params.put("FinishedOnKey", "");
        return params;
    }

    /** The parameters Twilio posts when {@code phone} texts {@code body} to us. */
    public static Map<String, String> inboundParams(String phone, String body) {
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

    /** The inbound-text webhook's public address. */
    public String inboundUrl() {
        return appBaseUrl + "/twilio/sms/inbound";
    }

    /**
     * POSTs {@code params} to {@code url} with a signature made with {@code token} over {@code signedUrl} and
     * {@code signedParams}: a forger's request (another token), a replay to another address, or a request whose
     * parameters were changed after Twilio signed them. Answers the whole HTTP answer.
     */
    public HttpResponse<String> postSignedOver(String url, Map<String, String> params, String signedUrl,
                                               Map<String, String> signedParams, String token) {
        return post(url, params, signature(signedUrl, signedParams, token));
    }

    /** What the list shows from now on for {@code sid}; a text gets its date sent, a call its start time. */
    private void reported(String sid, String status, boolean started) {
        Listed l = listedBySid.get(sid);
        if (l != null) {
            l.status = status;
            if (started && l.sentOrStarted == null) {
                l.sentOrStarted = Instant.now();
            }
        }
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

    /** The call is answered: fetches what it says from the app by a signed POST, as Twilio does. */
    public Heard answer(Call call) {
        reported(call.sid(), "in-progress", true);
        Map<String, String> params = callParams(call, "in-progress");
        return heard(signedPost(call.url(), params), "TwiML of " + call.url());
    }

    /** Presses {@code digits} during the prompt {@code heard}: a signed POST to its Gather action; returns the answer. */
    public Heard press(Call call, Heard heard, String digits) {
        if (heard.keyAction() == null) {
            throw new AssertionError("the call offers no key to press: " + heard.text());
        }
        Map<String, String> params = pressParams(call, digits);
        return heard(signedPost(heard.keyAction(), params),
                "answer to key " + digits);
    }

    /** Fetches the call's TwiML signed with the wrong token (or unsigned); returns the HTTP status. */
    public int forgedAnswer(Call call, boolean signed) {
        Map<String, String> params = callParams(call, "in-progress");
        return forgedPost(call.url(), params, signed)
                .statusCode();
    }

    /** Posts a key press signed with the wrong token (or unsigned); returns the HTTP status. */
    public int forgedPress(Call call, Heard heard, String digits, boolean signed) {
        Map<String, String> params = callParams(call, "in-progress");
        params.put("Digits", digits);
        return forgedPost(heard.keyAction(), params, signed).statusCode();
    }

    /** Sends a signed call status callback, as Twilio would; returns the HTTP status. */
    public int status(Call call, String status) {
        reported(call.sid(), status, List.of("in-progress", "completed").contains(status));
        Map<String, String> params = callStatus(call, status);
        return signedPost(call.statusCallback(), params).statusCode();
    }

    /** A call status callback signed with the wrong token (or none when {@code signed} is false). */
    public int forgedStatus(Call call, String status, boolean signed) {
        Map<String, String> params = callStatus(call, status);
        return forgedPost(call.statusCallback(), params, signed).statusCode();
    }

    private static Map<String, String> callParams(Call call, String status) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", call.sid());
        params.put("AccountSid", ACCOUNT_SID);
        params.put("From", call.from());
        params.put("To", call.to());
        params.put("CallStatus", status);
        params.put("Direction", "outbound-api");
        params.put("ApiVersion", "2010-04-01");
        return params;
    }

    private static Map<String, String> callStatus(Call call, String status) {
        if (call.statusCallback() == null) {
            throw new AssertionError("the app did not ask for call status callbacks");
        }
        Map<String, String> params = callParams(call, status);
        params.put("CallbackSource", "call-progress-events");
        if (status.equals("failed")) {
            params.put("ErrorCode", "31005");
        }
        return params;
    }

    private Heard heard(HttpResponse<String> response, String what) {
        if (response.statusCode() != 200) {
            throw new AssertionError(what + " answered " + response.statusCode());
        }
        Heard heard = twiml(response.body());
        spoken.addAll(heard.said());
        return heard;
    }

    /** Reads TwiML as a phone would play it: every Say in document order, the first Gather's action. */
    private static Heard twiml(String xml) {
        try {
            var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            org.w3c.dom.Document doc = factory.newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            List<String> said = new java.util.ArrayList<>();
            org.w3c.dom.NodeList says = doc.getElementsByTagName("Say");
            for (int i = 0; i < says.getLength(); i++) {
                said.add(says.item(i).getTextContent().trim());
            }
            org.w3c.dom.NodeList gathers = doc.getElementsByTagName("Gather");
            String action = null;
            if (gathers.getLength() > 0) {
                org.w3c.dom.Element gather = (org.w3c.dom.Element) gathers.item(0);
                if (!"1".equals(gather.getAttribute("numDigits"))) {
                    throw new AssertionError("a page call gathers one key: " + xml);
                }
                action = gather.getAttribute("action");
            }
            return new Heard(xml, said, action, gathers.getLength(), doc.getElementsByTagName("Hangup").getLength() > 0);
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException | IOException e) {
            throw new AssertionError("not TwiML: " + xml, e);
        }
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

    /** A POST signed as Twilio signs it, with the account's auth token. */
    private HttpResponse<String> signedPost(String url, Map<String, String> params) {
        return post(url, params, signature(url, params, AUTH_TOKEN));
    }

    /** A POST signed with the wrong token, or unsigned when {@code signed} is false: what a forger could send. */
    private HttpResponse<String> forgedPost(String url, Map<String, String> params, boolean signed) {
        return post(url, params, signed ? signature(url, params, "not-the-auth-token") : null);
    }

    private HttpResponse<String> post(String url, Map<String, String> params, String signature) {
        String form = params.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        // As a proxy in front of the app would: the public address is signed, the local port is reached.
        String local = url.replace(appBaseUrl, localBaseUrl != null ? localBaseUrl : "http://localhost:"
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

    private void calls(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorised(exchange)) {
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())
                    || !exchange.getRequestURI().getPath().equals("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json")) {
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
            if (form.get("Url") == null && form.get("Twiml") == null) {
                respond(exchange, 400, "{\"code\":21205,\"message\":\"Url parameter is required.\",\"status\":400}");
                return;
            }
            Call call = new Call("CA" + hex(), to, form.get("From"), form.get("Url"), form.get("Method"),
                    form.get("StatusCallback"), form.get("StatusCallbackEvent"), form.get("Timeout"),
                    form.get("MachineDetection"), Instant.now());
            calls.add(call);
            unexpectedCalls.add(call);
            Listed listing = new Listed(call.sid(), true, to, call.from(), null, call.at());
            listed.add(listing);
            listedBySid.put(call.sid(), listing);
            java.util.function.Consumer<Call> before = beforeCallAnswer.getAndSet(null);
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
            if (call.statusCallback() != null) {
                reportCall(call);
            }
        }
    }

    private void messages(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!authorised(exchange)) {
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
            texted.add(sms);
            unread.add(sms);
            Listed listing = new Listed(sms.sid(), false, to, sms.from(), sms.body(), sms.at());
            listed.add(listing);
            listedBySid.put(sms.sid(), listing);
            java.util.function.Consumer<Sms> before = beforeTextAnswer.getAndSet(null);
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
            reportText(sms);
        }
    }

    private static final java.time.format.DateTimeFormatter RFC_2822 = java.time.format.DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", java.util.Locale.US).withZone(java.time.ZoneOffset.UTC);

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
        {
            if (!authorised(exchange)) {
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String base = "/2010-04-01/Accounts/" + ACCOUNT_SID;
            boolean callList = path.equals(base + "/Calls.json");
            if (!callList && !path.equals(base + "/Messages.json")) {
                respond(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
                return;
            }
            listRequests.incrementAndGet();
            if (failWith != 0) {
                respond(exchange, failWith, "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":"
                        + failWith + "}");
                return;
            }
            // The SDK may repeat a parameter (PageSize from setPageSize and from limit): the first one counts.
            Map<String, String> q = new LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                q.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            String when = callList ? "StartTime" : "DateSent";
            List<Listed> matching = new java.util.ArrayList<>();
            for (int i = listed.size() - 1; i >= 0; i--) {
                Listed l = listed.get(i);
                if (l.call == callList && (q.get("To") == null || q.get("To").equals(l.to))
                        && (q.get("From") == null || q.get("From").equals(l.from))
                        && (q.get("Status") == null || q.get("Status").equals(l.status))
                        && within(l.sentOrStarted, q.get(when), q.get(when + ">"), q.get(when + "<"))) {
                    matching.add(l);
                }
            }
            int size = Math.max(1, Math.min(1000, Integer.parseInt(q.getOrDefault("PageSize", "50"))));
            int page = Integer.parseInt(q.getOrDefault("Page", "0"));
            List<Listed> slice = matching.subList(Math.min(matching.size(), page * size),
                    Math.min(matching.size(), (page + 1) * size));
            String resource = callList ? "calls" : "messages";
            Map<String, String> filters = new LinkedHashMap<>(q);
            filters.keySet().removeAll(List.of("Page", "PageToken", "PageSize"));
            String filterQuery = filters.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .map(p -> p + "&").collect(Collectors.joining());
            String uri = path + "?" + filterQuery + "PageSize=" + size + "&Page=" + page;
            String next = (page + 1) * size < matching.size()
                    ? "\"" + path + "?" + filterQuery + "PageSize=" + size + "&Page=" + (page + 1) + "&PageToken=PA"
                            + slice.get(slice.size() - 1).sid + "\"" : "null";
            String items = slice.stream().map(l -> callList ? """
                    {"sid":"%s","account_sid":"%s","to":"%s","from":"%s","status":"%s","direction":"outbound-api",
                     "api_version":"2010-04-01","date_created":"%s","date_updated":"%s","start_time":%s,
                     "uri":"%s/Calls/%s.json"}""".formatted(l.sid, ACCOUNT_SID, l.to, l.from, l.status,
                    RFC_2822.format(l.created), RFC_2822.format(l.created), date(l.sentOrStarted), base, l.sid) : """
                    {"sid":"%s","account_sid":"%s","to":"%s","from":"%s","body":%s,"status":"%s",
                     "direction":"outbound-api","num_segments":"1","api_version":"2010-04-01","date_created":"%s",
                     "date_updated":"%s","date_sent":%s,"uri":"%s/Messages/%s.json"}""".formatted(l.sid, ACCOUNT_SID,
                    l.to, l.from, json(l.body), l.status, RFC_2822.format(l.created), RFC_2822.format(l.created),
                    date(l.sentOrStarted), base, l.sid)).collect(Collectors.joining(","));
            respond(exchange, 200, """
                    {"%s":[%s],"page":%d,"page_size":%d,"start":%d,"end":%d,"uri":"%s",
                     "first_page_uri":"%s","previous_page_uri":%s,"next_page_uri":%s}""".formatted(resource, items,
                    page, size, page * size, page * size + Math.max(0, slice.size() - 1), uri,
                    path + "?" + filterQuery + "PageSize=" + size + "&Page=0",
                    page == 0 ? "null" : "\"" + path + "?" + filterQuery + "PageSize=" + size + "&Page=" + (page - 1)
                            + "\"", next));
        }
    }

    private static String date(Instant at) {
        return at == null ? "null" : "\"" + RFC_2822.format(at) + "\"";
    }

    /**
     * Twilio's date filters: {@code X=day} (that UTC day), {@code X>=t} / {@code X<=t} (on or after / before; on the
     * wire the key is {@code X>} or {@code X<}), t a day or a UTC date-time. A record without the date matches none.
     */
    private static boolean within(Instant at, String on, String after, String before) {
        if (on == null && after == null && before == null) {
            return true;
        }
        if (at == null) {
            return false;
        }
        java.time.LocalDate day = at.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        if (on != null && !day.equals(java.time.LocalDate.parse(on.substring(0, 10)))) {
            return false;
        }
        if (after != null && (after.length() == 10 ? day.isBefore(java.time.LocalDate.parse(after))
                : at.isBefore(instant(after)))) {
            return false;
        }
        return before == null || (before.length() == 10 ? !day.isAfter(java.time.LocalDate.parse(before))
                : !at.isAfter(instant(before)));
    }

    private static Instant instant(String dateTime) {
        return java.time.LocalDateTime.parse(dateTime.endsWith("Z") ? dateTime.substring(0, dateTime.length() - 1)
                : dateTime).toInstant(java.time.ZoneOffset.UTC);
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
                // A repeated parameter (StatusCallbackEvent) keeps every value, space separated.
                form.merge(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "", (a, b) -> a + " " + b);
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
        if (carrier != null) {
            carrier.shutdownNow();
        }
    }
}
