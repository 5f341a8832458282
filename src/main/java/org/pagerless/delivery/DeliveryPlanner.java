package org.pagerless.delivery;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.pagerless.delivery.model.PageText;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.Topics;
import org.pagerless.task.TaskCodec;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskKind;
import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskEvent.BroadcastRealerted;
import org.pagerless.task.model.TaskEvent.TaskOffered;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Plans notifications from the task-event stream (ADR 0007): for every offer, one notification per person offered,
 * written straight into the delivery outbox by {@link OutboxWriter}, one transaction per batch of events (ADR 0075;
 * they no longer pass through {@value Topics#NOTIFICATIONS}). Runs in its own consumer group, at least once; a replayed
 * event plans notifications with the same ids, which the outbox ignores.
 */
@ApplicationScoped
public class DeliveryPlanner {
    static final String GROUP = "pagerless-delivery-planner";

    @Inject
    TaskCodec codec;
    @Inject
    OutboxWriter writer;
    @Inject
    Consumers consumers;

    private ConsumerLoop loop;

    void onStart(@Observes @Priority(40) StartupEvent start) {
        loop = consumers.group("delivery-planner", GROUP, Topics.TASK_EVENTS, 500, this::plan);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        loop.stop();
    }

    /** Whether task events are being consumed. */
    public boolean isConsuming() {
        return loop != null && loop.isAlive();
    }

    /**
     * An event that cannot be read throws: the loop parks it and plans the rest of the batch once (ADR 0013). The
     * batch's offsets are committed only after its rows are: a database that cannot be reached makes the loop retry.
     */
    private void plan(List<ConsumerRecord<String, String>> records) throws JsonProcessingException, SQLException {
        List<Notification> notifications = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            // Most events offer nothing: their header says so, and the record is not read (none: read it, as before).
            String type = TaskCodec.typeHeader(record);
            if (type != null && !mayNotify(type)) {
                continue;
            }
            TaskCodec.Published published = codec.published(record.value());
            notifications.addAll(notificationsFor(published.event(), () -> published.task(Offered.class)));
        }
        writer.write(notifications);
    }

    /**
     * What a notification needs of the task offered, read from the record's task without decoding the rest of it (its
     * escalation chain, timers, roll-call).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Offered(org.pagerless.task.model.Priority priority, boolean fyi, TaskKind kind, TaskDetails details) {
    }

    /** The events that offer a task to someone, by type (their simple class name, as the task-events topic names them). */
    private static final java.util.Set<String> OFFERING = java.util.stream.Stream.of(TaskOffered.class,
            BroadcastRealerted.class, org.pagerless.task.model.TaskEvent.TaskReassigned.class,
            org.pagerless.task.model.TaskEvent.TaskHandedOver.class).map(Class::getSimpleName)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Whether an event of this type may need notifications: if not, the event need not be read at all. */
    static boolean mayNotify(String eventType) {
        return OFFERING.contains(eventType);
    }

    /**
     * Who must be told of this event: everyone a task was offered to (first offers and re-offers alike). The task is
     * read only for an event that offers it to someone (most events offer nothing, and need not read it).
     */
    static List<Notification> notificationsFor(TaskEvent event, java.util.function.Supplier<Offered> taskAfter) {
        List<String> to;
        if (!mayNotify(event.getClass().getSimpleName())) {
            return List.of(); // one list of the offering types, checked here too, so the header skip cannot drift
        } else if (event instanceof TaskOffered offered) {
            to = offered.offeredTo();
        } else if (event instanceof BroadcastRealerted realerted) {
            to = realerted.offeredTo();
        } else if (event instanceof org.pagerless.task.model.TaskEvent.TaskReassigned reassigned) {
            to = reassigned.offeredTo();
        } else if (event instanceof org.pagerless.task.model.TaskEvent.TaskHandedOver handedOver) {
            to = handedOver.toStaff();
        } else {
            return List.of();
        }
        Offered task = taskAfter.get();
        if (task == null) {
            return List.of();
        }
        List<Notification> out = new ArrayList<>();
        for (String staffId : to) {
            out.add(new Notification(Notification.idFor(event.eventId(), staffId), event.eventId(),
                    event.taskId(), staffId, task.priority().code(), task.fyi(), task.kind().name(),
                    task.details() == null ? null : task.details().wardId(), PageText.ref(event.taskId()),
                    event.at(), task.details() == null ? null : task.details().callback(), null, null));
        }
        return out;
    }
}
