package org.pagerless.conversation.model;

import java.time.Instant;
import java.util.UUID;

/**
 * What the conversation writer is asked to store, on {@code pagerless.conversation-commands.v1} keyed by conversation
 * id (one writer per conversation). Message ids are chosen by the sender, so a command applied twice stores once.
 */
public sealed interface ConversationCommand {
    UUID messageId();

    UUID conversationId();

    Instant at();

    /** A person posts to a conversation they may post to (checked before it is sent), with a photo or none. */
    record PostMessage(UUID messageId, UUID conversationId, String author, String body, Instant at, UUID photoId)
            implements ConversationCommand {
        @Override
        public String toString() {
            return "PostMessage[" + messageId + "]";
        }
    }

    /** A line the system adds to a task's thread for an event of the task ({@code messageId} from the event id). */
    record PostSystemLine(UUID messageId, UUID conversationId, String body, Instant at) implements ConversationCommand {
        @Override
        public String toString() {
            return "PostSystemLine[" + messageId + "]";
        }
    }

    /**
     * The author changes the text of their message: stored as a new version ({@code versionId}, chosen by the
     * sender), never by changing the message.
     */
    record EditMessage(UUID messageId, UUID conversationId, UUID versionId, String by, String body, Instant at)
            implements ConversationCommand {
        @Override
        public String toString() {
            return "EditMessage[" + messageId + "/" + versionId + "]";
        }
    }

    /** The author deletes their message: a version with no text ("deleted by … at …"); the record keeps the rest. */
    record DeleteMessage(UUID messageId, UUID conversationId, UUID versionId, String by, Instant at)
            implements ConversationCommand {
        @Override
        public String toString() {
            return "DeleteMessage[" + messageId + "/" + versionId + "]";
        }
    }
}
