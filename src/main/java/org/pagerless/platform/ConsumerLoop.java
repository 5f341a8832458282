package org.pagerless.platform;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;
import org.pagerless.platform.PoisonIsolation.Decoded;
import org.pagerless.platform.PoisonIsolation.TransientFailure;

/**
 * Consumption on a thread of its own, where no record can stall the consumer (ADR 0003, ADR 0013). Poll a batch of
 * raw records; each must be text (not null, UTF-8, at most the size limit) or it is <em>poison</em> and parked; the
 * rest go to the handler as one batch. When the handler returns, the batch is done and (for a consumer group) its
 * offsets are committed, at most once per {@code commitInterval} ({@link PendingOffsets}, ADR 0066). When it throws:
 * <ul>
 * <li><b>transient</b> ({@link Failures#isTransient}: database or broker unavailable): the consumer rewinds to the
 * first record not yet done and retries with backoff (200 ms doubling to 2 s, ADR 0093), for as long as it takes;
 * nothing is parked;</li>
 * <li><b>poison</b> (anything else): the batch is split in halves and each half handled on its own, in order, until
 * the record that fails alone is found and parked; every other record is handled once by a half that succeeded
 * ({@link PoisonIsolation}).</li>
 * </ul>
 * Handlers are idempotent (a retried batch changes nothing: ADR 0004), so records of a failed attempt handled again
 * by its halves are applied once. A <em>tail</em> loop reads every partition from the end at start, with no group and
 * no commits (each pod's own view of a topic: the task-event feed, the rota events). A group loop may have several
 * members (the task processor: {@code pagerless.processor.consumers}), each on a thread of its own with its share of
 * the partitions; the loop keeps one name, one health and one parking place for them all (ADR 0047).
 */
public final class ConsumerLoop implements TrackedConsumer {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

    /** Handles one batch of text records; returning means done, throwing means transient or poison (see above). */
    @FunctionalInterface
    public interface BatchHandler {
        void handle(List<ConsumerRecord<String, String>> records) throws Exception;
    }

    private final String name;
    private final String topic;
    private final boolean tail;
    private final int workerCount;
    private final IntFunction<KafkaConsumer<byte[], ByteBuffer>> consumers;
    private final BatchHandler handler;
    private final Parking parking;
    private final int maxRecordBytes;
    private final InstantSource clock;
    private final Duration commitInterval;
    private final Object lifecycle = new Object();
    private final Replays replays = new Replays();
    private final LongAdder retries = new LongAdder();
    private volatile List<Worker> workers = List.of();
    private volatile boolean running;

    /**
     * One consumer of the loop on a thread of its own. A group loop may run several ({@code workers}): each is a
     * member of the group and gets its share of the partitions, so batches of different partitions are handled at
     * once while each partition stays with one thread (the single writer per key). The first also runs the replays.
     */
    private final class Worker {
        final int index;
        /** Made on the worker's own thread for a group loop (null until then), by {@link #start} for a tail. */
        volatile KafkaConsumer<byte[], ByteBuffer> consumer;
        final PoisonIsolation poison;
        Thread thread;
        volatile Instant lastProgress = clock.instant();
        volatile long lag;
        volatile String lastFailure;
        /** When the handler was called, while it runs: a handler that never returns is a stall too. */
        volatile Instant busySince;
        /** A group member's offsets handled and not committed yet (made with its consumer; none for a tail). */
        PendingOffsets pending;

        Worker(int index, KafkaConsumer<byte[], ByteBuffer> consumer) {
            this.index = index;
            this.consumer = consumer;
            this.poison = new PoisonIsolation(name, maxRecordBytes, this::call, parking);
        }

        /** The handler, timed: while it runs, {@link #stalledReason} can see how long it has had the batch. */
        void call(List<ConsumerRecord<String, String>> records) throws Exception {
            busySince = clock.instant();
            try {
                handler.handle(records);
            } finally {
                busySince = null;
            }
        }
    }

