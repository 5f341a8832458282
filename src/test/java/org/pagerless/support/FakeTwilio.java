package org.pagerless.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for Twilio's REST API and webhooks, for tests; the façade they use. Its API ({@link FakeTwilioApi})
 * takes texts and calls ({@code POST .../Messages.json} and {@code .../Calls.json}, HTTP Basic with the account SID
 * and auth token) and lists them as Twilio does ({@link FakeTwilioLists}). Faults: answering every request with a
 * status, or taking the next texts or calls and then dropping the connection unanswered (the answer is lost; Twilio
 * has it all the same). It records what each phone ({@link Device}) received, and can text back, answer a call (fetch
 * its TwiML by a signed POST, as Twilio does), press a key, and send status callbacks, signed exactly as Twilio signs
 * them ({@link TwilioWire}). Its own signing code, not the SDK's, so the app's check is tested against an independent
 * implementation. For a benchmark, its {@link FakeCarrier} reports every text and call back as a carrier would.
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

    /** One handset, as tests name it: a {@link FakeHandset} (its expectations and replies are there). */
    public static final class Device extends FakeHandset {
        private Device(FakeTwilio twilio, String phone) {
            super(twilio, twilio.api, phone);
        }
    }

    private final String appBaseUrl;
    /** Twilio's webhooks come over HTTP/1.1 (the JDK's default client would try an HTTP/2 upgrade first). */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> spoken = new CopyOnWriteArrayList<>();
    /** Where webhooks are posted (the app's local address); null: the Quarkus test port. */
    private volatile String localBaseUrl;
    /** Started by {@link #reportLikeACarrier}: every text's and call's progress is reported to the app as Twilio would. */
    private final FakeCarrier carrier;
    private final FakeTwilioApi api;

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
        carrier = new FakeCarrier(this);
        api = new FakeTwilioApi(port, carrier::reportText, carrier::reportCall);
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
        carrier.start(threads);
    }

    /** Texts and calls whose carrier reports are not all answered yet (0 when the carrier is idle). */
    public int reportsPending() {
        return carrier.reportsPending();
    }

    /** Webhooks the carrier posted that the app answered 2xx (status callbacks and answered calls' TwiML). */
    public long webhooksAnswered() {
        return carrier.webhooksAnswered();
    }

    /** Webhooks the carrier posted that the app refused or could not be reached for. */
    public long webhooksRefused() {
        return carrier.webhooksRefused();
    }

    /** Calls the carrier answered (TwiML fetched). */
    public long callsAnswered() {
        return carrier.callsAnswered();
    }

    /** Answer every API request with this HTTP status (e.g. 500: Twilio failing) until {@link #answerNormally}. */
    public void answerWith(int status) {
        api.answerWith(status);
    }

    public void answerNormally() {
        api.answerNormally();
    }

    /**
     * The next {@code n} texts are taken (the phone gets them, the list shows them) but the connection is then
     * dropped unanswered: the caller never learns the sid, as when Twilio's answer is lost or times out.
     */
    public void loseNextTextAnswers(int n) {
        api.loseNextTextAnswers(null, n);
    }

    /** As {@link #loseNextTextAnswers(int)}, for texts to {@code phone} only (other tests' texts go on as usual). */
    public void loseNextTextAnswersTo(String phone, int n) {
        api.loseNextTextAnswers(phone, n);
    }

    /** The next {@code n} calls are placed, but the connection is then dropped unanswered (as for texts). */
    public void loseNextCallAnswers(int n) {
        api.loseNextCallAnswers(n);
    }

    /** Runs {@code action} once, for the next text taken, before its create request is answered. */
    public void beforeAnsweringNextText(java.util.function.Consumer<Sms> action) {
        api.beforeAnsweringNextText(action);
    }

    /** Runs {@code action} once, for the next call taken, before its create request is answered. */
    public void beforeAnsweringNextCall(java.util.function.Consumer<Call> action) {
        api.beforeAnsweringNextCall(action);
    }

    /** How many list requests (GET Messages.json or Calls.json) reached the fake during the run. */
    public int listRequests() {
        return api.listRequests();
    }

    /** What the SDK's https://api.twilio.com is replaced with. */
    public String baseUrl() {
        return api.baseUrl();
    }

    /** Every text any phone received during the run, including answers to replies. */
    public List<Sms> received() {
        return List.copyOf(api.received);
    }

    /** Every call placed during the run. */
    public List<Call> calls() {
        return List.copyOf(api.calls);
    }

    /** Everything any call said during the run (every TwiML document fetched, every answer to a key). */
    public List<String> spoken() {
        return List.copyOf(spoken);
    }

    /** Marks as expected every call so far whose TwiML URL contains {@code fragment} (e.g. a delivery id). */
    public void discardCallsTo(String fragment) {
        api.unexpectedCalls.removeIf(call -> call.url() != null && call.url().contains(fragment));
    }

    /** Marks as expected every text so far that mentions {@code fragment} (e.g. a task's ref), whoever it went to. */
    public void discardMentioning(String fragment) {
        api.unread.removeIf(sms -> sms.body() != null && sms.body().contains(fragment));
    }

    public Device device(String phone) {
        return new Device(this, phone);
    }

    /** Sends a signed status callback for a text, as Twilio would; returns the HTTP status. */
    public int status(Sms sms, String status) {
        reported(sms.sid(), status, !List.of("accepted", "queued", "sending", "failed", "canceled").contains(status));
        Map<String, String> params = statusParams(sms, status);
        return signedPost(sms.statusCallback(), params).statusCode();
    }

    /** A status callback signed with the wrong token (or none when {@code signed} is false). */
    public int forgedStatus(Sms sms, String status, boolean signed) {
        Map<String, String> params = statusParams(sms, status);
        return forgedPost(sms.statusCallback(), params, signed).statusCode();
    }

    /** The parameters Twilio posts with a status callback for this text. */
    public static Map<String, String> statusParams(Sms sms, String status) {
        return TwilioWire.statusParams(sms, status);
    }

    /** The parameters Twilio posts with a status callback for this call. */
    public static Map<String, String> statusParams(Call call, String status) {
        return TwilioWire.statusParams(call, status);
    }

    /** The parameters Twilio posts when this call is answered, to fetch what it says. */
    public static Map<String, String> answerParams(Call call) {
        return TwilioWire.answerParams(call);
    }

    /** The parameters Twilio posts when {@code digits} are pressed during this call. */
    public static Map<String, String> pressParams(Call call, String digits) {
        return TwilioWire.pressParams(call, digits);
    }

    /** The parameters Twilio posts when {@code phone} texts {@code body} to us. */
    public static Map<String, String> inboundParams(String phone, String body) {
        return TwilioWire.inboundParams(phone, body);
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
    void reported(String sid, String status, boolean started) {
        api.lists.reported(sid, status, started);
    }

    /** The call is answered: fetches what it says from the app by a signed POST, as Twilio does. */
    public Heard answer(Call call) {
        reported(call.sid(), "in-progress", true);
        Map<String, String> params = answerParams(call);
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
        Map<String, String> params = answerParams(call);
        return forgedPost(call.url(), params, signed)
                .statusCode();
    }

    /** Posts a key press signed with the wrong token (or unsigned); returns the HTTP status. */
    public int forgedPress(Call call, Heard heard, String digits, boolean signed) {
        Map<String, String> params = TwilioWire.callParams(call, "in-progress");
        params.put("Digits", digits);
        return forgedPost(heard.keyAction(), params, signed).statusCode();
    }

    /** Sends a signed call status callback, as Twilio would; returns the HTTP status. */
    public int status(Call call, String status) {
        reported(call.sid(), status, List.of("in-progress", "completed").contains(status));
        Map<String, String> params = statusParams(call, status);
        return signedPost(call.statusCallback(), params).statusCode();
    }

    /** A call status callback signed with the wrong token (or none when {@code signed} is false). */
    public int forgedStatus(Call call, String status, boolean signed) {
        Map<String, String> params = statusParams(call, status);
        return forgedPost(call.statusCallback(), params, signed).statusCode();
    }

    private Heard heard(HttpResponse<String> response, String what) {
        if (response.statusCode() != 200) {
            throw new AssertionError(what + " answered " + response.statusCode());
        }
        Heard heard = TwilioWire.twiml(response.body());
        spoken.addAll(heard.said());
        return heard;
    }

    /** Twilio's signature: Base64(HMAC-SHA1(token, url + each param name+value, sorted by name)). */
    public static String signature(String url, Map<String, String> params, String token) {
        return TwilioWire.signature(url, params, token);
    }

    /** A POST signed as Twilio signs it, with the account's auth token. */
    HttpResponse<String> signedPost(String url, Map<String, String> params) {
        return post(url, params, signature(url, params, AUTH_TOKEN));
    }

    /** A POST signed with the wrong token, or unsigned when {@code signed} is false: what a forger could send. */
    HttpResponse<String> forgedPost(String url, Map<String, String> params, boolean signed) {
        return post(url, params, signed ? signature(url, params, "not-the-auth-token") : null);
    }

    private HttpResponse<String> post(String url, Map<String, String> params, String signature) {
        String form = TwilioWire.form(params);
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

    @Override
    public void close() {
        api.close();
        carrier.close();
    }
}
