package org.pagerless.support;

import static org.awaitility.Awaitility.await;
import static org.pagerless.support.FakeTwilio.FROM;
import static org.pagerless.support.TwilioWire.hex;
import static org.pagerless.support.TwilioWire.inboundParams;
import static org.pagerless.support.TwilioWire.twimlMessage;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.pagerless.support.FakeTwilio.Call;
import org.pagerless.support.FakeTwilio.Sms;

/**
 * One handset, GoAlert style: expect what it should get; anything else it got fails {@link #assertNothingElse}.
 * Tests know it as {@link FakeTwilio.Device}, from {@link FakeTwilio#device}; it reads what {@link FakeTwilioApi}
 * took for this phone, and texts back through {@link FakeTwilio}'s signed webhooks.
 */
public class FakeHandset {
    private final FakeTwilio twilio;
    private final FakeTwilioApi api;
    private final String phone;

    FakeHandset(FakeTwilio twilio, FakeTwilioApi api, String phone) {
        this.twilio = twilio;
        this.api = api;
        this.phone = phone;
    }

    public String phone() {
        return phone;
    }

    /** Waits for a text to this phone containing every fragment, and marks it as expected. */
    public Sms expectSms(String... containing) {
        return take(api.unread,
                sms -> sms.to().equals(phone) && Arrays.stream(containing).allMatch(sms.body()::contains));
    }

    /** Waits for a call to this phone, and marks it as expected. */
    public Call expectCall() {
        return take(api.unexpectedCalls, call -> call.to().equals(phone));
    }

    /** Waits (up to 20 s) for the first of {@code pending} that is {@code wanted}, and takes it out. */
    private static <T> T take(List<T> pending, Predicate<T> wanted) {
        List<T> found = new ArrayList<>(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            pending.stream().filter(wanted).findFirst().ifPresent(found::add);
            return !found.isEmpty();
        });
        pending.remove(found.get(0));
        return found.get(0);
    }

    /** Fails if this phone got any text or call the test did not expect. */
    public void assertNothingElse() {
        List<String> unexpected = api.unread.stream().filter(s -> s.to().equals(phone)).map(Sms::body).toList();
        if (!unexpected.isEmpty()) {
            throw new AssertionError("unexpected SMS to " + phone + ": " + unexpected);
        }
        List<String> rang = api.unexpectedCalls.stream().filter(c -> c.to().equals(phone)).map(Call::url).toList();
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
        List<String> textsAbout = api.texted.stream().filter(sms -> sms.to().equals(phone) && sms.body() != null
                && sms.body().contains(ref)).map(Sms::body).toList();
        List<String> callsAbout = api.calls.stream().filter(call -> call.to().equals(phone)
                && voiceDeliveryIds.stream().anyMatch(id -> call.url() != null && call.url().endsWith("/" + id)))
                .map(Call::url).toList();
        if (textsAbout.size() != texts || callsAbout.size() != calls) {
            throw new AssertionError("phone " + phone + " about task ref " + ref + ": expected " + texts
                    + " text(s) and " + calls + " call(s), got texts " + textsAbout + " and calls " + callsAbout);
        }
        api.unread.removeIf(sms -> sms.to().equals(phone) && sms.body() != null && sms.body().contains(ref));
        api.unexpectedCalls.removeIf(call -> call.to().equals(phone) && voiceDeliveryIds.stream()
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
        HttpResponse<String> response = twilio.signedPost(twilio.inboundUrl(), params);
        if (response.statusCode() != 200) {
            throw new AssertionError("inbound SMS webhook answered " + response.statusCode());
        }
        String answer = twimlMessage(response.body());
        api.received.add(new Sms("SM" + hex(), phone, FROM, answer, null, null, Instant.now()));
        return answer;
    }

    /** Posts an inbound text signed with the wrong token; returns the HTTP status. */
    public int forgedReply(String body) {
        Map<String, String> params = inbound(body);
        return twilio.forgedPost(twilio.inboundUrl(), params, true).statusCode();
    }

    private Map<String, String> inbound(String body) {
        return inboundParams(phone, body);
    }
}
