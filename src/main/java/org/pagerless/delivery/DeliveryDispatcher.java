package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.delivery.DeliveryMetrics.ReasonClass;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.platform.Failures;
import org.pagerless.platform.engine.Engine;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Works the outbox: claims the deliveries due by the app clock and sends them, or withdraws the ones no longer needed.
 * Each channel is a {@link DeliveryLane} of its own, an engine module ({@code delivery-in-app}, {@code delivery-push},
 * {@code delivery-sms}, {@code delivery-voice}) that claims its channel's due rows, stat first, when the earliest falls
 * due, when the outbox writer has written rows, when the channel frees a place, and at least every
 * {@code pagerless.delivery.tick}.
 * <p>
 * Isolation: in-app rows are recorded on their lane's thread, a whole claim in one transaction; pushes are sent
 * without blocking ({@link PushDispatch}), at most {@code workers.push} in flight; texts and calls each run on their
 * channel's {@link Bulkhead}, and a channel is given no more rows than it has free places, so a slow push service or a
 * slow Twilio never holds up another channel. Every provider call goes through its channel's {@link ChannelGuard}
 * (configured, circuit breaker, timeout). A row that throws is retried with the outbox's backoff (then failed), and
 * never stops the rest of the batch. A later ladder step goes only while the task is still offered to the person and
 * nothing earlier was read; nothing is sent after its expiry. A text or call whose outcome we never learnt is
 * {@link Reconciliation reconciled} with Twilio before anything is sent again.
 */
@ApplicationScoped
public class DeliveryDispatcher {

    @Inject
    DeliveryOutbox outbox;
    @Inject
    DeliveryClaims claims;
    @Inject
    DeliverySettings settings;
    @Inject
    SmsDispatch smsDispatch;
    @Inject
    PushDispatch pushDispatch;
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
    DeliveryFailures failures;
    @Inject
    InstantSource clock;
    @Inject
    DeliveryMetrics metrics;
    @Inject
    Engine engine;

    /** The longest sleep between ticks: bounds lateness for rows another pod wrote or moved. */
    @ConfigProperty(name = "pagerless.delivery.tick", defaultValue = "5s")
    Duration every;
    /** In-app rows recorded per pass (more due: the next pass comes at once). */
    @ConfigProperty(name = "pagerless.delivery.in-app-batch", defaultValue = "200")
    int inAppBatch;
    @ConfigProperty(name = "pagerless.delivery.workers.push", defaultValue = "64")
    int pushWorkers;
    @ConfigProperty(name = "pagerless.delivery.workers.sms", defaultValue = "4")
    int smsWorkers;
    @ConfigProperty(name = "pagerless.delivery.workers.voice", defaultValue = "4")
    int voiceWorkers;
    /** Texts a second the Twilio account allows (its messaging allowance); 0: bounded by the workers alone. */
    @ConfigProperty(name = "pagerless.delivery.sms.allowance-per-second", defaultValue = "0")
    double smsAllowance;
    /** Calls a second the Twilio account allows (its calls-per-second limit); 0: bounded by the workers alone. */
    @ConfigProperty(name = "pagerless.delivery.voice.allowance-per-second", defaultValue = "0")
    double voiceAllowance;

    private final Map<Channel, DeliveryLane> lanes = new EnumMap<>(Channel.class);
    private final Map<Channel, Bulkhead> bulkheads = new EnumMap<>(Channel.class);
    private Instant lastPrune = Instant.EPOCH;

    void onStart(@Observes @Priority(50) StartupEvent start) {
        Duration stuck = settings.sendingDeadline();
        lane(Channel.IN_APP, new DeliveryLane.Work() {
            @Override
            public void before(Instant now) throws SQLException {
                if (Duration.between(lastPrune, now).toHours() >= 1) {
                    outbox.pruneEarlyCallbacks(now);
                    lastPrune = now;
                }
            }

            @Override
            public int room() {
                return inAppBatch;
            }

            @Override
            public boolean again() {
                return true;
            }

            @Override
            public void claimed(List<Delivery> rows, Instant now) {
                inApp(rows, now);
            }
        }, stuck);
        Bulkhead push = bulkhead(Channel.PUSH, pushWorkers, false);
        lane(Channel.PUSH, new Channelled(push) {
            @Override
            public void before(Instant now) throws SQLException {
                pushDispatch.recordFinished();
            }

            @Override
            public void claimed(List<Delivery> rows, Instant now) {
                try {
                    pushDispatch.dispatch(rows, now, push, () -> lanes.get(Channel.PUSH).wake());
                } catch (Exception e) {
                    rows.forEach(d -> failures.failedToDispatch(d, e));
                }
            }
        }, stuck);
        Bulkhead sms = bulkhead(Channel.SMS, smsWorkers, true);
        lane(Channel.SMS, new Channelled(sms, smsAllowance) {
            @Override
            public void claimed(List<Delivery> rows, Instant now) {
                took(rows);
                texts(rows, sms);
            }
        }, stuck);
        Bulkhead calls = bulkhead(Channel.VOICE, voiceWorkers, true);
        lane(Channel.VOICE, new Channelled(calls, voiceAllowance) {
            @Override
            public void claimed(List<Delivery> rows, Instant now) {
                took(rows);
                Map<UUID, String> unneeded = unneededOrFail(rows, now);
                for (Delivery d : rows) {
                    if (unneeded != null) {
                        calls.submit(() -> failures.isolated(d, () -> call(d, unneeded.get(d.id()))));
                    }
                }
            }
        }, stuck);
    }

