package org.pagerless.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A consumer whose progress {@link Consumers} reports (readiness, {@code pagerless_consumer_stalled},
 * {@code pagerless_consumer_lag}, {@code pagerless_consumer_retries_total}, switchboard's queue) and whose parked
 * records an admin can replay: every {@link ConsumerLoop}.
 */
public interface TrackedConsumer {

    String name();

    /** Records behind the end of the assigned partitions, as last measured. */
    long lag();

    /** Transient failures waited out so far (the same records tried again). */
    long retries();

    /**
     * Why this consumer is stalled, or null: one batch or record has been in hand for longer than {@code after}, or
     * records are waiting and nothing has moved for longer than {@code after}.
     */
    String stalledReason(Instant now, Duration after);

    /**
     * Handles a parked {@code record} again through this consumer's own handler. Completes when handled; exceptionally
     * with {@link Poisoned} if it is poison still, or {@link NotNow} if something it needs
     * is unavailable.
     */
    CompletableFuture<Void> replay(ConsumerRecord<byte[], byte[]> record);

    /** Where poison goes: returns whether the record was newly parked; throws (transient) if it could not be. */
    @FunctionalInterface
    interface Parking {
        boolean park(String consumer, ConsumerRecord<byte[], byte[]> record, String reason) throws Exception;
    }

    /** A replayed record was poison again: {@code getMessage()} is the (redacted) reason. */
    final class Poisoned extends Exception {
        Poisoned(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A replayed record could not be handled now because something it needs is unavailable; try again later. */
    final class NotNow extends Exception {
        NotNow(String reason) {
            super(reason, null, false, false);
        }
    }
}
