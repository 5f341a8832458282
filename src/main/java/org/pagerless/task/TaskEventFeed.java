package org.pagerless.task;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.TopicTail;
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

    private volatile TopicTail tail;

    void onStart(@Observes @Priority(20) StartupEvent start) {
        tail = TopicTail.start(kafka, Topics.TASK_EVENTS, "task-event-feed", 500,
                records -> records.forEach(this::dispatch));
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (tail != null) {
            tail.stop();
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
