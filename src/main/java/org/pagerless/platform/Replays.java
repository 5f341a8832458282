package org.pagerless.platform;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.pagerless.platform.PoisonIsolation.Decoded;
import org.pagerless.platform.TrackedConsumer.NotNow;
import org.pagerless.platform.TrackedConsumer.Poisoned;

/**
 * Records an admin asked a consumer to handle again (a parked record's replay): queued by any thread, handled on the
 * consumer's own thread between polls, each with its outcome (ADR 0013).
 */
final class Replays {
    private record Replay(ConsumerRecord<byte[], byte[]> record, CompletableFuture<Void> outcome) {
    }

    private final Queue<Replay> queue = new ConcurrentLinkedQueue<>();

    /** Queues {@code record}; the future completes once the consumer's thread has handled it. */
    CompletableFuture<Void> add(ConsumerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        queue.add(new Replay(record, outcome));
        return outcome;
    }

    /**
     * Handles every queued record through {@code handler}: exceptionally {@link Poisoned} if it is poison still (or the
     * handler refuses it), {@link NotNow} if something it needs is unavailable.
     */
    void run(PoisonIsolation poison, ConsumerLoop.BatchHandler handler) {
        Replay r;
        while ((r = queue.poll()) != null) {
            Decoded d = poison.decode(PoisonIsolation.inBuffer(r.record));
            if (d.poison() != null) {
                r.outcome.completeExceptionally(new Poisoned(d.poison()));
                continue;
            }
            try {
                handler.handle(List.of(d.text()));
                r.outcome.complete(null);
            } catch (Exception e) {
                r.outcome.completeExceptionally(Failures.isTransient(e) ? new NotNow(Failures.describe(e))
                        : new Poisoned(Failures.describe(e)));
            }
        }
    }

    /** Refuses what is still queued: the consumer has stopped. */
    void refuseAll(String why) {
        Replay r;
        while ((r = queue.poll()) != null) {
            r.outcome.completeExceptionally(new NotNow(why));
        }
    }
}