    ConsumerLoop(String name, String topic, boolean tail, int workers,
            IntFunction<KafkaConsumer<byte[], ByteBuffer>> consumers, BatchHandler handler, Parking parking,
            InstantSource clock, int maxRecordBytes, Duration commitInterval) {
        if (workers < 1 || (tail && workers != 1)) {
            throw new IllegalArgumentException(name + ": a group loop needs 1 or more consumers, a tail exactly 1");
        }
        this.name = name;
        this.topic = topic;
        this.tail = tail;
        this.workerCount = workers;
        this.consumers = consumers;
        this.handler = handler;
        this.parking = parking;
        this.maxRecordBytes = maxRecordBytes;
        this.clock = clock;
        this.commitInterval = commitInterval;
    }

    @Override
    public String name() {
        return name;
    }

    public String topic() {
        return topic;
    }

    /**
     * Starts consuming: where the group left off, or (a tail) from the end of every partition as it is now, fixed
     * before this returns so that nothing published afterwards is missed. A group loop's consumers are made on their
     * own threads (ADR 0067): the caller — Quarkus's start, one observer after another — does not wait for the
     * client's construction, as it never waited for the group's join; a consumer that cannot be made ends its thread,
     * which {@link #isAlive} (readiness) reports.
     */
    public void start() {
        synchronized (lifecycle) {
            if (running) {
                return;
            }
            List<Worker> started = new ArrayList<>(workerCount);
            for (int i = 0; i < workerCount; i++) {
                KafkaConsumer<byte[], ByteBuffer> c = null;
                if (tail) {
                    c = consumers.apply(i);
                    List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    c.assign(partitions);
                    c.seekToEnd(partitions);
                    partitions.forEach(c::position);
                }
                started.add(new Worker(i, c));
            }
            running = true;
            workers = List.copyOf(started);
            for (Worker w : started) {
                w.thread = new Thread(() -> run(w), w.index == 0 ? name : name + "-" + (w.index + 1));
                w.thread.setDaemon(true);
                w.thread.start();
            }
        }
    }

