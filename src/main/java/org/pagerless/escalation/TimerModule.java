package org.pagerless.escalation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.pagerless.platform.engine.EngineModule;

/**
 * The escalation timers as an engine module: each tick fires due timers with one {@link TimerTicker} until a batch
 * comes back short, then asks for the next tick when the earliest timer falls due (the loop caps the wait at
 * {@code every}). Waking for the next due timer keeps lateness near the cost of one tick instead of half the interval
 * on average; the cap bounds it for timers armed while asleep, by another pod, or when the database cannot be asked.
 */
public final class TimerModule implements EngineModule {
    /** A timer is due but was not claimed: another claimant holds it (and fires it). Look again shortly. */
    private static final Duration CONTENDED = Duration.ofMillis(25);
    private final TimerTicker ticker;
    private final Duration every;

    public TimerModule(TimerTicker ticker, Duration every) {
        this.ticker = ticker;
        this.every = every;
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
        int fired;
        do {
            fired = ticker.tick();
        } while (fired == ticker.batchSize()); // a full batch: more may be due already
        Optional<Duration> untilNext = ticker.untilNextDue();
        if (untilNext.isEmpty()) {
            return Next.regular();
        }
        if (untilNext.get().isNegative() || untilNext.get().isZero()) {
            // Fell due a moment ago, or another claimant holds it: do not spin on its locks.
            return fired == 0 ? Next.after(CONTENDED) : Next.atOnce();
        }
        return Next.after(untilNext.get());
    }
}
