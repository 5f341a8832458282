package org.pagerless.escalation;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link TimerTicker} on a thread of its own: ticks until caught up (while batches come back full),
 * then sleeps until the earliest timer falls due, but never longer than {@code every}. Waking for the next
 * due timer keeps lateness near the cost of one tick instead of half the interval on average; the cap
 * bounds it for timers armed while asleep, by another pod, or when the database cannot be asked.
 */
public final class TickerLoop {
    private static final Duration CONTENDED = Duration.ofMillis(25);
    private final TimerTicker ticker;
    private final Duration every;
    private final Consumer<Exception> onFailure;
    private final Object lifecycle = new Object();
    private ScheduledExecutorService executor;

    /** {@code onFailure} hears each failed tick; the loop carries on and the timers fire on a later tick. */
    public TickerLoop(TimerTicker ticker, Duration every, Consumer<Exception> onFailure) {
        this.ticker = ticker;
        this.every = every;
        this.onFailure = onFailure;
    }

    public void start() {
        synchronized (lifecycle) {
            if (executor != null) {
                return;
            }
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "escalation-ticker");
                t.setDaemon(true);
                return t;
            });
            executor.execute(this::run);
        }
    }

    /** Stops and waits for a tick in flight to finish; timer rows stay for the next start. */
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (lifecycle) {
            stopping = executor;
            executor = null;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdown();
        try {
            stopping.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Duration sleep = every;
        try {
            int fired;
            do {
                fired = ticker.tick();
            } while (fired == ticker.batchSize()); // a full batch: more may be due already
            Duration untilNext = ticker.untilNextDue().orElse(every);
            if (untilNext.isNegative() || untilNext.isZero()) {
                // Due but not claimed by this tick: fell due a moment ago, or another claimant holds it
                // (then it fires it). Look again shortly rather than spin on its locks.
                sleep = fired == 0 ? CONTENDED : Duration.ZERO;
            } else if (untilNext.compareTo(every) < 0) {
                sleep = untilNext;
            }
        } catch (Exception e) {
            onFailure.accept(e);
        }
        synchronized (lifecycle) {
            if (executor != null && !executor.isShutdown()) {
                executor.schedule(this::run, Math.max(0, sleep.toNanos()), TimeUnit.NANOSECONDS);
            }
        }
    }
}
