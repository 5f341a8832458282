package org.pagerless.conversation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;
import org.pagerless.conversation.ConversationStore.Message;
import org.pagerless.conversation.ConversationViews.MessagePosted;
import org.pagerless.conversation.model.Conversation;
import org.pagerless.conversation.model.ConversationCommand;
import org.pagerless.conversation.model.ConversationCommand.PostMessage;
import org.pagerless.conversation.model.ConversationCommand.PostSystemLine;
import org.pagerless.conversation.model.Mentions;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Topics;
import org.pagerless.rota.ReferenceData;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The one writer of messages: consumes {@value Topics#CONVERSATION_COMMANDS} (keyed by conversation id, so one
 * conversation's messages are stored in the order they were sent), stores each message with who it was posted to
 * (the members at that instant, and anyone mentioned), then announces it on {@value Topics#CONVERSATION_EVENTS}.
 * At least once: a replayed command stores nothing new and announces the stored message again.
 */
@ApplicationScoped
public class ConversationWriter {
    private static final Logger LOG = Logger.getLogger(ConversationWriter.class);
    static final String GROUP = "pagerless-conversation-writer";

    @Inject
    Kafka kafka;
    @Inject
    DataSource dataSource;
    @Inject
    ConversationCodec codec;
    @Inject
    ConversationStore store;
    @Inject
    ConversationMembers members;
    @Inject
    ConversationViews views;
    @Inject
    ReferenceData referenceData;
    @Inject
    Consumers consumers;

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
     * One batch in one transaction: each command in partition order, then every stored message announced. A batch
     * that fails is retried by the loop (halved to isolate poison); inserts already made are ignored on the retry.
     */
    private void write(List<ConsumerRecord<String, String>> records) throws SQLException {
        Map<UUID, Optional<Conversation>> conversations = new HashMap<>();
        Map<UUID, Set<String>> taskPeople = new HashMap<>();
        List<Message> messages = new ArrayList<>();
        Map<UUID, Conversation> of = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            // An unreadable command throws: the loop parks it and stores the rest of the batch once (ADR 0013).
            ConversationCommand command = codec.command(record.value());
            Optional<Conversation> found = conversations.computeIfAbsent(command.conversationId(), members::find);
            if (found.isEmpty()) {
                LOG.warnf("conversation command %s for an unknown conversation skipped", command);
                continue;
            }
            Conversation conversation = found.get();
            Set<String> audience = new LinkedHashSet<>(conversation.kind() == Conversation.Kind.TASK
                    // A task's people change only with its events: once per batch is enough.
                    ? taskPeople.computeIfAbsent(conversation.id(), id -> members.membersAt(conversation, command.at()))
                    : members.membersAt(conversation, command.at()));
            messages.add(message(command, audience));
            of.put(conversation.id(), conversation);
        }
        if (messages.isEmpty()) {
            return;
        }
        List<Message> stored;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Conversation conversation : of.values()) {
                    store.create(c, conversation);
                }
                for (Message m : messages) {
                    store.insert(c, m);
                }
                stored = store.messages(c, messages.stream().map(Message::id).toList());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        List<Future<?>> sends = new ArrayList<>();
        for (Message m : stored) {
            Conversation conversation = of.get(m.conversationId());
            MessagePosted posted = new MessagePosted("MessagePosted", conversation.id(), conversation.title(),
                    views.message(m, Map.of(), List.of()), Set.copyOf(m.audience()), Set.copyOf(m.mentions()));
            sends.add(kafka.send(new ProducerRecord<>(Topics.CONVERSATION_EVENTS, conversation.id().toString(),
                    codec.write(posted))));
        }
        kafka.awaitAll(sends);
    }

    /** The message a command stores: who it goes to is the members then, its author, and anyone it mentions. */
    private Message message(ConversationCommand command, Set<String> audience) {
        if (command instanceof PostMessage post) {
            Set<String> mentioned = Mentions.in(post.body(), referenceData.hospital(), post.at());
            mentioned.remove(post.author());
            audience.add(post.author());
            audience.addAll(mentioned);
            return new Message(post.messageId(), post.conversationId(), "text", post.author(), post.body(),
                    List.copyOf(mentioned), List.copyOf(audience), post.at(), 0);
        }
        PostSystemLine line = (PostSystemLine) command;
        return new Message(line.messageId(), line.conversationId(), "system", null, line.body(), List.of(),
                List.copyOf(audience), line.at(), 0);
    }
}
