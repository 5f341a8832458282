package org.pagerless.support;

import static org.pagerless.support.TwilioWire.answerParams;
import static org.pagerless.support.TwilioWire.statusParams;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.pagerless.support.FakeTwilio.Call;
import org.pagerless.support.FakeTwilio.Sms;

/**
 * {@link FakeTwilio}'s carrier, for a benchmark: once {@link #start started}, it reports every text's and call's
 * progress to the app as a carrier and Twilio would (see {@link FakeTwilio#reportLikeACarrier}), on threads of its
 * own, and counts the webhooks the app answered or refused. Until then it reports nothing.
 */
final class FakeCarrier implements AutoCloseable {
    /** Posts the webhooks (signed) and keeps the API's list up to date. */
    private final FakeTwilio twilio;
    private volatile ExecutorService carrier;
    private final AtomicInteger reportsPending = new AtomicInteger();
    private final AtomicLong webhooksAnswered = new AtomicLong();
    private final AtomicLong webhooksRefused = new AtomicLong();
    private final AtomicLong callsAnswered = new AtomicLong();

    FakeCarrier(FakeTwilio twilio) {
        this.twilio = twilio;
    }

    /** From now on, reports on {@code threads} daemon threads, one after the other per text or call. */
    void start(int threads) {
        this.carrier = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fake-carrier");
            t.setDaemon(true);
            return t;
        });
    }

    int reportsPending() {
        return reportsPending.get();
    }

    long webhooksAnswered() {
        return webhooksAnswered.get();
    }

    long webhooksRefused() {
        return webhooksRefused.get();
    }

    long callsAnswered() {
        return callsAnswered.get();
    }

    private void report(Runnable progress) {
        ExecutorService c = carrier;
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

    /** A text the API answered: reported {@code sent}, then {@code delivered}, if it asked for status callbacks. */
    void reportText(Sms sms) {
        if (sms.statusCallback() == null) {
            return;
        }
        report(() -> {
            for (String status : List.of("sent", "delivered")) {
                twilio.reported(sms.sid(), status, true);
                carried(twilio.signedPost(sms.statusCallback(), statusParams(sms, status)));
            }
        });
    }

    /** A call the API answered: answered, and reported by the events it asked for, if it asked for callbacks. */
    void reportCall(Call call) {
        if (call.statusCallback() == null) {
            return;
        }
        java.util.Set<String> events = call.statusCallbackEvents() == null || call.statusCallbackEvents().isBlank()
                ? java.util.Set.of("completed") // Twilio's default
                : java.util.Set.copyOf(List.of(call.statusCallbackEvents().trim().split("[ ,]+"))); // repeats allowed
        report(() -> {
            for (String status : List.of("initiated", "ringing")) {
                if (events.contains(status) && call.statusCallback() != null) {
                    carried(twilio.signedPost(call.statusCallback(), statusParams(call, status)));
                }
            }
            twilio.reported(call.sid(), "in-progress", true);
            HttpResponse<String> twiml = twilio.signedPost(call.url(), answerParams(call));
            carried(twiml);
            if (twiml.statusCode() == 200) {
                callsAnswered.incrementAndGet();
            }
            // The "answered" event reports the call status in-progress.
            for (String[] event : new String[][] {{"answered", "in-progress"}, {"completed", "completed"}}) {
                twilio.reported(call.sid(), event[1], true);
                if (events.contains(event[0]) && call.statusCallback() != null) {
                    carried(twilio.signedPost(call.statusCallback(), statusParams(call, event[1])));
                }
            }
        });
    }

    @Override
    public void close() {
        if (carrier != null) {
            carrier.shutdownNow();
        }
    }
}
