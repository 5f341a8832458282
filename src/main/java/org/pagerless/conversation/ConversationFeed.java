package org.pagerless.conversation;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.pagerless.conversation.ConversationViews.MessagePosted;
import org.pagerless.platform.LivePush;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
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
 * (it may carry patient data).
 */
@ApplicationScoped
public class ConversationFeed {
    private static final Logger LOG = Logger.getLogger(ConversationFeed.class);

    @Inject
    Consumers consumers;
    @Inject
    ConversationCodec codec;
    @Inject
    Event<LivePush> live;

    private volatile ConsumerLoop tail;

    void onStart(@Observes @Priority(25) StartupEvent start) {
        tail = consumers.tail("conversation-feed", Topics.CONVERSATION_EVENTS, 500, records -> records.forEach(this::dispatch));
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (tail != null) {
            tail.stop();
        }
    }

    private void dispatch(ConsumerRecord<String, String> record) {
        try {
            MessagePosted posted = codec.read(record.value(), MessagePosted.class);
            live.fire(new LivePush(posted.audience(), record.value()));
            if ("MessagePosted".equals(posted.type()) && !posted.mentioned().isEmpty()) {
                Map<String, Object> mention = new LinkedHashMap<>();
                mention.put("type", "ConversationMention");
                mention.put("conversationId", posted.conversationId());
                mention.put("title", posted.title());
                mention.put("messageId", posted.message().id());
                mention.put("by", posted.message().author());
                live.fire(new LivePush(posted.mentioned(), codec.write(mention)));
            }
        } catch (RuntimeException e) {
            LOG.errorf("conversation event at offset %d not dispatched: %s", record.offset(), e.getClass().getName());
        }
    }
}
