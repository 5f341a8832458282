package org.pagerless.conversation;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;
import org.pagerless.conversation.ConversationViews.MessagePosted;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.LivePush;
import org.pagerless.platform.Topics;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * This pod's reading of stored messages: each (and each edit or deletion of one) goes to the live feed of the people
 * it was posted to, and everyone a new message mentions gets a {@code ConversationMention} saying where, never what
 * (it may carry patient data). Who gets it is read from the record's headers (set by the {@link ConversationWriter}),
 * so the event is passed on as it came, never decoded, and every delivery of a task thread's message is audited as a
 * read of the task's patient, per recipient (like the task's own events).
 */
@ApplicationScoped
public class ConversationFeed {
    private static final Logger LOG = Logger.getLogger(ConversationFeed.class);
    /** Header: the staff ids the message was posted to, comma-separated (staff ids have no commas). */
    static final String AUDIENCE = "pagerless-audience";
    /** Header: the staff ids a new message mentions, comma-separated; absent when none. */
    static final String MENTIONED = "pagerless-mentioned";
    /** Header: the task whose thread it is; absent for other conversations. */
    static final String TASK = "pagerless-task";

    @Inject
    Consumers consumers;
    @Inject
    ConversationCodec codec;
    @Inject
    ConversationMembers members;
    @Inject
    Event<LivePush> live;

    private volatile ConsumerLoop tail;

    void onStart(@Observes @Priority(25) StartupEvent start) {
        tail = consumers.tail("conversation-feed", Topics.CONVERSATION_EVENTS, 500, this::dispatch);
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (tail != null) {
            tail.stop();
        }
    }

    /** Writes who an event goes to into its record's headers (see the class comment). */
    static void route(Headers headers, Collection<String> audience, Collection<String> mentioned, UUID taskId) {
        headers.add(AUDIENCE, String.join(",", audience).getBytes(StandardCharsets.UTF_8));
        if (!mentioned.isEmpty()) {
            headers.add(MENTIONED, String.join(",", mentioned).getBytes(StandardCharsets.UTF_8));
        }
        if (taskId != null) {
            headers.add(TASK, taskId.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The batch's task threads' patients are looked up in one query before any is dispatched; if that fails, no task
     * thread's event of the batch is delivered (fails closed, as one lookup per event did).
     */
    private void dispatch(List<ConsumerRecord<String, String>> records) {
        Set<UUID> taskIds = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                taskOf(record).ifPresent(taskIds::add);
            } catch (IllegalArgumentException unreadable) { // that record alone is not dispatched, below
            }
        }
        Map<UUID, PatientReadAudit.Subject> patients = null;
        try {
            patients = taskIds.isEmpty() ? Map.of() : members.patientsOfTasks(taskIds);
        } catch (RuntimeException e) {
            LOG.errorf("patients of %d task threads not looked up: %s", taskIds.size(), e.getClass().getName());
        }
        for (ConsumerRecord<String, String> record : records) {
            dispatch(record, patients);
        }
    }

    private void dispatch(ConsumerRecord<String, String> record, Map<UUID, PatientReadAudit.Subject> patients) {
        try {
            Set<String> audience = ids(record.headers().lastHeader(AUDIENCE));
            if (audience == null) {
                LOG.warnf("conversation event at offset %d has no audience: not dispatched", record.offset());
                return;
            }
            Optional<UUID> task = taskOf(record);
            if (task.isEmpty()) {
                live.fire(new LivePush(audience, record.value()));
            } else {
                // Fails closed: a patient that cannot be looked up means no delivery (the app reloads the thread).
                if (patients == null) {
                    throw new IllegalStateException("patient not looked up");
                }
                Optional<PatientReadAudit.Subject> patient = Optional.ofNullable(patients.get(task.get()));
                live.fire(patient.map(p -> new LivePush(audience, record.value(), p.taskId(), p.nhsNumber()))
                        .orElseGet(() -> new LivePush(audience, record.value())));
            }
            Set<String> mentioned = ids(record.headers().lastHeader(MENTIONED));
            if (mentioned != null) {
                MessagePosted posted = codec.read(record.value(), MessagePosted.class);
                Map<String, Object> mention = new LinkedHashMap<>();
                mention.put("type", "ConversationMention");
                mention.put("conversationId", posted.conversationId());
                mention.put("title", posted.title());
                mention.put("messageId", posted.message().id());
                mention.put("by", posted.message().author());
                live.fire(new LivePush(mentioned, codec.write(mention)));
            }
        } catch (RuntimeException e) {
            LOG.errorf("conversation event at offset %d not dispatched: %s", record.offset(), e.getClass().getName());
        }
    }

    /** The task whose thread the event is in; empty for other conversations (throws if the header is not a task id). */
    private static Optional<UUID> taskOf(ConsumerRecord<String, String> record) {
        Header task = record.headers().lastHeader(TASK);
        return task == null ? Optional.empty() : Optional.of(UUID.fromString(new String(task.value(), StandardCharsets.UTF_8)));
    }

    private static Set<String> ids(Header header) {
        if (header == null) {
            return null;
        }
        String joined = new String(header.value(), StandardCharsets.UTF_8);
        return joined.isEmpty() ? Set.of() : Set.copyOf(java.util.Arrays.asList(joined.split(",")));
    }
}
