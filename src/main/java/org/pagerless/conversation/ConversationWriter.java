package org.pagerless.conversation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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

    private ConsumerLoop loop;

    void onStart(@Observes @Priority(45) StartupEvent start) {
        loop = new ConsumerLoop("conversation-writer", () -> kafka.consumer(GROUP, "conversation-writer", 200),
                Topics.CONVERSATION_COMMANDS, this::write);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        loop.stop();
    }

    /** Whether conversation commands are being consumed. */
    public boolean isConsuming() {
        return loop != null && loop.isAlive();
    }

    private void write(ConsumerRecords<String, String> records) throws SQLException {
        List<Future<?>> sends = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            ConversationCommand command;
            try {
                command = codec.command(record.value());
            } catch (IllegalArgumentException e) {
                // Never echo the record: a message may carry patient data.
                LOG.errorf("unreadable conversation command skipped at %s-%d offset %d", record.topic(),
                        record.partition(), record.offset());
                continue;
            }
            Optional<MessagePosted> posted = store(command);
            if (posted.isPresent()) {
                sends.add(kafka.send(new ProducerRecord<>(Topics.CONVERSATION_EVENTS,
                        command.conversationId().toString(), codec.write(posted.get()))));
            } else {
                LOG.warnf("conversation command %s for an unknown conversation skipped", command);
            }
        }
        kafka.awaitAll(sends);
    }

    private Optional<MessagePosted> store(ConversationCommand command) throws SQLException {
        Optional<Conversation> found = members.find(command.conversationId());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Conversation conversation = found.get();
        Set<String> audience = new LinkedHashSet<>(members.membersAt(conversation, command.at()));
        Message message;
        if (command instanceof PostMessage post) {
            Set<String> mentioned = Mentions.in(post.body(), referenceData.hospital(), post.at());
            mentioned.remove(post.author());
            audience.add(post.author());
            audience.addAll(mentioned);
            message = new Message(post.messageId(), post.conversationId(), "text", post.author(), post.body(),
                    List.copyOf(mentioned), List.copyOf(audience), post.at(), 0);
        } else {
            PostSystemLine line = (PostSystemLine) command;
            message = new Message(line.messageId(), line.conversationId(), "system", null, line.body(), List.of(),
                    List.copyOf(audience), line.at(), 0);
        }
        Message stored;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                store.create(c, conversation);
                store.insert(c, message);
                stored = store.message(c, message.id()).orElseThrow();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return Optional.of(new MessagePosted("MessagePosted", conversation.id(), conversation.title(),
                views.message(stored, Map.of(), List.of()), Set.copyOf(stored.audience()), Set.copyOf(stored.mentions())));
    }
}
