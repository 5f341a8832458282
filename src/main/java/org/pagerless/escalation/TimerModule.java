package org.pagerless.escalation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.pagerless.platform.engine.EngineModule;

/**
 * The escalation timers as an engine module: each tick fires due timers with one {@link TimerTicker} until a batch
 * comes back short, then asks for the next tick when the earliest timer falls due (the loop caps the wait at
 * {@code every}). Waking for the next due timer keeps lateness near the cost of one tick instead of half the interval
 * on average.
 * <p>
 * Timers armed on this pod ({@link #armed}, told by {@link TimerStore#write} inside the processor's transaction) are
 * remembered here until their due time has passed a tick: the next tick is planned for the earliest of them even if
 * the row was not yet committed when the database was last asked, and a timer due before the planned tick wakes the
 * loop. So the cap {@code every} bounds lateness only for timers armed on another pod less than {@code every} before
 * they fall due (that pod's own ticker is woken for them) or whose pod stopped meanwhile; an idle pod looks at the
 * table once per {@code every}, one short transaction.
 */
public final class TimerModule implements EngineModule {
    /** A timer is due but was not claimed: another claimant holds it (and fires it). Look again shortly. */
    private static final Duration CONTENDED = Duration.ofMillis(25);
    private final TimerTicker ticker;
    private final Duration every;
    private final Object lock = new Object();
    /** The earliest due time armed on this pod that no tick has covered yet; null if none. */
    private Instant armed;
    /** When the loop will tick next, by the application clock: a timer armed for sooner wakes it. */
    private Instant plannedTick = Instant.MIN;
    private Runnable wake = () -> { };

    public TimerModule(TimerTicker ticker, Duration every) {
        this.ticker = ticker;
        this.every = every;
    }

    /**
     * How the module wakes its loop ({@code EngineLoop::wake}): when a timer is armed for before the planned tick, and
     * when a batch of the ticker's is committed or has failed (rows it held may be due again, or others' be free).
     */
    public TimerModule wakingWith(Runnable wake) {
        this.wake = wake;
        ticker.onFinished(wake);
        return this;
    }

    /** A timer due at {@code due} was written on this pod (its transaction may not have committed yet). */
    public void armed(Instant due) {
        boolean sooner;
        synchronized (lock) {
            if (armed == null || due.isBefore(armed)) {
                armed = due;
            }
            sooner = due.isBefore(plannedTick);
        }
        if (sooner) {
            wake.run();
        }
    }

    @Override
    public String name() {
        return "escalation";
    }

    @Override
    public Duration every() {
        return every;
    }

    @Override
    public Next tick(Instant now) throws Exception {
        TimerTicker.Tick tick;
        do {
            tick = ticker.tickAndNext();
        } while (tick.fired() == ticker.batchSize()); // a full batch: more may be due already
        synchronized (lock) {
            if (armed != null && !armed.isAfter(tick.claimedAt())) {
                armed = null; // looked for by this tick (and, if its row was not committed yet, found within the cap)
            }
            Next plan = plan(tick, earliest(tick.upcoming().next(), Optional.ofNullable(armed)));
            plannedTick = tick.asOf().plus(plan.in().filter(d -> d.compareTo(every) < 0).orElse(every));
            return plan;
        }
    }

    /**
     * A timer due by the claim that the claim did not take is held by a batch in flight: this ticker's (which wakes
     * the loop when it is committed, {@link TimerTicker#onFinished}) or another claimant's. When this tick took
     * nothing, do not spin on such locks: look again shortly.
     */
    private Next plan(TimerTicker.Tick tick, Optional<Instant> next) {
        if (tick.fired() == 0 && tick.upcoming().held(tick.claimedAt())) {
            return Next.after(CONTENDED);
        }
        return next.map(at -> Next.at(at, tick.asOf())).orElse(Next.regular());
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isBefore(b.get()) ? a : b;
    }
}
