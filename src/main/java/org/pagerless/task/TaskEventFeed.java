package org.pagerless.task;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Topics;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * This pod's view of the task-event stream, from the moment it started: every event is fired as a
 * CDI {@link TaskCodec.Published} event to the live pages and to callers awaiting an outcome. It
 * assigns itself every partition (no consumer group), so it is ready at once and each pod sees all.
 */
@ApplicationScoped
public class TaskEventFeed {
    private static final Logger LOG = Logger.getLogger(TaskEventFeed.class);

    @Inject
    Kafka kafka;
    @Inject
    TaskCodec codec;
    @Inject
    Event<TaskCodec.Published> published;

    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;

    void onStart(@Observes @Priority(20) StartupEvent start) {
        consumer = kafka.consumer(null, "task-event-feed", 500);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.TASK_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, so nothing published after start is missed
        running = true;
        Thread thread = new Thread(this::run, "task-event-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    private void run() {
        try (KafkaConsumer<String, String> c = consumer) {
            while (running) {
                try {
                    for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) {
                        dispatch(record);
                    }
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    // Keep going: without this feed, nobody's phone hears of new tasks.
                    LOG.errorf("task event feed poll failed, retrying: %s", e.toString());
                    LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                }
            }
        }
    }

    private void dispatch(ConsumerRecord<String, String> record) {
        try {
            published.fire(codec.published(record.value()));
        } catch (RuntimeException e) {
            // The type only: the record may carry patient data.
            LOG.errorf("task event at offset %d not dispatched: %s", record.offset(), e.getClass().getName());
        }
    }
}
