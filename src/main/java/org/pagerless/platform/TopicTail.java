package org.pagerless.platform;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One pod's own reading of a topic from the moment it starts: every partition assigned (no consumer group, so
 * every pod sees every record and is ready at once), from the end fixed at start (nothing published after it is
 * missed), on a daemon thread that keeps going through errors. Used by the task-event feed and the rota events.
 */
public final class TopicTail {
    private static final Logger LOG = Logger.getLogger(TopicTail.class);

    private final KafkaConsumer<String, String> consumer;
    private final Consumer<ConsumerRecords<String, String>> handler;
    private final String name;
    private volatile boolean running = true;

    private TopicTail(KafkaConsumer<String, String> consumer, String name,
            Consumer<ConsumerRecords<String, String>> handler) {
        this.consumer = consumer;
        this.name = name;
        this.handler = handler;
    }

    /** Starts reading {@code topic} from its end now; each non-empty poll goes to {@code handler}. */
    public static TopicTail start(Kafka kafka, String topic, String name, int maxPollRecords,
            Consumer<ConsumerRecords<String, String>> handler) {
        KafkaConsumer<String, String> consumer = kafka.consumer(null, name, maxPollRecords);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the end now: a record published after start is never missed
        TopicTail tail = new TopicTail(consumer, name, handler);
        Thread thread = new Thread(tail::run, name);
        thread.setDaemon(true);
        thread.start();
        return tail;
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }

    private void run() {
        try (KafkaConsumer<String, String> c = consumer) {
            while (running) {
                try {
                    ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
                    if (!records.isEmpty()) {
                        handler.accept(records);
                    }
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    // Keep going: what reads this tail (live pages, the rota) would otherwise go stale for good.
                    LOG.errorf("%s failed, retrying: %s", name, e.toString());
                    LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                }
            }
        }
    }
}
