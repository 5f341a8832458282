package org.pagerless.conversation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.pagerless.platform.Ids;
import org.pagerless.conversation.model.PostSystemLines;
import org.pagerless.conversation.model.SystemLines;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Topics;
import org.pagerless.task.TaskCodec;
import org.pagerless.task.model.TaskEvent;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Puts what happens to a task into its thread: consumes the task-event stream in a group of its own and sends a line
 * for each event worth one ("Accepted by Dr Amira Khan") to the conversation writer, a task's lines of one batch in
 * one {@link PostSystemLines} record (ADR 0066). The line's id comes from the event's, so a replayed event adds no
 * second line.
 */
@ApplicationScoped
public class TaskThreadLines {
    static final String GROUP = "pagerless-conversation-task-lines";

    @Inject
    Kafka kafka;
    @Inject
    TaskCodec taskCodec;
    @Inject
    ConversationCodec codec;
    @Inject
    ConversationViews views;
    @Inject
    Consumers consumers;

    private ConsumerLoop loop;

    void onStart(@Observes @Priority(46) StartupEvent start) {
        loop = consumers.background("conversation-task-lines", GROUP, Topics.TASK_EVENTS, 500, this::post);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        loop.stop();
    }

    /** Whether task events are being turned into thread lines. */
    public boolean isConsuming() {
        return loop != null && loop.isAlive();
    }

    /** An unreadable event throws: the loop parks it and posts the rest of the batch once (ADR 0013). */
    private void post(List<ConsumerRecord<String, String>> records) {
        // A task's lines of this batch go in one record, in event order (a raise: "Raised by …", "Offered to …").
        Map<UUID, List<PostSystemLines.Line>> linesByTask = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            // The type header, when the record has one (the processor writes it), says whether to read it at all.
            String type = TaskCodec.typeHeader(record);
            if (type != null && !SystemLines.mayHaveLine(type)) {
                continue;
            }
            // Only the event, and only if its type may have a line: the task and audience after it are never read.
            TaskEvent event = taskCodec.publishedEvent(record.value(), SystemLines::mayHaveLine);
            if (event == null) {
                continue;
            }
            Optional<String> line = SystemLines.lineFor(event, views::nameOf);
            if (line.isPresent()) {
                linesByTask.computeIfAbsent(event.taskId(), k -> new ArrayList<>())
                        .add(new PostSystemLines.Line(lineId(event.eventId()), line.get(), event.at()));
            }
        }
        List<Future<?>> sends = new ArrayList<>(linesByTask.size());
        linesByTask.forEach((taskId, lines) -> sends.add(kafka.send(new ProducerRecord<>(Topics.CONVERSATION_COMMANDS,
                taskId.toString(), codec.lines(new PostSystemLines(taskId, lines))))));
        kafka.awaitAll(sends);
    }

    static UUID lineId(UUID eventId) {
        return Ids.derived("thread-line", eventId);
    }
}