    /** Stops consuming (and leaves the group); records keep arriving in Kafka for the next start. */
    public void stop() {
        synchronized (lifecycle) {
            if (!running) {
                return;
            }
            running = false;
            for (Worker w : workers) {
                KafkaConsumer<byte[], ByteBuffer> c = w.consumer;
                if (c != null) {
                    c.wakeup();
                }
                // else: not made yet; its thread makes it, sees running false and closes it
            }
            for (Worker w : workers) {
                try {
                    w.thread.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            replays.refuseAll(name + " stopped");
        }
    }

    /** Whether every consumer's thread is alive and consuming (or retrying); false once one has died or stopped. */
    public boolean isAlive() {
        List<Worker> ws = workers;
        if (!running || ws.isEmpty()) {
            return false;
        }
        for (Worker w : ws) {
            Thread t = w.thread;
            if (t == null || !t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Records behind the end of the assigned partitions, as of the last poll (summed over the loop's consumers). */
    @Override
    public long lag() {
        long total = 0;
        for (Worker w : workers) {
            total += w.lag;
        }
        return total;
    }

    @Override
    public long retries() {
        return retries.sum();
    }

    /**
     * Why this consumer is stalled, or null: it has records waiting (lag above 0) and has not moved for longer than
     * {@code after} (the database or broker down, a batch failing transiently). With several consumers, the first
     * stalled one's reason.
     */
    @Override
    public String stalledReason(Instant now, Duration after) {
        if (!isAlive()) {
            return null;
        }
        for (Worker w : workers) {
            Instant busy = w.busySince;
            if (busy != null && busy.plus(after).isBefore(now)) {
                return "one batch has been in hand for " + Duration.between(busy, now).toSeconds() + " s";
            }
        }
        for (Worker w : workers) {
            long waiting = w.lag;
            Instant since = w.lastProgress;
            if (waiting > 0 && since.plus(after).isBefore(now)) {
                String failure = w.lastFailure;
                return "no progress for " + Duration.between(since, now).toSeconds() + " s with " + waiting
                        + " records waiting" + (failure == null ? "" : "; last failure: " + failure);
            }
        }
        return null;
    }

    /**
     * Handles {@code record} again through this consumer's own handler, on its (first) thread. Completes when handled;
     * exceptionally with {@link Poisoned} if it is poison still, or {@link NotNow} if something it needs is
     * unavailable. The record's partition may be another thread's or pod's: handlers stay correct regardless (they
     * are idempotent, and the task processor locks the rows it changes).
     */
    @Override
    public CompletableFuture<Void> replay(ConsumerRecord<byte[], byte[]> record) {
        if (!isAlive()) {
            return CompletableFuture.failedFuture(new NotNow(name + " is not consuming"));
        }
        return replays.add(record);
    }

    private void run(Worker w) {
        KafkaConsumer<byte[], ByteBuffer> c;
        try {
            c = w.consumer != null ? w.consumer : (w.consumer = consumers.apply(w.index));
        } catch (RuntimeException | Error e) {
            LOG.errorf("%s stopped: its consumer could not be made: %s", name, Failures.describe(e));
            throw e;
        }
        Backoff backoff = new Backoff();
        try (c) {
            if (!tail) {
                w.pending = new PendingOffsets(name, c, commitInterval);
                c.subscribe(List.of(topic), w.pending);
            }
            while (running) {
                if (w.index == 0) {
                    replays.run(w.poison, w::call);
                }
                ConsumerRecords<byte[], ByteBuffer> records;
                try {
                    records = c.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    // The loop must outlive any broker trouble: a dead consumer is a silent pager.
                    failed(w, e);
                    LOG.errorf("%s: poll failed, retrying in %d ms: %s", name, backoff.next().toMillis(), Failures.describe(e));
                    backoff.pause();
                    continue;
                }
                if (!records.isEmpty()) {
                    if (handleBatch(w, records)) {
                        backoff.reset();
                    } else {
                        backoff.pause();
                    }
                }
                if (w.pending != null) {
                    w.pending.commitIfDue();
                }
                measureLag(w);
            }
            commitNow(w);
        } catch (WakeupException e) {
            // stopping: what was handled is committed before the consumer leaves the group
            commitNow(w);
        } catch (RuntimeException | Error e) {
            // Readiness reports the dead loop (see isAlive), so the pod is taken out of service.
            LOG.errorf("%s stopped: %s", name, Failures.describe(e));
            throw e;
        }
    }

    /** Handles one polled batch; false if it must be retried (a transient failure), after rewinding. */
    private boolean handleBatch(Worker w, ConsumerRecords<byte[], ByteBuffer> records) {
        KafkaConsumer<byte[], ByteBuffer> c = w.consumer;
        List<Decoded> decoded = new ArrayList<>(records.count());
        records.forEach(r -> decoded.add(w.poison.decode(r)));
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        try {
            for (Decoded d : decoded) {
                if (d.poison() != null) {
                    w.poison.park(d.raw(), d.poison());
                }
            }
            w.poison.handle(decoded.stream().filter(d -> d.poison() == null).toList(), done);
        } catch (TransientFailure e) {
            Exception cause = (Exception) e.getCause();
            failed(w, cause);
            LOG.warnf("%s: batch waits for a dependency, retrying: %s", name, Failures.describe(cause));
            handled(w, done);
            for (TopicPartition tp : records.partitions()) {
                OffsetAndMetadata from = done.get(tp);
                c.seek(tp, from != null ? from.offset() : records.records(tp).get(0).offset());
            }
            return false;
        }
        Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], ByteBuffer>> list = records.records(tp);
            all.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        handled(w, all);
        w.lastFailure = null;
        w.lastProgress = clock.instant();
        return true;
    }

    private static void handled(Worker w, Map<TopicPartition, OffsetAndMetadata> done) {
        if (w.pending != null) {
            w.pending.handled(done);
        }
    }

    private static void commitNow(Worker w) {
        if (w.pending != null) {
            w.pending.commitNow();
        }
    }

    private void measureLag(Worker w) {
        long total = 0;
        try {
            for (TopicPartition tp : w.consumer.assignment()) {
                total += w.consumer.currentLag(tp).orElse(0);
            }
        } catch (RuntimeException e) {
            return;
        }
        w.lag = total;
        if (total == 0) {
            w.lastProgress = clock.instant();
        }
    }

    private void failed(Worker w, Exception e) {
        w.lastFailure = Failures.describe(e);
        retries.increment();
    }
}
