package org.pagerless.conversation.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.pagerless.conversation.model.ConversationCommand.PostSystemLine;

/**
 * Several system lines for one task's thread in one record (ADR 0066): what one batch of the task's events gives
 * (a raise: "Raised by …" and "Offered to …"), so the writer gets one record, not one per line. Read back as the
 * {@link PostSystemLine}s it carries, in order; each keeps its own id, so a line sent again (alone or in another
 * batch) is stored once. A record of one {@link PostSystemLine} (written before this) is read as before.
 */
public record PostSystemLines(UUID conversationId, List<Line> lines) {
    /** The wire name of this record's {@code type}. */
    public static final String TYPE = "PostSystemLines";

    /** One line: its id (from the event's), text and instant. */
    public record Line(UUID messageId, String body, Instant at) {
    }

    /** The lines as the writer's commands, in order. */
    public List<ConversationCommand> commands() {
        return lines.stream().<ConversationCommand>map(l -> new PostSystemLine(l.messageId(), conversationId, l.body(),
                l.at())).toList();
    }
}
