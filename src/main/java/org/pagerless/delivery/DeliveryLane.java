package org.pagerless.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.pagerless.delivery.model.Channel;
import org.pagerless.platform.engine.EngineLoop;
import org.pagerless.platform.engine.EngineModule;

/**
 * One channel's share of the dispatcher, as an engine module of its own ({@code delivery-<channel>}): claims that
 * channel's due rows, stat first, as many as it has room for, and hands them to the channel's work. So pushes never
 * wait behind texts or calls, nor texts behind a slow push service.
 * <p>
 * It keeps, in memory, when its channel's next row falls due: learnt from each claim (the same transaction reads the
 * next due time when the claim took less than it could), and from {@link DeliveryDue} (the outbox writer's new rows of
 * this channel, rows put back to pending, the outbox watch's look at rows other pods wrote). It sleeps until then and
 * goes to the database only when something is due: a lane with nothing due makes no statement and no commit, however
 * often it wakes (a send completing, the engine's {@code pagerless.delivery.tick}).
 */
final class DeliveryLane implements EngineModule {
    /** What the channel does with the rows it claimed, and before each claim. */
    interface Work {
        /** Before claiming (e.g. recording outcomes of sends that completed meanwhile). */
        default void before(Instant now) throws Exception {
        }

        /** How many rows it can take now. */
        int room();

        /** It cannot take all that may be due: whoever frees room wakes the lane. */
        default void saturated() {
        }

        /** When room comes back by itself (a provider's allowance refilling), if that is what holds it back. */
        default java.util.Optional<Duration> roomIn() {
            return java.util.Optional.empty();
        }

        /**
         * The rows of {@code claim} (never empty), with what the claim read for {@link StillNeeded}; for a channel that
         * {@link #settlesInClaim settles in the claim}, after the claim's transaction has recorded their outcomes.
         */
        void claimed(DeliveryClaims.Claim claim, Instant now) throws Exception;

        /**
         * Whether every claimed row is settled in the claim's own transaction ({@link DeliveryClaims#claimAndSettle},
         * by {@link #settle}) rather than claimed {@code sending} and recorded later: a channel with nothing to wait
         * for (in-app).
         */
        default boolean settlesInClaim() {
            return false;
        }

        /** The outcome of every row of {@code claim}, decided without I/O (inside the claim's transaction). */
        default List<Outcome> settle(DeliveryClaims.Claim claim, Instant now) {
            throw new UnsupportedOperationException("this channel's rows are claimed, not settled in the claim");
        }

        /** Whether a full claim means more is due at once (a channel that sends nothing out waits on no one). */
        default boolean again() {
            return false;
        }
    }

    /** After a claim that left due rows behind (another claimant holds them this instant): look again this soon. */
    private static final Duration LOCKED_RETRY = Duration.ofMillis(50);

    private final Channel channel;
    private final DeliveryClaims claims;
    private final Duration stuck;
    private final Duration every;
    private final Work work;
    /** When this channel's next row falls due, as far as this pod knows; null: nothing known (the watch will say). */
    private final AtomicReference<Instant> next = new AtomicReference<>(Instant.EPOCH);
    private volatile EngineLoop loop;

    DeliveryLane(Channel channel, DeliveryClaims claims, Duration stuck, Duration every, Work work) {
        this.channel = channel;
        this.claims = claims;
        this.stuck = stuck;
        this.every = every;
        this.work = work;
    }

    void run(EngineLoop engineLoop) {
        loop = engineLoop;
        engineLoop.start();
    }

    void stop() {
        EngineLoop l = loop;
        if (l != null) {
            l.stop();
        }
    }

    /** Ticks at once (a send completed, a place was freed): due rows are claimed, nothing else touches the database. */
    void wake() {
        EngineLoop l = loop;
        if (l != null) {
            l.wake();
        }
    }

    /** A row of this channel falls due at {@code at}: wakes the lane if that is sooner than it knew. */
    void dueAt(Instant at) {
        Instant was = next.getAndAccumulate(at, DeliveryLane::earlier);
        if (was == null || at.isBefore(was)) {
            wake();
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    @Override
    public String name() {
        return "delivery-" + channel.code();
    }

    @Override
    public Duration every() {
        return every;
    }

    @Override
    public Next tick(Instant now) throws Exception {
        work.before(now);
        Instant due = next.get();
        if (due == null) {
            return Next.regular(); // nothing known to fall due: no statement
        }
        if (due.isAfter(now)) {
            return Next.at(due, now);
        }
        int room = work.room();
        if (room <= 0) {
            work.saturated(); // whoever frees room from here on wakes us; the due time stays known
            if (work.room() > 0) {
                // A place was freed between the look and saturated(): its finisher saw no one waiting and woke no
                // one. Without this second look the lane would sleep a whole tick with rows due and room to send.
                return Next.atOnce();
            }
            return work.roomIn().map(Next::after).orElse(Next.regular());
        }
        Instant taken = next.getAndSet(null); // what is learnt from here on (a new row, the claim) is kept
        DeliveryClaims.Claim claim;
        try {
            claim = work.settlesInClaim() ? claims.claimAndSettle(channel, now, stuck, room, c -> work.settle(c, now))
                    : claims.claim(channel, now, stuck, room);
        } catch (Exception | LinkageError e) {
            next.accumulateAndGet(taken, DeliveryLane::earlier); // still due: tried again on the next tick
            throw e;
        }
        List<Delivery> claimed = claim.rows();
        boolean full = claimed.size() >= room;
        if (full) {
            next.accumulateAndGet(now, DeliveryLane::earlier); // more may be due
            if (!work.again()) {
                work.saturated(); // before any send starts, so the first to finish wakes us
            }
        } else {
            claim.next().ifPresent(at -> next.accumulateAndGet(at, DeliveryLane::earlier));
        }
        if (!claimed.isEmpty()) {
            work.claimed(claim, now);
        }
        if (full) {
            // More may be due: claim again at once if room is there (or was freed before saturated() was seen).
            return work.again() || work.room() > 0 ? Next.atOnce()
                    : work.roomIn().map(Next::after).orElse(Next.regular());
        }
        Instant then = next.get();
        if (then == null) {
            return Next.regular();
        }
        return then.isAfter(now) ? Next.at(then, now) : Next.after(LOCKED_RETRY);
    }
}
