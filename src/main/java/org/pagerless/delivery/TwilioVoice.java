package org.pagerless.delivery;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Places page calls through the official Twilio SDK, on the same account as SMS (ADR 0012). Twilio fetches
 * what to say from our own webhook, {@code /twilio/voice/{deliveryId}}, when the call is answered, so the
 * words are decided at that moment (a task taken meanwhile is not offered again). Contract of
 * {@link #call}: a returned sid means Twilio is placing the call; {@link TwilioSms.Rejected} means it never
 * will (do not retry); any other exception means it may be attempted again. No retry here, as for SMS: a
 * timed-out POST may still have placed the call.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // its guard's circuit breaker is known (health, maintenance) before the first call
public class TwilioVoice {
    /** The circuit breaker around Twilio's Calls resource (see DeliveryHealth). */
    static final String CIRCUIT = "twilio-voice";
    /**
     * Call status events Twilio reports to {@link VoiceWebhooks#STATUS_PATH}: only those that tell us something
     * (ADR 0076). {@code ringing} moves the row from queued to sent (the phone rang); {@code completed} carries the end,
     * whatever it was (completed, busy, no-answer, failed, canceled). Not {@code initiated} (the create's answer already
     * said Twilio is placing the call) nor {@code answered} (Twilio fetching the call's words is the answer: {@link
     * VoiceCalls#answered} records it).
     */
    private static final List<String> EVENTS = List.of("ringing", "completed");

    @Inject
    TwilioSms twilio;

    private ChannelGuard guard;

    @jakarta.annotation.PostConstruct
    void guarded() {
        guard = new ChannelGuard("voice", this::enabled, CIRCUIT, TwilioVoice.class.getName() + ".call",
                Duration.ofSeconds(15), List.of(TwilioSms.Rejected.class));
    }

    /** How long the phone rings before Twilio gives up ({@code no-answer}). */
    @ConfigProperty(name = "pagerless.delivery.voice.ring-timeout", defaultValue = "30s")
    Duration ringTimeout;
    /** A page call never lasts longer than this. */
    @ConfigProperty(name = "pagerless.delivery.voice.time-limit", defaultValue = "3m")
    Duration timeLimit;

    /** Voice needs the Twilio account and the public URL Twilio fetches the call's words from. */
    public boolean enabled() {
        return twilio.enabled() && twilio.publicUrl().isPresent();
    }

    /**
     * The calls Twilio has to {@code to} from our number, created at or after {@code since} (Twilio's clock), newest
     * first: what a call request whose outcome we never learnt may have become. A call resource does not say which URL
     * it fetches, so only number, sender and time tell calls apart (see {@link Reconciliation}). The SDK's Call reader
     * (To and From filters, paged, read as {@link TwilioSms#since} reads). Not by {@code StartTime}: a call still queued
     * has none yet. Throws if Twilio cannot be asked or cannot say (then nothing may be placed yet).
     */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public List<TwilioSms.Listed> callsSince(String to, java.time.Instant since) {
        if (!enabled()) { // not "not there": the row waits, unsure
            throw new TwilioSms.Unclear("voice channel is not configured: Twilio cannot be asked");
        }
        var calls = Call.reader().setTo(new PhoneNumber(to)).setFrom(new PhoneNumber(twilio.from()))
                .setPageSize((long) TwilioSms.RECONCILE_PAGE).read(twilio.client());
        return TwilioSms.since(calls, since, c -> c.getDateCreated() == null ? null
                : new TwilioSms.Listed(c.getSid(), c.getDateCreated().toInstant(), null));
    }

    /**
     * Calls {@code to} about delivery {@code deliveryId}. Answering-machine detection stays off (Twilio's
     * default): the call waits for a key, and a voicemail greeting presses none.
     */
    public String call(String to, UUID deliveryId) {
        return guard.call(() -> place(to, deliveryId), String.class);
    }

    /** The guard every call goes through (configured, circuit breaker, timeout); see {@link ChannelGuard}. */
    ChannelGuard guard() {
        return guard;
    }

    private String place(String to, UUID deliveryId) {
        String base = twilio.publicUrl().get();
        var creator = Call.creator(new PhoneNumber(to), new PhoneNumber(twilio.from()),
                        URI.create(base + VoiceWebhooks.callPath(deliveryId)))
                .setMethod(HttpMethod.POST)
                .setStatusCallback(base + VoiceWebhooks.STATUS_PATH)
                .setStatusCallbackMethod(HttpMethod.POST)
                .setStatusCallbackEvent(EVENTS)
                .setTimeout((int) Math.max(5, Math.min(600, ringTimeout.toSeconds())))
                .setTimeLimit((int) Math.max(30, timeLimit.toSeconds()));
        try {
            return creator.create(twilio.client()).getSid();
        } catch (ApiException e) {
            Integer status = e.getStatusCode();
            if (status != null && status >= 400 && status < 500 && status != 429) {
                throw new TwilioSms.Rejected("Twilio " + e.getCode() + ": " + e.getMessage());
            }
            throw e;
        }
    }
}
