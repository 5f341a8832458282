package org.pagerless.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A consumer whose progress {@link Consumers} reports (readiness, {@code pagerless_consumer_stalled},
 * {@code pagerless_consumer_lag}, switchboard's queue) and whose parked records an admin can replay: a
 * {@link ConsumerLoop} on {@code kafka-clients}, or a SmallRye Reactive Messaging channel ({@link ChannelConsumer}).
 */
public interface TrackedConsumer {

    String name();

    /** Records behind the end of the assigned partitions, as last measured. */
    long lag();

    /**
     * Why this consumer is stalled, or null: one batch or record has been in hand for longer than {@code after}, or
     * records are waiting and nothing has moved for longer than {@code after}.
     */
    String stalledReason(Instant now, Duration after);

    /**
     * Handles a parked {@code record} again through this consumer's own handler. Completes when handled; exceptionally
     * with {@link ConsumerLoop.Poisoned} if it is poison still, or {@link ConsumerLoop.NotNow} if something it needs
     * is unavailable.
     */
    CompletableFuture<Void> replay(ConsumerRecord<byte[], byte[]> record);
}
