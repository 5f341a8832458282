package org.pagerless.conversation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;
import org.pagerless.conversation.ConversationStore.Message;
import org.pagerless.conversation.ConversationViews.MessagePosted;
import org.pagerless.conversation.model.Conversation;
import org.pagerless.conversation.model.ConversationCommand;
import org.pagerless.conversation.model.ConversationCommand.DeleteMessage;
import org.pagerless.conversation.model.ConversationCommand.EditMessage;
import org.pagerless.conversation.model.ConversationCommand.PostMessage;
import org.pagerless.conversation.model.ConversationCommand.PostSystemLine;
import org.pagerless.conversation.model.Mentions;
import org.pagerless.delivery.Notification;
import org.pagerless.delivery.PushSubscriptions;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.Jdbc;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Topics;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.TaskQueries;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The one writer of messages: consumes {@value Topics#CONVERSATION_COMMANDS} (keyed by conversation id, so one
 * conversation's messages, edits and deletions are stored in the order they were sent), stores each message with who
 * it was posted to (the members at that instant, and anyone mentioned) and each edit or deletion as a new version,
 * then announces them on {@value Topics#CONVERSATION_EVENTS} and plans the Web Push "New message in …" for members
 * who have not muted the conversation (and anyone mentioned) and have a live push subscription, on
 * {@value Topics#NOTIFICATIONS} (ADR 0038).
 * At least once: a replayed command stores nothing new and announces the stored message again.
 */
@ApplicationScoped
public class ConversationWriter {
    private static final Logger LOG = Logger.getLogger(ConversationWriter.class);
    static final String GROUP = "pagerless-conversation-writer";

    @Inject
    Kafka kafka;
    @Inject
    Jdbc jdbc;
    @Inject
    ConversationCodec codec;
    @Inject
    ConversationStore store;
    @Inject
    ConversationReaders readers;
    @Inject
    ConversationMembers members;
    @Inject
    ConversationViews views;
    @Inject
    ReferenceData referenceData;
    @Inject
    Consumers consumers;
    @Inject
    PushSubscriptions subscriptions;

    private ConsumerLoop loop;

    void onStart(@Observes @Priority(45) StartupEvent start) {
        loop = consumers.group("conversation-writer", GROUP, Topics.CONVERSATION_COMMANDS, 200, this::write);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        loop.stop();
    }

    /** Whether conversation commands are being consumed. */
    public boolean isConsuming() {
        return loop != null && loop.isAlive();
    }

    /**
     * One batch in one transaction: each command in partition order, then every stored message and change announced
     * and the pushes planned. A batch that fails is retried by the loop (halved to isolate poison); inserts already
     * made are ignored on the retry.
     */
    private void write(List<ConsumerRecord<String, String>> records) throws SQLException {
        List<ConversationCommand> commands = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            // An unreadable command throws: the loop parks it and stores the rest of the batch once (ADR 0013).
            commands.addAll(codec.commands(record.value()));
        }
        // The batch's conversations in one query (none for those known), a task thread not stored yet in one more,
        // whose people are kept for the members below.
        Map<UUID, TaskQueries.People> peopleRead = new HashMap<>();
        Map<UUID, Conversation> conversations = members.findAll(commands.stream().map(ConversationCommand::conversationId)
                .collect(Collectors.toCollection(LinkedHashSet::new)), peopleRead);
        // A task's people change only with its events: once per batch is enough, for all its tasks in one query, at
        // the instant of its first line in the batch.
        Map<UUID, Instant> taskLinesAt = new LinkedHashMap<>();
        for (ConversationCommand command : commands) {
            Conversation conversation = conversations.get(command.conversationId());
            if (conversation != null && conversation.kind() == Conversation.Kind.TASK && posts(command)) {
                taskLinesAt.putIfAbsent(conversation.taskId(), command.at());
            }
        }
        Map<UUID, Set<String>> taskMembers = taskLinesAt.isEmpty() ? Map.of() : members.taskMembersAt(taskLinesAt, peopleRead);
        // Who is in another conversation changes only at shift boundaries: once per conversation and second is exact.
        Map<String, Set<String>> membersAt = new HashMap<>();
        List<ConversationCommand> steps = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        Map<UUID, Conversation> of = new HashMap<>();
        for (ConversationCommand command : commands) {
            Conversation conversation = conversations.get(command.conversationId());
            if (conversation == null) {
                LOG.warnf("conversation command %s for an unknown conversation skipped", command);
                continue;
            }
            of.put(conversation.id(), conversation);
            steps.add(command);
            if (!posts(command)) {
                continue;
            }
            Set<String> audience = new LinkedHashSet<>(conversation.kind() == Conversation.Kind.TASK
                    ? taskMembers.getOrDefault(conversation.taskId(), Set.of())
                    : membersAt.computeIfAbsent(conversation.id() + "@" + command.at().truncatedTo(ChronoUnit.SECONDS),
                            k -> members.membersAt(conversation, command.at())));
            messages.add(message(command, audience));
        }
        if (steps.isEmpty()) {
            return;
        }
        record Written(List<Message> stored, List<Message> changed, Map<UUID, Set<String>> muted) {
        }
        Written written = jdbc.transaction(c -> {
            // Task threads not stored yet (those whose people findAll read) are stored with their first lines, all of
            // the batch's in one statement.
            store.create(c, of.values().stream().filter(conversation -> peopleRead.containsKey(conversation.id())).toList());
            List<Message> inserted = store.insert(c, messages);
            List<Message> changes = new ArrayList<>();
            for (ConversationCommand step : steps) {
                change(c, step).ifPresent(changes::add);
            }
            return new Written(inserted, changes, inserted.stream().anyMatch(m -> "text".equals(m.kind()))
                    ? readers.muted(c, of.keySet()) : Map.of());
        });
        List<Message> stored = written.stored();
        List<Message> changed = written.changed();
        Map<UUID, Set<String>> muted = written.muted();
        List<Future<?>> sends = new ArrayList<>();
        for (Message m : stored) {
            sends.add(announce("MessagePosted", of.get(m.conversationId()), m));
        }
        for (Message m : changed) {
            sends.add(announce(m.deleted() ? "MessageDeleted" : "MessageEdited", of.get(m.conversationId()), m));
        }
        // Only people a push can reach: the rest would be outbox rows withdrawn at once (a 50-member room, 100/s).
        // Asked once for everyone the batch's messages went to, before any push is planned.
        Set<String> wanted = new HashSet<>();
        for (Message m : stored) {
            if ("text".equals(m.kind())) {
                wanted.addAll(m.audience());
            }
        }
        Set<String> reachable = wanted.isEmpty() ? Set.of() : subscriptions.reachable(wanted);
        for (Notification n : notifications(stored, of, muted, reachable)) {
            sends.add(kafka.send(new ProducerRecord<>(Topics.NOTIFICATIONS, n.staffId(), codec.write(n))));
        }
        kafka.awaitAll(sends);
    }

    /**
     * The live event, as the apps get it ({@link ConversationFeed}): the message as it now reads, without receipts (a
     * new message has none; the author reads them over HTTP). Who it goes to travels beside it, in the record's headers,
     * so every pod's feed routes it without decoding it; a task thread's event names its task for the read audit.
     */
    private Future<?> announce(String type, Conversation conversation, Message m) {
        MessagePosted event = new MessagePosted(type, conversation.id(), conversation.title(), views.live(m));
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.CONVERSATION_EVENTS,
                conversation.id().toString(), codec.write(event));
        ConversationFeed.route(record.headers(), m.audience(), "MessagePosted".equals(type) ? m.mentions() : List.of(),
                conversation.taskId());
        return kafka.send(record);
    }

    /**
     * An edit or deletion, stored as a new version if it still applies: the message is in this conversation, the
     * person changing it is its author, and it is not deleted already (checked again here, in partition order, since
     * a deletion may have been sent while the edit was on its way). Returns the message as it now reads.
     */
    private Optional<Message> change(Connection c, ConversationCommand step) throws SQLException {
        UUID versionId;
        String by;
        String body;
        if (step instanceof EditMessage edit) {
            versionId = edit.versionId();
            by = edit.by();
            body = edit.body();
        } else if (step instanceof DeleteMessage delete) {
            versionId = delete.versionId();
            by = delete.by();
            body = null;
        } else {
            return Optional.empty();
        }
        Optional<Message> target = store.message(c, step.messageId())
                .filter(m -> m.conversationId().equals(step.conversationId()) && by.equals(m.author()));
        if (target.isEmpty()) {
            LOG.warnf("conversation command %s: no such message of its sender here, skipped", step);
            return Optional.empty();
        }
        if (!target.get().deleted()) {
            store.insertVersion(c, versionId, step.messageId(), body, by, step.at());
        }
        return store.message(c, step.messageId());
    }

    /**
     * The pushes these stored messages call for: one per person and conversation for the batch (the newest message),
     * to everyone a person's message went to who has a live push subscription ({@code reachable}), except its author
     * and those who muted the conversation, and always to those it mentions. System lines push nothing: the task's
     * own pages do that.
     */
    private static List<Notification> notifications(List<Message> stored, Map<UUID, Conversation> of,
                                                     Map<UUID, Set<String>> muted, Set<String> reachable) {
        if (reachable.isEmpty()) {
            return List.of();
        }
        Map<String, Notification> latest = new LinkedHashMap<>();
        for (Message m : stored) {
            if (!"text".equals(m.kind())) {
                continue;
            }
            Set<String> quiet = muted.getOrDefault(m.conversationId(), Set.of());
            for (String staffId : m.audience()) {
                if (!reachable.contains(staffId)) {
                    continue;
                }
                boolean mention = m.mentions().contains(staffId);
                if (staffId.equals(m.author()) || (quiet.contains(staffId) && !mention)) {
                    continue;
                }
                String key = m.conversationId() + "/" + staffId;
                Notification before = latest.get(key);
                boolean mentioned = mention || (before != null && Notification.MENTION.equals(before.kind()));
                latest.put(key, Notification.message(m.id(), m.conversationId(), of.get(m.conversationId()).title(),
                        staffId, mentioned, m.postedAt()));
            }
        }
        return List.copyOf(latest.values());
    }

    /** Whether the command posts a message (an edit or deletion changes one). */
    private static boolean posts(ConversationCommand command) {
        return !(command instanceof EditMessage || command instanceof DeleteMessage);
    }

    /** The message a command stores: who it goes to is the members then, its author, and anyone it mentions. */
    private Message message(ConversationCommand command, Set<String> audience) {
        if (command instanceof PostMessage post) {
            Set<String> mentioned = Mentions.in(post.body(), referenceData.hospital(), post.at());
            mentioned.remove(post.author());
            audience.add(post.author());
            audience.addAll(mentioned);
            return new Message(post.messageId(), post.conversationId(), "text", post.author(), post.body(),
                    List.copyOf(mentioned), List.copyOf(audience), post.at(), 0, post.photoId(), null);
        }
        PostSystemLine line = (PostSystemLine) command;
        return new Message(line.messageId(), line.conversationId(), "system", null, line.body(), List.of(),
                List.copyOf(audience), line.at(), 0, null, null);
    }
}
