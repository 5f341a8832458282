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
 * due (it learns when from its claims and from {@link DeliveryDue}: the outbox writer's new rows of its channel, rows
 * put back to pending, and the outbox watch {@code delivery-due}, which looks at the outbox every
 * {@code pagerless.delivery.tick} for rows other pods wrote), and when the channel frees a place. A lane with nothing
 * due makes no statement.
 * <p>
 * Isolation: an offer's in-app row is written settled when it is planned ({@link SettledAtPlanning}, ADR 0079); other
 * in-app rows are recorded on their lane's thread, sent or withdrawn in the claim's own transaction (no
 * {@code sending} between, ADR 0072); pushes are sent
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
    StillNeeded stillNeeded;
    @Inject
    DeliveryFailures failures;
    @Inject
    InstantSource clock;
    @Inject
    DeliveryMetrics metrics;
    @Inject
    Engine engine;
    @Inject
    DeliveryDue due;

    /** The longest sleep between ticks: bounds lateness for rows another pod wrote or moved. */
    @ConfigProperty(name = "pagerless.delivery.tick", defaultValue = "5s")
    Duration every;
    /** In-app rows recorded per pass (more due: the next pass comes at once). */
    @ConfigProperty(name = "pagerless.delivery.in-app-batch", defaultValue = "200")
    int inAppBatch;
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
    private org.pagerless.platform.engine.EngineLoop watch;

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
            public boolean settlesInClaim() {
                return true;
            }

            @Override
            public List<Outcome> settle(DeliveryClaims.Claim claim, Instant now) {
                return inApp(claim, now);
            }

            @Override
            public void claimed(DeliveryClaims.Claim claim, Instant now) {
                inAppRecorded(claim);
            }
        }, stuck);
        Bulkhead push = bulkhead(Channel.PUSH, settings.pushesInFlight(), false);
        lane(Channel.PUSH, new Channelled(push) {
            @Override
            public void before(Instant now) throws SQLException {
                pushDispatch.recordFinished();
            }

            @Override
            public void claimed(DeliveryClaims.Claim claim, Instant now) {
                try {
                    pushDispatch.dispatch(claim, now, push, () -> lanes.get(Channel.PUSH).wake());
                } catch (Exception e) {
                    claim.rows().forEach(d -> failures.failedToDispatch(d, e));
                }
            }
        }, stuck);
        Bulkhead sms = bulkhead(Channel.SMS, smsWorkers, true);
        lane(Channel.SMS, new Channelled(sms, smsAllowance) {
            @Override
            public void claimed(DeliveryClaims.Claim claim, Instant now) {
                took(claim.rows());
                texts(claim, sms);
            }
        }, stuck);
        Bulkhead calls = bulkhead(Channel.VOICE, voiceWorkers, true);
        lane(Channel.VOICE, new Channelled(calls, voiceAllowance) {
            @Override
            public void claimed(DeliveryClaims.Claim claim, Instant now) {
                took(claim.rows());
                calls(claim, calls, now);
            }
        }, stuck);
        watch(stuck);
    }

    /** A channel whose room is its bulkhead's free places, within its provider's allowance if one is configured. */
    abstract static class Channelled implements DeliveryLane.Work {
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
        due.listen(channel, lane::dueAt);
        lane.run(engine.loop(lane));
    }

    /**
     * The outbox watch ({@code delivery-due}): every {@code pagerless.delivery.tick}, one statement reads when each
     * channel's next row falls due and tells the lanes, for rows this pod did not write or move (another pod's, a
     * row whose claim ran past its deadline) and after the clock has jumped. The lanes learn everything else as it
     * happens, so this is the only statement the dispatcher makes while nothing is due.
     */
    private void watch(Duration stuck) {
        watch = engine.loop(new org.pagerless.platform.engine.EngineModule() {
            @Override
            public String name() {
                return "delivery-due";
            }

            @Override
            public Duration every() {
                return every;
            }

            @Override
            public Next tick(Instant now) throws SQLException {
                due.at(claims.nextDue(lanes.keySet(), stuck));
                return Next.regular();
            }
        });
        watch.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (watch != null) {
            watch.stop();
        }
        lanes.values().forEach(DeliveryLane::stop);
        bulkheads.values().forEach(Bulkhead::stop);
        pushDispatch.stop();
    }

    /**
     * Hands each row whose outcome we never learnt to a worker to reconcile with Twilio (never sent again blind) and
     * returns the others, in order, to send.
     */
    private List<Delivery> reconcilingUnsure(List<Delivery> claimed, Bulkhead workers) {
        List<Delivery> plain = new java.util.ArrayList<>();
        for (Delivery d : claimed) {
            if (d.unsureSince() != null) {
                workers.submit(() -> failures.isolated(d, () -> reconciliation.reconcile(d)));
            } else {
                plain.add(d);
            }
        }
        return plain;
    }

    /** Texts go through {@link SmsDispatch} together (the rate limit bundles them); each text then on a worker. */
    private void texts(DeliveryClaims.Claim claim, Bulkhead workers) {
        List<Delivery> plain = reconcilingUnsure(claim.rows(), workers);
        List<SmsDispatch.Outgoing> outgoing;
        try {
            outgoing = smsDispatch.plan(plain, claim);
        } catch (Exception e) {
            plain.forEach(d -> failures.failedToDispatch(d, e));
            return;
        }
        for (SmsDispatch.Outgoing text : outgoing) {
            workers.submit(() -> smsDispatch.send(text));
        }
    }

    /**
     * The task is in the person's inbox and on their live feed ("delivered" and "read" come from the app): each claimed
     * row is sent or withdrawn, recorded in the claim's own transaction (ADR 0072). Decided without I/O.
     */
    private List<Outcome> inApp(DeliveryClaims.Claim claim, Instant now) {
        List<Delivery> claimed = claim.rows();
        Map<UUID, String> unneeded = stillNeeded.whyNot(claimed, claim, now);
        List<Outcome> outcomes = new java.util.ArrayList<>(claimed.size());
        for (Delivery d : claimed) {
            String why = unneeded.get(d.id());
            outcomes.add(why != null ? Outcome.withdrawn(d, why)
                    : new Outcome(d, DeliveryStatus.SENT, null, null, d.attempts() + 1, d.dueAt(), null));
        }
        return outcomes;
    }

    /** The in-app rows a claim recorded as sent, counted once committed. */
    private void inAppRecorded(DeliveryClaims.Claim claim) {
        Instant at = clock.instant();
        for (Outcome o : claim.settled()) {
            if (o.status() == DeliveryStatus.SENT) {
                metrics.sentAt(Channel.IN_APP, o.d().dueAt(), at);
            }
        }
    }

    /**
     * Calls to the people's mobiles through Twilio (ADR 0012), each on a worker. Per claim, not per row: still needed,
     * every person's number and confirmation ({@link Contacts#reach}), the rows that need no call recorded together,
     * and the claims of the calls about to go checked together. A person without a mobile, or whose number is not
     * confirmed (ADR 0034), is skipped, with the reason. A row whose outcome we never learnt is reconciled first.
     */
    private void calls(DeliveryClaims.Claim claim, Bulkhead workers, Instant now) {
        List<Delivery> plain = reconcilingUnsure(claim.rows(), workers);
        if (plain.isEmpty()) {
            return;
        }
        List<Delivery> going = new java.util.ArrayList<>();
        Map<UUID, String> phones = new java.util.HashMap<>();
        try {
            Map<UUID, String> unneeded = stillNeeded.whyNot(plain, claim, now);
            Optional<String> refused = voice.guard().refusal();
            Map<String, Contacts.Reach> reach = refused.isPresent() ? Map.of()
                    : contacts.reach(plain.stream().filter(d -> !unneeded.containsKey(d.id())).map(Delivery::staffId).toList());
            List<Outcome> settled = new java.util.ArrayList<>();
            for (Delivery d : plain) {
                Contacts.Reach to = reach.get(d.staffId());
                Optional<Outcome> stop = PhoneChecks.stop(d, unneeded.get(d.id()), refused, to, metrics);
                if (stop.isPresent()) {
                    settled.add(stop.get());
                } else {
                    going.add(d);
                    phones.put(d.id(), to.phone());
                }
            }
            claims.finishAll(settled, now);
            // Just before the calls go: a row another dispatcher has claimed since is theirs to place.
            java.util.Set<UUID> held = claims.held(going);
            going.removeIf(d -> !held.contains(d.id()));
        } catch (Exception e) {
            plain.forEach(d -> failures.failedToDispatch(d, e));
            return;
        }
        for (Delivery d : going) {
            workers.submit(() -> failures.isolated(d, () -> call(d, phones.get(d.id()))));
        }
    }

    /**
     * One call, its outcome recorded on the row (with Twilio's sid when it took the call). Marked unsure before it is
     * placed, and placed and recorded while no other call to the number is in this pod's hands (ADR 0086): if the pod
     * dies in between, this row is the only one of the number that reconciliation may give the call Twilio has.
     */
    private void call(Delivery d, String phone) throws SQLException {
        synchronized (reconciliation.oneCallAt(phone)) {
            if (claims.markCalling(d, clock.instant())) {
                place(d, phone);
            }
        }
    }

    private void place(Delivery d, String phone) throws SQLException {
        int attempt = d.attempts() + 1;
        metrics.attempt(d.channel());
        try {
            String sid = voice.call(phone, d.id());
            claims.finish(d, DeliveryStatus.QUEUED, null, clock.instant(), phone, sid, attempt, d.dueAt(), null);
            metrics.latency(d.channel(), d.dueAt(), clock.instant());
        } catch (TwilioSms.Rejected e) {
            metrics.failure(d.channel(), ReasonClass.REJECTED);
            claims.finish(d, DeliveryStatus.FAILED, e.getMessage(), clock.instant(), phone, null, attempt,
                    d.dueAt(), null);
        } catch (RuntimeException e) {
            // Twilio may have placed it (a timeout, a lost answer): reconciled before any new attempt.
            metrics.failure(d.channel(), ReasonClass.UNREACHABLE);
            failures.retryOrGiveUp(d, attempt, Failures.describe(e), phone, d.updatedAt());
        }
    }
}
