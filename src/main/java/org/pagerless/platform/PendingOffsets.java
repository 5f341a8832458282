package org.pagerless.platform;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One group member's handled offsets that are not committed yet, committed at most once per interval (ADR 0066), before
 * its partitions go to another member (a rebalance) and when it stops. A crash in between hands those records to the
 * handlers again, which changes nothing (they are idempotent). Only the member's own thread touches it.
 */
final class PendingOffsets implements ConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(PendingOffsets.class);

    private final String name;
    private final KafkaConsumer<?, ?> consumer;
    private final long intervalNanos;
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    /** When they were last committed, on the JVM's monotonic clock (not the controllable one). */
    private long committedAt = System.nanoTime();

    PendingOffsets(String name, KafkaConsumer<?, ?> consumer, Duration interval) {
        this.name = name;
        this.consumer = consumer;
        this.intervalNanos = interval.toNanos();
    }

    /** Records handled up to (not including) these offsets. */
    void handled(Map<TopicPartition, OffsetAndMetadata> done) {
        offsets.putAll(done);
    }

    /** Commits them once the interval has passed since the last commit. */
    void commitIfDue() {
        if (!offsets.isEmpty() && System.nanoTime() - committedAt >= intervalNanos) {
            commitNow();
        }
    }

    /** Commits them now. A wakeup (the loop stopping) keeps them for the commit on the way out. */
    void commitNow() {
        if (offsets.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> batch = new HashMap<>(offsets);
        offsets.clear();
        committedAt = System.nanoTime();
        try {
            consumer.commitSync(batch);
        } catch (WakeupException e) {
            offsets.putAll(batch);
            throw e;
        } catch (RuntimeException e) {
            // A rebalance took the partition away: its new owner handles the records again, which changes nothing.
            LOG.warnf("%s: commit failed, the records will be handled again: %s", name, Failures.describe(e));
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // Still this member's: what it handled is committed before another member takes them.
        commitNow();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        // No longer ours to commit: their new owner handles those records again (idempotent).
        offsets.keySet().removeAll(partitions);
    }
}