    /** A channel whose room is its bulkhead's free places, within its provider's allowance if one is configured. */
    private abstract static class Channelled implements DeliveryLane.Work {
        private final Bulkhead places;
        private final Allowance allowance;

        Channelled(Bulkhead places) {
            this(places, 0);
        }

        Channelled(Bulkhead places, double perSecond) {
            this.places = places;
            this.allowance = new Allowance(perSecond);
        }

        @Override
        public int room() {
            return Math.min(places.free(), allowance.available());
        }

        @Override
        public java.util.Optional<Duration> roomIn() {
            return allowance.untilNext();
        }

        /** The claimed rows count against the provider's allowance. */
        final void took(List<Delivery> rows) {
            allowance.take(rows.size());
        }

        @Override
        public void saturated() {
            places.saturated();
        }
    }

    private Bulkhead bulkhead(Channel channel, int size, boolean threads) {
        Bulkhead b = new Bulkhead(channel.code(), size, threads, () -> lanes.get(channel).wake());
        bulkheads.put(channel, b);
        return b;
    }

    private void lane(Channel channel, DeliveryLane.Work work, Duration stuck) {
        DeliveryLane lane = new DeliveryLane(channel, claims, stuck, every, work);
        lanes.put(channel, lane);
        lane.run(engine.loop(lane));
    }

    void onStop(@Observes ShutdownEvent stop) {
        lanes.values().forEach(DeliveryLane::stop);
        bulkheads.values().forEach(Bulkhead::stop);
    }

    /** Every lane claims as soon as possible: new rows were written, or a row was put back due now. */
    public void wake() {
        lanes.values().forEach(DeliveryLane::wake);
    }

    /** Texts go through {@link SmsDispatch} together (the rate limit bundles them); each text then on a worker. */
    private void texts(List<Delivery> claimed, Bulkhead workers) {
        List<Delivery> plain = new java.util.ArrayList<>();
        for (Delivery d : claimed) {
            if (d.unsureSince() != null) {
                workers.submit(() -> failures.isolated(d, () -> reconciliation.reconcile(d)));
            } else {
                plain.add(d);
            }
        }
        List<SmsDispatch.Outgoing> outgoing;
        try {
            outgoing = smsDispatch.plan(plain);
        } catch (Exception e) {
            plain.forEach(d -> failures.failedToDispatch(d, e));
            return;
        }
        for (SmsDispatch.Outgoing text : outgoing) {
            workers.submit(() -> smsDispatch.send(text));
        }
    }

    /**
     * The task is in the person's inbox and on their live feed ("delivered" and "read" come from the app): a whole
     * claim recorded in one transaction, sent or withdrawn.
     */
    private void inApp(List<Delivery> claimed, Instant now) {
        Map<UUID, String> unneeded = unneededOrFail(claimed, now);
        if (unneeded == null) {
            return;
        }
        List<DeliveryClaims.Outcome> outcomes = new java.util.ArrayList<>(claimed.size());
        for (Delivery d : claimed) {
            String why = unneeded.get(d.id());
            outcomes.add(why != null ? DeliveryClaims.Outcome.withdrawn(d, why)
                    : new DeliveryClaims.Outcome(d, DeliveryStatus.SENT, null, null, d.attempts() + 1, d.dueAt(), null));
        }
        java.util.Set<UUID> recorded;
        try {
            recorded = claims.finishAll(outcomes, now);
        } catch (Exception e) {
            claimed.forEach(d -> failures.failedToDispatch(d, e));
            return;
        }
        Instant at = clock.instant();
        for (DeliveryClaims.Outcome o : outcomes) {
            if (o.status() == DeliveryStatus.SENT && recorded.contains(o.d().id())) {
                metrics.attempt(Channel.IN_APP);
                metrics.latency(Channel.IN_APP, o.d().dueAt(), at);
            }
        }
    }

    /** {@link StillNeeded#whyNot}, or, when it cannot be known (the database is down), null after failing each row. */
    private Map<UUID, String> unneededOrFail(List<Delivery> claimed, Instant now) {
        try {
            return stillNeeded.whyNot(claimed, now);
        } catch (Exception e) {
            claimed.forEach(d -> failures.failedToDispatch(d, e));
            return null;
        }
    }

    /**
     * A call to the person's mobile through Twilio (ADR 0012); a person without one, or whose number is not
     * confirmed (ADR 0034), is skipped, with the reason.
     */
    private void call(Delivery d, String unneeded) throws SQLException {
        if (d.unsureSince() != null) {
            reconciliation.reconcile(d);
            return;
        }
        Instant now = clock.instant();
        if (unneeded != null) {
            claims.withdraw(d, unneeded, now);
            return;
        }
        Optional<String> refused = voice.guard().refusal();
        if (refused.isPresent()) {
            fail(d, now, null, refused.get(), ReasonClass.NOT_CONFIGURED);
            return;
        }
        Optional<String> phone = contacts.phoneOf(d.staffId());
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
            failures.retryOrGiveUp(d, attempt, Failures.describe(e), phone.get(), d.updatedAt());
        }
    }

    private void fail(Delivery d, Instant now, String address, String reason, ReasonClass reasonClass)
            throws SQLException {
        metrics.failure(d.channel(), reasonClass);
        claims.finish(d, DeliveryStatus.FAILED, reason, now, address, null, d.attempts(), d.dueAt(), null);
    }
}
