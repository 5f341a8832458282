package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagerless.support.Deliveries.awaitDelivery;
import static org.pagerless.support.Deliveries.delivery;
import static org.pagerless.support.Deliveries.phoneOfRecord;
import static org.pagerless.support.Deliveries.raiseFor;
import static org.pagerless.support.Deliveries.ref;

import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FakeTwilio;
import org.pagerless.support.FakeTwilio.Call;
import org.pagerless.support.FakeTwilio.Device;
import org.pagerless.support.FakeTwilio.Sms;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.POST;

/**
 * The one signature check in front of every Twilio webhook ({@link TwilioSigned}, {@link TwilioSignature}): a request
 * Twilio did not sign exactly as it arrived (another token, Twilio's signature for another address, a parameter changed
 * after signing) is answered 403 problem+json before the webhook runs, and changes nothing; Twilio's own requests
 * pass, with their whole body still there for the webhook.
 */
@QuarkusTest
class TwilioSignatureFlowTest extends FlowTest {
    static final FakeTwilio TWILIO = PagerlessInfra.twilio();
    static final String DOCTOR = "priya.shah";

    /** One webhook as Twilio calls it, and the parameter a forger would change (to what). */
    record Webhook(String name, String url, Map<String, String> params, String key, String forged) {
        Map<String, String> tampered() {
            Map<String, String> changed = new LinkedHashMap<>(params);
            changed.put(key, forged);
            return changed;
        }
    }

    @Test
    void everyTwilioWebhookIsBoundToTheSignatureCheck() {
        for (Class<?> webhooks : List.of(TwilioWebhooks.class, VoiceWebhooks.class)) {
            for (Method m : webhooks.getDeclaredMethods()) {
                if (m.isAnnotationPresent(POST.class)) {
                    assertThat(m.isAnnotationPresent(TwilioSigned.class)).as(webhooks.getSimpleName() + "." + m.getName())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void aRequestTwilioDidNotSignExactlyIsRefused403AtEveryWebhookAndChangesNothing() {
        String phone = phoneOfRecord(DOCTOR);
        Device device = TWILIO.device(phone);
        String id = raiseFor(DOCTOR, "stat");
        String ref = ref(id);
        Sms sms = device.expectSms(ref);
        Call call = device.expectCall();
        awaitDelivery(DOCTOR, id, "sms", "queued");
        String voiceId = (String) awaitDelivery(DOCTOR, id, "voice", "queued").get("id");
        int spoken = TWILIO.spoken().size();
        String elsewhere = PagerlessInfra.APP_URL + "/twilio/voice/" + UUID.randomUUID();

        List<Webhook> webhooks = List.of(
                new Webhook("text status", sms.statusCallback(), FakeTwilio.statusParams(sms, "delivered"),
                        "MessageStatus", "failed"),
                new Webhook("inbound text", TWILIO.inboundUrl(), FakeTwilio.inboundParams(phone, ref + " 2"),
                        "Body", ref + " 1"),
                new Webhook("call status", call.statusCallback(), FakeTwilio.statusParams(call, "completed"),
                        "CallStatus", "busy"),
                new Webhook("call answered", call.url(), FakeTwilio.answerParams(call), "CallSid", "CA" + voiceId),
                new Webhook("key pressed", call.url() + "/key", FakeTwilio.pressParams(call, "2"), "Digits", "1"));
        for (Webhook w : webhooks) {
            refused(w.name() + " signed with another token",
                    TWILIO.postSignedOver(w.url(), w.params(), w.url(), w.params(), "not-the-auth-token"));
            refused(w.name() + " signed by Twilio for another address",
                    TWILIO.postSignedOver(w.url(), w.params(), elsewhere, w.params(), FakeTwilio.AUTH_TOKEN));
            refused(w.name() + " with " + w.key() + " changed after signing",
                    TWILIO.postSignedOver(w.url(), w.tampered(), w.url(), w.params(), FakeTwilio.AUTH_TOKEN));
        }

        assertThat(delivery(DOCTOR, id, "sms").get("status")).isEqualTo("queued");
        assertThat(delivery(DOCTOR, id, "voice").get("status")).isEqualTo("queued");
        Map<String, Object> task = Api.as("sam.patel").task(id);
        assertThat(task.get("status")).isEqualTo("offered");
        assertThat(Tasks.events(task)).doesNotContain("TaskAccepted", "TaskDeclined");
        assertThat(TWILIO.spoken()).hasSize(spoken);

        // Twilio's own requests pass, and the webhook still reads the whole body the check read first.
        assertThat(TWILIO.status(sms, "delivered")).isEqualTo(204);
        awaitDelivery(DOCTOR, id, "sms", "delivered");
        assertThat(TWILIO.press(call, TWILIO.answer(call), "1").text()).startsWith("Accepted");
        Tasks.awaitStatus(id, "accepted");

        TWILIO.discardMentioning(ref);
        TWILIO.discardCallsTo(voiceId);
    }

    private static void refused(String what, HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(what).isEqualTo(403);
        assertThat(answer.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.body()).as(what).contains("\"status\":403").contains("X-Twilio-Signature");
    }
}
