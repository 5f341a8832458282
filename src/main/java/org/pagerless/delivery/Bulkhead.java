package org.pagerless.delivery;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded set of worker threads for one delivery channel, so a slow push service or a slow Twilio holds up only
 * its own channel's sends (and only as many as it has workers). The dispatcher claims no more rows for a channel than
 * it has free workers, so nothing claimed waits in a queue while its claim runs out. When a saturated channel frees a
 * worker, {@code onFree} runs (the dispatcher wakes to claim more).
 */
final class Bulkhead {
    private final String channel;
    private final int size;
    private final ExecutorService workers;
    private final AtomicInteger busy = new AtomicInteger();
    private final Runnable onFree;
    private volatile boolean saturated;

    /** {@code threads}: false for a channel whose sends never block (its places are counted, no threads made). */
    Bulkhead(String channel, int size, boolean threads, Runnable onFree) {
        this.channel = channel;
        this.size = size;
        this.onFree = onFree;
        AtomicInteger n = new AtomicInteger();
        this.workers = !threads ? null
                : new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "delivery-" + channel + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    String channel() {
        return channel;
    }

    /** How many more sends this channel can start now. */
    int free() {
        return Math.max(0, size - busy.get());
    }

    /** More may be due than this channel could take: the next send to finish calls {@code onFree}. */
    void saturated() {
        saturated = true;
    }

    boolean isSaturated() {
        return saturated;
    }

    /** Runs {@code send} on a worker; the caller has checked {@link #free()}. */
    void submit(Runnable send) {
        started();
        try {
            workers.execute(() -> {
                try {
                    send.run();
                } finally {
                    finished();
                }
            });
        } catch (RuntimeException e) {
            finished();
            throw e;
        }
    }

    /** A send that completes without holding a worker (non-blocking I/O) takes a place until {@link #finished}. */
    void started() {
        busy.incrementAndGet();
    }

    /** The place a send took is free again; a saturated channel wakes its claimant. */
    void finished() {
        busy.decrementAndGet();
        if (saturated) {
            saturated = false;
            onFree.run();
        }
    }

    /** Lets sends in flight finish (each is bounded by its own timeout), then stops the workers. */
    void stop() {
        if (workers == null) {
            return;
        }
        workers.shutdown();
        try {
            workers.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
