package org.pagerless.task;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.Failures;
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
    Consumers consumers;
    @Inject
    TaskCodec codec;
    @Inject
    Event<TaskCodec.Published> published;

    private volatile ConsumerLoop tail;

    void onStart(@Observes @Priority(20) StartupEvent start) {
        tail = consumers.tail("task-event-feed", Topics.TASK_EVENTS, 500, this::dispatch);
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (tail != null) {
            tail.stop();
        }
    }

    /**
     * Reads every event of the batch first (an unreadable one throws, and the loop parks it: ADR 0013), then fires
     * each. A live page or waiter that fails is logged, not retried: the event itself is fine, and firing the batch
     * again would repeat it to everyone else.
     */
    private void dispatch(List<ConsumerRecord<String, String>> records) {
        List<TaskCodec.Published> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            events.add(codec.published(record.value()));
        }
        for (TaskCodec.Published event : events) {
            try {
                published.fire(event);
            } catch (RuntimeException e) {
                LOG.errorf("task event %s not dispatched to every live page: %s", event.event().eventId(),
                        Failures.describe(e));
            }
        }
    }
}
