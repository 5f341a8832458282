package org.pagerless.task;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskEvent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * JSON for commands, events and task state, on the wire and in the database. Each is written as
 * {@code {"type": <simple class name>, ...}} so the model needs no serialisation annotations.
 */
@ApplicationScoped
public class TaskCodec {
    private static final Map<String, Class<?>> COMMAND_TYPES = subtypes(TaskCommand.class);
    private static final Map<String, Class<?>> EVENT_TYPES = subtypes(TaskEvent.class);

    @Inject
    ObjectMapper json;

    /** An event as published on the task-events topic: what happened, the task after it, and who should hear. */
    public record Published(TaskEvent event, Task task, List<String> audience, String json) {
    }

    public String command(TaskCommand command) {
        return typed(command);
    }

    public TaskCommand command(String text) {
        return (TaskCommand) untyped(text, COMMAND_TYPES);
    }

    public String event(TaskEvent event) {
        return typed(event);
    }

    public TaskEvent event(String text) {
        return (TaskEvent) untyped(text, EVENT_TYPES);
    }

    public String task(Task task) {
        return write(task);
    }

    public Task task(String text) {
        try {
            return json.readValue(text, Task.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable task state", e);
        }
    }

    public String published(TaskEvent event, Task task, List<String> audience) {
        ObjectNode node = json.createObjectNode();
        node.put("type", event.getClass().getSimpleName());
        node.set("event", json.valueToTree(event));
        node.set("task", task == null ? null : json.valueToTree(task));
        node.set("audience", json.valueToTree(audience));
        return write(node);
    }

    public Published published(String text) {
        try {
            JsonNode node = json.readTree(text);
            Class<?> type = EVENT_TYPES.get(node.path("type").asText());
            if (type == null) {
                throw new IllegalArgumentException("unknown event type");
            }
            TaskEvent event = (TaskEvent) json.treeToValue(node.get("event"), type);
            JsonNode taskNode = node.get("task");
            Task task = taskNode == null || taskNode.isNull() ? null : json.treeToValue(taskNode, Task.class);
            List<String> audience = Arrays.asList(json.treeToValue(node.get("audience"), String[].class));
            return new Published(event, task, audience, text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable task event", e);
        }
    }

    private String typed(Object value) {
        ObjectNode node = json.valueToTree(value);
        node.put("type", value.getClass().getSimpleName());
        return write(node);
    }

    private Object untyped(String text, Map<String, Class<?>> types) {
        try {
            ObjectNode node = (ObjectNode) json.readTree(text);
            Class<?> type = types.get(node.path("type").asText());
            if (type == null) {
                throw new IllegalArgumentException("unknown type");
            }
            node.remove("type");
            return json.treeToValue(node, type);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("unreadable record", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static Map<String, Class<?>> subtypes(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses())
                .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));
    }
}
