package org.pagerless.platform;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * At-least-once consumption on a thread of its own: poll a batch, hand it to the handler, and commit
 * the offsets only when the handler returns. If the handler throws (database or broker down), the
 * consumer rewinds to the batch's first offsets and retries with backoff (200 ms doubling to 5 s):
 * a record is never skipped because something was briefly unavailable.
 */
public final class ConsumerLoop {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** Handles one batch; a returned batch counts as done, a thrown exception means "try again". */
    @FunctionalInterface
    public interface BatchHandler {
        void handle(ConsumerRecords<String, String> records) throws Exception;
    }

    private final String name;
    private final Supplier<KafkaConsumer<String, String>> consumers;
    private final String topic;
    private final BatchHandler handler;
    private final Object lifecycle = new Object();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    public ConsumerLoop(String name, Supplier<KafkaConsumer<String, String>> consumers, String topic,
                        BatchHandler handler) {
        this.name = name;
        this.consumers = consumers;
        this.topic = topic;
        this.handler = handler;
    }

    /** Starts consuming where the group left off. */
    public void start() {
        synchronized (lifecycle) {
            if (running) {
                return;
            }
            running = true;
            consumer = consumers.get();
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops consuming and leaves the group; records keep arriving in Kafka for the next start. */
    public void stop() {
        synchronized (lifecycle) {
            if (!running) {
                return;
            }
            running = false;
            consumer.wakeup();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the loop's thread is alive and consuming (or retrying); false once it has died or stopped. */
    public boolean isAlive() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    private void run() {
        KafkaConsumer<String, String> c = consumer;
        Duration backoff = FIRST_BACKOFF;
        try (c) {
            c.subscribe(List.of(topic));
            while (running) {
                ConsumerRecords<String, String> records;
                try {
                    records = c.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    // The loop must outlive any broker trouble: a dead consumer is a silent pager.
                    LOG.errorf("%s: poll failed, retrying in %d ms: %s", name, backoff.toMillis(), e.toString());
                    pause(backoff);
                    backoff = next(backoff);
                    continue;
                }
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    handler.handle(records);
                    c.commitSync(nextOffsets(records));
                    backoff = FIRST_BACKOFF;
                } catch (WakeupException e) {
                    break;
                } catch (Exception e) {
                    LOG.warnf("%s: batch not handled, retrying in %d ms: %s", name, backoff.toMillis(), e.toString());
                    rewind(c, records);
                    pause(backoff);
                    backoff = next(backoff);
                }
            }
        } catch (RuntimeException | Error e) {
            // Readiness reports the dead loop (see isAlive), so the pod is taken out of service.
            LOG.errorf(e, "%s stopped", name);
            throw e;
        }
    }

    private static Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, String>> list = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private static void rewind(KafkaConsumer<String, String> c, ConsumerRecords<String, String> records) {
        for (TopicPartition tp : records.partitions()) {
            c.seek(tp, records.records(tp).get(0).offset());
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
