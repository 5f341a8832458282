package org.pagerless.conversation;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.pagerless.conversation.model.ConversationCommand;
import org.pagerless.conversation.model.PostSystemLines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** JSON for conversation commands and events on the wire: {@code {"type": <simple class name>, ...}}. */
@ApplicationScoped
public class ConversationCodec {
    private static final Map<String, Class<?>> COMMAND_TYPES = Arrays.stream(ConversationCommand.class.getPermittedSubclasses())
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    @Inject
    ObjectMapper json;

    public String command(ConversationCommand command) {
        ObjectNode node = json.valueToTree(command);
        node.put("type", command.getClass().getSimpleName());
        return write(node);
    }

    /** Several system lines for one thread in one record (ADR 0066). */
    public String lines(PostSystemLines lines) {
        ObjectNode node = json.valueToTree(lines);
        node.put("type", PostSystemLines.TYPE);
        return write(node);
    }

    /**
     * The commands one record carries: one, or (a {@link PostSystemLines}) each of its lines in order. Throws
     * {@link IllegalArgumentException} naming what is wrong when the record is not one of them.
     */
    public List<ConversationCommand> commands(String text) {
        ObjectNode node = tree(text);
        if (!PostSystemLines.TYPE.equals(node.path("type").asText())) {
            return List.of(command(node));
        }
        node.remove("type");
        PostSystemLines lines;
        try {
            lines = json.treeToValue(node, PostSystemLines.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable conversation command", e);
        }
        if (lines.conversationId() == null) {
            throw new IllegalArgumentException("system lines without a conversationId");
        }
        if (lines.lines() == null || lines.lines().isEmpty()) {
            throw new IllegalArgumentException("system lines without lines");
        }
        for (PostSystemLines.Line line : lines.lines()) {
            String missing = line == null ? "line" : line.messageId() == null ? "messageId"
                    : line.body() == null ? "body" : line.at() == null ? "at" : null;
            if (missing != null) {
                throw new IllegalArgumentException("a system line without its " + missing);
            }
        }
        return lines.commands();
    }

    private ObjectNode tree(String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("unreadable conversation command", e);
        }
    }

    private ConversationCommand command(ObjectNode node) {
        try {
            Class<?> type = COMMAND_TYPES.get(node.path("type").asText());
            if (type == null) {
                throw new IllegalArgumentException("unknown conversation command type");
            }
            node.remove("type");
            return (ConversationCommand) json.treeToValue(node, type);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("unreadable conversation command", e);
        }
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable conversation event", e);
        }
    }
}
