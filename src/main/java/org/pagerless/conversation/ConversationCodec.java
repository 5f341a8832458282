package org.pagerless.conversation;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.pagerless.conversation.model.ConversationCommand;

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

    public ConversationCommand command(String text) {
        try {
            ObjectNode node = (ObjectNode) json.readTree(text);
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
