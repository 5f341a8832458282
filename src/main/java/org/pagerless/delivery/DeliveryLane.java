package org.pagerless.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.pagerless.delivery.model.Channel;
import org.pagerless.platform.engine.EngineLoop;
import org.pagerless.platform.engine.EngineModule;

/**
 * One channel's share of the dispatcher, as an engine module of its own ({@code delivery-<channel>}): claims that
 * channel's due rows, stat first, as many as it has room for, and hands them to the channel's work. So pushes never
 * wait behind texts or calls, nor texts behind a slow push service. It ticks when the channel's earliest row falls due,
 * when the outbox writer has written rows, when a saturated channel frees a place, and at least every
 * {@code pagerless.delivery.tick}.
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

        void claimed(List<Delivery> rows, Instant now) throws Exception;

        /** Whether a full claim means more is due at once (a channel that sends nothing out waits on no one). */
        default boolean again() {
            return false;
        }
    }

    private final Channel channel;
    private final DeliveryClaims claims;
    private final Duration stuck;
    private final Duration every;
    private final Work work;
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

    void wake() {
        EngineLoop l = loop;
        if (l != null) {
            l.wake();
        }
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
        int room = work.room();
        List<Delivery> claimed = claims.claimDue(channel, now, stuck, room);
        boolean full = claimed.size() >= room;
        if (full && !work.again()) {
            work.saturated(); // before any send starts, so the first to finish wakes us
        }
        if (!claimed.isEmpty()) {
            work.claimed(claimed, now);
        }
        if (full) {
            // More may be due: claim again at once if room is there (or was freed before saturated() was seen).
            return work.again() || work.room() > 0 ? Next.atOnce()
                    : work.roomIn().map(Next::after).orElse(Next.regular());
        }
        return claims.nextDue(List.of(channel), stuck).map(due -> Next.at(due, now)).orElse(Next.regular());
    }
}
