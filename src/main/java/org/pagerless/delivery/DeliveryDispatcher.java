package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.delivery.DeliveryMetrics.ReasonClass;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.delivery.model.MessagePush;
import org.pagerless.delivery.model.PushMessage;
import org.pagerless.platform.Failures;
import org.pagerless.platform.engine.Engine;
import org.pagerless.platform.engine.EngineLoop;
import org.pagerless.platform.engine.EngineModule;
import org.pagerless.rota.ReferenceData;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Works the outbox, as the engine module {@value #MODULE}: claims the deliveries due by the app clock and sends
 * them, or withdraws the ones no longer needed. It ticks when the earliest pending row falls due, when the outbox
 * writer has written rows, when a busy channel frees a worker, and at least every {@code pagerless.delivery.tick}.
 * <p>
 * Isolation: in-app rows are recorded on the tick's thread; push, SMS and voice sends each run on their channel's
 * {@link Bulkhead}, and a channel is given no more rows than it has free workers, so a slow push service or a slow
 * Twilio never holds up another channel. Every provider call has its own timeout. A row that throws is retried with
 * the outbox's backoff (then failed), and never stops the rest of the batch. A later ladder step goes only while the
 * task is still offered to the person and nothing earlier was read; nothing is sent after its expiry. A text or call
 * whose outcome we never learnt is {@link Reconciliation reconciled} with Twilio before anything is sent again.
 */
@ApplicationScoped
public class DeliveryDispatcher implements EngineModule {
    private static final Logger LOG = Logger.getLogger(DeliveryDispatcher.class);
    static final String MODULE = "delivery-dispatcher";

    @Inject
    DeliveryOutbox outbox;
    @Inject
    DeliveryClaims claims;
    @Inject
    DeliverySettings settings;
    @Inject
    SmsDispatch smsDispatch;
    @Inject
    Reconciliation reconciliation;
    @Inject
    TwilioVoice voice;
    @Inject
    Contacts contacts;
    @Inject
    PhoneConfirmations confirmations;
    @Inject
    StillNeeded stillNeeded;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;
    @Inject
    DeliveryMetrics metrics;
    @Inject
    WebPushSender push;
    @Inject
    PushSubscriptions subscriptions;
    @Inject
    ObjectMapper json;
    @Inject
    Engine engine;

    /** The longest sleep between ticks: bounds lateness for rows another pod wrote or moved. */
    @ConfigProperty(name = "pagerless.delivery.tick", defaultValue = "5s")
    Duration every;
    /** In-app rows recorded per tick (more due: the next tick comes at once). */
    @ConfigProperty(name = "pagerless.delivery.in-app-batch", defaultValue = "200")
    int inAppBatch;
    @ConfigProperty(name = "pagerless.delivery.workers.push", defaultValue = "8")
    int pushWorkers;
    @ConfigProperty(name = "pagerless.delivery.workers.sms", defaultValue = "4")
    int smsWorkers;
    @ConfigProperty(name = "pagerless.delivery.workers.voice", defaultValue = "4")
    int voiceWorkers;

    private final Map<Channel, Bulkhead> bulkheads = new EnumMap<>(Channel.class);
    private volatile EngineLoop loop;
    private Instant lastPrune = Instant.EPOCH;

    void onStart(@Observes @Priority(50) StartupEvent start) {
        bulkheads.put(Channel.PUSH, new Bulkhead(Channel.PUSH.code(), pushWorkers, this::wake));
        bulkheads.put(Channel.SMS, new Bulkhead(Channel.SMS.code(), smsWorkers, this::wake));
        bulkheads.put(Channel.VOICE, new Bulkhead(Channel.VOICE.code(), voiceWorkers, this::wake));
        loop = engine.loop(this);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (loop != null) {
            loop.stop();
        }
        bulkheads.values().forEach(Bulkhead::stop);
    }

    /** Ticks as soon as possible: new rows were written, or a row was put back due now. */
    public void wake() {
        EngineLoop l = loop;
        if (l != null) {
            l.wake();
        }
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public Duration every() {
        return every;
    }

    @Override
    public Next tick(Instant now) throws SQLException {
        if (Duration.between(lastPrune, now).toHours() >= 1) {
            outbox.pruneEarlyCallbacks(now);
            lastPrune = now;
        }
        Duration stuck = settings.sendingDeadline();
        List<Delivery> inApp = claims.claimDue(Channel.IN_APP, now, stuck, inAppBatch);
        Map<UUID, String> inAppUnneeded = unneededOrFail(inApp, now);
        for (Delivery d : inApp) {
            if (inAppUnneeded != null) {
                isolated(d, () -> inApp(d, inAppUnneeded.get(d.id())));
            }
        }
        List<Channel> open = new ArrayList<>(List.of(Channel.IN_APP));
        for (Map.Entry<Channel, Bulkhead> channel : bulkheads.entrySet()) {
            Bulkhead workers = channel.getValue();
            int free = workers.free();
            List<Delivery> claimed = claims.claimDue(channel.getKey(), now, stuck, free);
            if (claimed.size() >= free) {
                workers.saturated(); // its next free worker wakes us
            } else {
                open.add(channel.getKey());
            }
            if (channel.getKey() == Channel.SMS) {
                texts(claimed, workers);
            } else {
                Map<UUID, String> unneeded = unneededOrFail(claimed, now);
                for (Delivery d : claimed) {
                    if (unneeded != null) {
                        workers.submit(() -> isolated(d, () -> send(d, unneeded.get(d.id()))));
                    }
                }
            }
        }
        if (inApp.size() >= inAppBatch) {
            return Next.atOnce();
        }
        return claims.nextDue(open, stuck).map(due -> Next.at(due, now)).orElse(Next.regular());
    }

    /** Texts go through {@link SmsDispatch} together (the rate limit bundles them); each text then on a worker. */
    private void texts(List<Delivery> claimed, Bulkhead workers) {
        List<Delivery> plain = new ArrayList<>();
        for (Delivery d : claimed) {
            if (d.unsureSince() != null) {
                workers.submit(() -> isolated(d, () -> reconciliation.reconcile(d)));
            } else {
                plain.add(d);
            }
        }
        List<SmsDispatch.Outgoing> outgoing;
        try {
            outgoing = smsDispatch.plan(plain);
        } catch (Exception e) {
            plain.forEach(d -> failedToDispatch(d, e));
            return;
        }
        for (SmsDispatch.Outgoing text : outgoing) {
            workers.submit(() -> smsDispatch.send(text));
        }
    }

    /**
     * One push or call, on its channel's worker (texts are batched in {@link #texts}). {@code unneeded}: why it need
     * not go, as {@link StillNeeded#whyNot} found for the claim it came in (null: it must go).
     */
    private void send(Delivery d, String unneeded) throws SQLException {
        if (d.channel() == Channel.VOICE && d.unsureSince() != null) {
            reconciliation.reconcile(d);
            return;
        }
        Instant now = clock.instant();
        if (unneeded != null) {
            claims.withdraw(d, unneeded, now);
            return;
        }
        switch (d.channel()) {
            case PUSH -> sendPush(d, now);
            case VOICE -> call(d, now);
            default -> throw new IllegalStateException("not sent on a worker: " + d.channel());
        }
    }

    /** The task is in the person's inbox and on their live feed; "delivered" and "read" come from the app. */
    private void inApp(Delivery d, String unneeded) throws SQLException {
        Instant now = clock.instant();
        if (unneeded != null) {
            claims.withdraw(d, unneeded, now);
            return;
        }
        metrics.attempt(d.channel());
        claims.finish(d, DeliveryStatus.SENT, null, now, null, null, d.attempts() + 1, d.dueAt(), null);
        metrics.latency(d.channel(), d.dueAt(), now);
    }

    /** {@link StillNeeded#whyNot}, or, when it cannot be known (the database is down), null after failing each row. */
    private Map<UUID, String> unneededOrFail(List<Delivery> claimed, Instant now) {
        try {
            return stillNeeded.whyNot(claimed, now);
        } catch (Exception e) {
            claimed.forEach(d -> failedToDispatch(d, e));
            return null;
        }
    }

    /**
     * A call to the person's mobile through Twilio (ADR 0012); a person without one, or whose number is not
     * confirmed (ADR 0034), is skipped, with the reason.
     */
    private void call(Delivery d, Instant now) throws SQLException {
        Optional<String> phone = contacts.phoneOf(d.staffId());
        if (!voice.enabled()) {
            fail(d, now, null, "voice channel is not configured", ReasonClass.NOT_CONFIGURED);
            return;
        }
        if (phone.isEmpty()) {
            fail(d, now, null, "no mobile number on record", ReasonClass.NO_ADDRESS);
            return;
        }
        if (!confirmations.confirmed(d.staffId(), phone.get())) {
            fail(d, now, phone.get(), PhoneConfirmations.NOT_CONFIRMED, ReasonClass.NOT_CONFIRMED);
            return;
        }
        if (!claims.holds(d)) {
            return; // another dispatcher has claimed it since: it is theirs to place
        }
        int attempt = d.attempts() + 1;
        metrics.attempt(d.channel());
        try {
            String sid = voice.call(phone.get(), d.id());
            claims.finish(d, DeliveryStatus.QUEUED, null, clock.instant(), phone.get(), sid, attempt, d.dueAt(), null);
            metrics.latency(d.channel(), d.dueAt(), clock.instant());
        } catch (TwilioSms.Rejected e) {
            metrics.failure(d.channel(), ReasonClass.REJECTED);
            claims.finish(d, DeliveryStatus.FAILED, e.getMessage(), clock.instant(), phone.get(), null, attempt,
                    d.dueAt(), null);
        } catch (RuntimeException e) {
            // Twilio may have placed it (a timeout, a lost answer): reconciled before any new attempt.
            metrics.failure(d.channel(), ReasonClass.UNREACHABLE);
            retryOrGiveUp(d, attempt, Failures.describe(e), phone.get(), d.updatedAt());
        }
    }

    /**
     * Pushes to every live subscription of the person (ADR 0011). Sent if any push service took it. A
     * subscription answered 404/410 is retired on the spot; when none took it the step fails (the
     * ladder's next step still comes), or, if a push service failed transiently, is retried with the
     * outbox's bounded backoff. A person with no live subscription skips the step. A retried push is never
     * reconciled: it carries {@code Topic} = the notification id, so the push service replaces an undelivered
     * copy, and the service worker shows it with {@code tag} = the notification id, replacing rather than stacking.
     */
    private void sendPush(Delivery d, Instant now) throws SQLException {
        if (!push.enabled()) {
            fail(d, now, null, "Web Push channel is not configured", ReasonClass.NOT_CONFIGURED);
            return;
        }
        List<PushSubscriptions.PushSubscription> live = subscriptions.live(d.staffId());
        if (live.isEmpty()) {
            claims.withdraw(d, "no live push subscription: step skipped", now);
            return;
        }
        int attempt = d.attempts() + 1;
        Object message;
        String urgency;
        String topic;
        if (d.isMessage()) {
            MessagePush m = MessagePush.of(d.id(), d.notificationId(), d.conversationId(), d.title(),
                    Notification.MENTION.equals(d.kind()));
            message = m;
            urgency = m.urgency();
            topic = m.topic();
        } else {
            PushMessage m = PushMessage.of(d.id(), d.notificationId(), d.priority(), d.fyi(), d.kind(),
                    referenceData.wardName(d.wardId()), d.ref(), d.callback());
            message = m;
            urgency = m.urgency();
            topic = m.topic();
        }
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Duration ttl = Duration.between(now, d.expiresAt());
        String address = live.stream().map(s -> s.id().toString()).collect(java.util.stream.Collectors.joining(","));
        int sent = 0;
        String permanent = null;
        String transientFailure = null;
        for (PushSubscriptions.PushSubscription s : live) {
            metrics.attempt(d.channel());
            try {
                push.send(s, payload, ttl, urgency, topic, now);
                sent++;
            } catch (WebPushSender.Gone e) {
                metrics.failure(d.channel(), ReasonClass.NO_ADDRESS);
                subscriptions.retire(s.id(), e.getMessage(), clock.instant());
                permanent = e.getMessage() + ", retired";
            } catch (WebPushSender.Rejected e) {
                metrics.failure(d.channel(), ReasonClass.REJECTED);
                permanent = e.getMessage();
            } catch (RuntimeException e) {
                metrics.failure(d.channel(), ReasonClass.UNREACHABLE);
                transientFailure = Failures.describe(e);
            }
        }
        if (sent > 0) {
            claims.finish(d, DeliveryStatus.SENT, null, clock.instant(), address, null, attempt, d.dueAt(), null);
            metrics.latency(d.channel(), d.dueAt(), clock.instant());
        } else if (transientFailure == null) {
            claims.finish(d, DeliveryStatus.FAILED, permanent, clock.instant(), address, null, attempt, d.dueAt(), null);
        } else {
            retryOrGiveUp(d, attempt, transientFailure, address, null);
        }
    }

    /**
     * A transient failure: back to pending with doubling backoff, or failed once the attempts are spent.
     * {@code unsureSince}: when a provider may have taken it without our knowing (null if it cannot have).
     */
    void retryOrGiveUp(Delivery d, int attempt, String reason, String address, Instant unsureSince)
            throws SQLException {
        if (attempt >= settings.maxAttempts()) {
            claims.finish(d, DeliveryStatus.FAILED, "gave up after " + attempt + " attempts: " + reason,
                    clock.instant(), address, null, attempt, d.dueAt(), unsureSince);
        } else {
            Instant retryAt = clock.instant().plus(settings.retryBackoff().multipliedBy(1L << (attempt - 1)));
            claims.finish(d, DeliveryStatus.PENDING, "attempt " + attempt + " failed, retrying: " + reason,
                    clock.instant(), address, null, attempt, retryAt, unsureSince);
        }
    }

    /** Work on one row that must not stop the others: whatever it throws is that row's failed attempt. */
    interface RowWork {
        void run() throws Exception;
    }

    void isolated(Delivery d, RowWork work) {
        try {
            work.run();
        } catch (Exception | LinkageError e) {
            failedToDispatch(d, e);
        }
    }

    /**
     * A row whose handling threw: retried with backoff like any failed attempt (for a text or call, as unsure: the
     * failure may have come after Twilio took it). If even that cannot be recorded (the database is down), the row
     * stays claimed until its sending deadline and is claimed again then.
     */
    void failedToDispatch(Delivery d, Throwable e) {
        String why = Failures.describe(e);
        LOG.warnf("delivery %s (%s): dispatch failed, retrying with backoff: %s", d.id(), d.channel().code(), why);
        boolean twilio = d.channel() == Channel.SMS || d.channel() == Channel.VOICE;
        try {
            retryOrGiveUp(d, d.attempts() + 1, why, null, twilio ? d.updatedAt() : null);
        } catch (SQLException | RuntimeException again) {
            LOG.warnf("delivery %s: the failure could not be recorded either (%s); claimed again after the deadline",
                    d.id(), Failures.describe(again));
        }
    }

    private void fail(Delivery d, Instant now, String address, String reason, ReasonClass reasonClass)
            throws SQLException {
        metrics.failure(d.channel(), reasonClass);
        claims.finish(d, DeliveryStatus.FAILED, reason, now, address, null, d.attempts(), d.dueAt(), null);
    }
}
