package org.pagerless.platform.engine;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.pagerless.platform.Failures;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Runs one {@link EngineModule} on a thread of its own: tick, then sleep until the module's next due time (never
 * longer than its {@code every}), or until {@link #wake()}. Failures never stop the loop: they are counted, logged
 * at most once a minute (with how many were not logged) and reported by {@link #health()}.
 * <p>
 * Metrics, tagged {@code module}: {@code pagerless.engine.tick} (duration), {@code pagerless.engine.tick.failures}
 * and {@code pagerless.engine.last.tick.age} (seconds since the last successful tick).
 */
public final class EngineLoop {
    private static final Logger LOG = Logger.getLogger(EngineLoop.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final EngineModule module;
    private final InstantSource clock;
    private final Duration lateAfter;
    private final Timer ticks;
    private final Counter failures;
    private final Object lock = new Object();
    private Thread thread;
    private boolean running;
    private boolean woken;
    private final AtomicLong lastSuccess = new AtomicLong(System.nanoTime());
    private volatile String lastFailure;
    private volatile long lastFailureLog;
    private int unlogged;

    /** Made by {@link Engine#loop} in the application; directly only by programs outside it (benchmarks). */
    public EngineLoop(EngineModule module, InstantSource clock, Duration lateAfter, MeterRegistry registry) {
        this.module = module;
        this.clock = clock;
        this.lateAfter = lateAfter;
        this.ticks = Timer.builder("pagerless.engine.tick").description("One tick of a background engine module")
                .tag("module", module.name()).register(registry);
        this.failures = Counter.builder("pagerless.engine.tick.failures")
                .description("Ticks that threw; their work is tried again on the next tick")
                .tag("module", module.name()).register(registry);
        registry.gauge("pagerless.engine.last.tick.age", io.micrometer.core.instrument.Tags.of("module", module.name()),
                lastSuccess, s -> (System.nanoTime() - s.get()) / 1e9);
    }

    public String name() {
        return module.name();
    }

    /** Starts ticking (at once); idempotent. Work that fell due while stopped is done on the first tick. */
    public void start() {
        synchronized (lock) {
            if (running) {
                return;
            }
            running = true;
            woken = false;
            lastSuccess.set(System.nanoTime());
            thread = new Thread(this::run, "engine-" + module.name());
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops, after a tick in flight has finished; the module's rows stay for the next start. */
    public void stop() {
        Thread stopping;
        synchronized (lock) {
            if (!running) {
                return;
            }
            running = false;
            stopping = thread;
            lock.notifyAll();
        }
        try {
            stopping.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ticks as soon as the current tick (if any) is done, e.g. because new work was just written. */
    public void wake() {
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }

    public boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    /** Empty when healthy; else why not: stopped, or no successful tick for longer than allowed (with the last error). */
    public Optional<String> health() {
        if (!isRunning()) {
            return Optional.of("stopped");
        }
        long age = System.nanoTime() - lastSuccess.get();
        if (age > lateAfter.toNanos()) {
            String why = "no successful tick for " + TimeUnit.NANOSECONDS.toSeconds(age) + " s";
            String failure = lastFailure;
            return Optional.of(failure == null ? why : why + " (" + failure + ")");
        }
        return Optional.empty();
    }

    private void run() {
        while (true) {
            Duration sleep = module.every();
            long started = System.nanoTime();
            try {
                Optional<Duration> next = module.tick(clock.instant()).in();
                ticks.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                lastSuccess.set(System.nanoTime());
                lastFailure = null;
                if (next.isPresent() && next.get().compareTo(sleep) < 0) {
                    sleep = next.get();
                }
            } catch (Exception | LinkageError e) {
                failures.increment();
                failed(e);
            }
            synchronized (lock) {
                long deadline = System.nanoTime() + sleep.toNanos();
                while (running && !woken) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        running = false;
                    }
                }
                woken = false;
                if (!running) {
                    return;
                }
            }
        }
    }

    private void failed(Throwable e) {
        String why = Failures.describe(e);
        lastFailure = why;
        long now = System.nanoTime();
        synchronized (this) {
            if (now - lastFailureLog < LOG_EVERY_NANOS && lastFailureLog != 0) {
                unlogged++;
                return;
            }
            lastFailureLog = now;
            int skipped = unlogged;
            unlogged = 0;
            LOG.warnf("%s: tick failed, its work is tried again on the next tick%s: %s", module.name(),
                    skipped == 0 ? "" : " (" + skipped + " more failures since the last log line)", why);
        }
    }
}
