package org.pagerless.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.pagerless.platform.Topics;
import org.pagerless.task.model.Patient;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskEvent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
    /** Each event type's header, made once (headers are read-only once sent). */
    private static final Map<String, Header> TYPE_HEADERS = EVENT_TYPES.keySet().stream().collect(
            Collectors.toUnmodifiableMap(Function.identity(),
                    name -> new RecordHeader(Topics.EVENT_TYPE_HEADER, name.getBytes(StandardCharsets.UTF_8))));

    @Inject
    ObjectMapper json;

    /**
     * An event as published on the task-events topic: what happened, the task after it, and who should hear. Read
     * from the topic, the task is decoded only when first asked for: most readers (the thread lines, the planner for
     * events that offer nothing, the live feed for events no open page is told of) never need it.
     */
    public static final class Published {
        private final TaskEvent event;
        private final List<String> audience;
        private final String json;
        private final String taskJson;
        private final java.util.function.BiFunction<String, Class<?>, Object> reader;
        private final Function<String, Patient> patientReader;
        private Task task;
        private boolean read;

        private Published(TaskEvent event, String taskJson, java.util.function.BiFunction<String, Class<?>, Object> reader,
                          Function<String, Patient> patientReader, List<String> audience, String json) {
            this.event = event;
            this.taskJson = taskJson;
            this.reader = reader;
            this.patientReader = patientReader;
            this.audience = audience;
            this.json = json;
            this.read = taskJson == null;
        }

        public TaskEvent event() {
            return event;
        }

        /** The task after the event (null when the event carried none); throws if its JSON cannot be read. */
        public synchronized Task task() {
            if (!read) {
                task = (Task) reader.apply(taskJson, Task.class);
                read = true;
            }
            return task;
        }

        /**
         * The task after the event read as {@code view}: a record of some of the task's fields (unknown ones are
         * skipped, not bound), for a reader that needs a few fields and not the whole task with its chain. Null when
         * the event carried no task; throws if its JSON cannot be read as {@code view}.
         */
        public <T> T task(Class<T> view) {
            if (taskJson == null) {
                return null;
            }
            return view.cast(reader.apply(taskJson, view));
        }

        /**
         * The task's patient, or null (no patient, or no task): what a live page must audit before it is sent the
         * record. Read from the task's JSON without decoding the rest of the task, unless that is decoded already.
         */
        public synchronized Patient patient() {
            if (read) {
                return task == null || task.details() == null ? null : task.details().patient();
            }
            return patientReader.apply(taskJson);
        }

        public List<String> audience() {
            return audience;
        }

        /** The record's text, as published. */
        public String json() {
            return json;
        }
    }

    /**
     * One processor batch's JSON: each task state and each event is encoded once, however many records and rows
     * carry it (the task's row, every event it published; the event's row and its record).
     */
    public final class Batch {
        private final Map<Object, String> encoded = new IdentityHashMap<>();

        /** The task state, as stored in its row and carried by each of its published events. */
        public String task(Task task) {
            return encoded.computeIfAbsent(task, TaskCodec.this::write);
        }

        /** The event as stored in the event log: its fields and its {@code type} (as {@link TaskCodec#event(TaskEvent)}). */
        public String event(TaskEvent event) {
            return withType(body(event), event.getClass().getSimpleName());
        }

        /** The event as published on the task-events topic (as {@link TaskCodec#published(TaskEvent, Task, List)}). */
        public String published(TaskEvent event, Task task, List<String> audience) {
            return envelope(event, body(event), task == null ? null : task(task), audience);
        }

        private String body(TaskEvent event) {
            return encoded.computeIfAbsent(event, TaskCodec.this::write);
        }
    }

    /** A fresh {@link Batch}: one per transaction, dropped after it. */
    public Batch batch() {
        return new Batch();
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
        return envelope(event, write(event), task == null ? null : write(task), audience);
    }

    /**
     * Reads a published event in one pass over the text (no intermediate tree): the event at once, the task only
     * when {@link Published#task()} is first called. Text that is not well-formed JSON, lacks a known type, or whose
     * event or audience cannot be read throws {@link IllegalArgumentException}.
     */
    public Published published(String text) {
        try (JsonParser p = json.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("unreadable task event: not a JSON object");
            }
            String typeName = null;
            TaskEvent event = null;
            JsonNode eventTree = null;
            String taskJson = null;
            String[] audience = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> typeName = p.getValueAsString();
                    case "event" -> {
                        if (typeName != null) {
                            event = (TaskEvent) json.readValue(p, eventType(typeName));
                        } else {
                            eventTree = json.readTree(p); // the type comes later: read the event once it is known
                        }
                    }
                    case "task" -> {
                        if (value == JsonToken.START_OBJECT) {
                            int start = (int) p.currentTokenLocation().getCharOffset();
                            p.skipChildren();
                            taskJson = text.substring(start, (int) p.currentLocation().getCharOffset());
                        } else if (value != JsonToken.VALUE_NULL) {
                            throw new IllegalArgumentException("unreadable task event: task is not an object");
                        }
                    }
                    case "audience" -> audience = json.readValue(p, String[].class);
                    default -> p.skipChildren();
                }
            }
            if (event == null && eventTree != null && typeName != null) {
                event = (TaskEvent) json.treeToValue(eventTree, eventType(typeName));
            }
            if (typeName == null || event == null || audience == null) {
                throw new IllegalArgumentException("unreadable task event: "
                        + (typeName == null ? "type" : event == null ? "event" : "audience") + ": is missing");
            }
            return new Published(event, taskJson, this::view, this::patientOf, Arrays.asList(audience), text);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable task event", e);
        }
    }

    /**
     * Only the event of a published record, for a reader that needs nothing else (the task thread's lines): null,
     * without reading the event, when its type is not {@code wanted}; the task and audience that follow it are not
     * read at all. Text whose type or event cannot be read throws {@link IllegalArgumentException}, as
     * {@link #published(String)}.
     */
    public TaskEvent publishedEvent(String text, java.util.function.Predicate<String> wanted) {
        try (JsonParser p = json.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("unreadable task event: not a JSON object");
            }
            if (p.nextToken() == JsonToken.FIELD_NAME && "type".equals(p.currentName())
                    && p.nextToken() == JsonToken.VALUE_STRING) {
                String typeName = p.getText();
                Class<?> type = eventType(typeName);
                if (p.nextToken() == JsonToken.FIELD_NAME && "event".equals(p.currentName())
                        && p.nextToken() == JsonToken.START_OBJECT) {
                    return wanted.test(typeName) ? (TaskEvent) json.readValue(p, type) : null;
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable task event", e);
        }
        TaskEvent event = published(text).event(); // not as this codec writes it: read it all
        return wanted.test(event.getClass().getSimpleName()) ? event : null;
    }

    /**
     * The event type a task-event record's header names ({@link Topics#EVENT_TYPE_HEADER}, written by the processor),
     * or null when the record has none (written before the header existed): the caller then reads the envelope.
     */
    public static String typeHeader(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(Topics.EVENT_TYPE_HEADER);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The headers of {@code event}'s task-event record: its type ({@link Topics#EVENT_TYPE_HEADER}). */
    public static List<Header> typeHeaders(TaskEvent event) {
        return List.of(TYPE_HEADERS.get(event.getClass().getSimpleName()));
    }

    /**
     * A published event read as views, in one pass over the text: the envelope's type (checked to be a known event
     * type), {@code eventView} bound from the event and {@code taskView} from the task (null when the record carried
     * none); the audience is checked to be there but not read. Views are records of some of the fields (unknown ones
     * skipped, not bound), for a reader that relays a few fields (the integration stream). Text that is not as
     * {@link #published(String)} reads it throws {@link IllegalArgumentException}.
     */
    public <E, T> Parts<E, T> publishedAs(String text, Class<E> eventView, Class<T> taskView) {
        return PublishedViews.read(json, text, eventView, taskView);
    }

    /** What {@link #publishedAs} read: the event's type, the event's view, the task's view (or null). */
    public record Parts<E, T>(String type, E event, T task) {
    }

    private Object view(String taskJson, Class<?> view) {
        try {
            return json.readValue(taskJson, view);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable task state", e);
        }
    }

    /** The {@code details.patient} of a task's JSON (null if none), read without binding the rest of the task. */
    private Patient patientOf(String taskJson) {
        try (JsonParser p = json.getFactory().createParser(taskJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("unreadable task state: not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("details".equals(field) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String detail = p.currentName();
                        JsonToken patient = p.nextToken();
                        if ("patient".equals(detail)) {
                            return patient == JsonToken.VALUE_NULL ? null : json.readValue(p, Patient.class);
                        }
                        p.skipChildren();
                    }
                    return null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable task state", e);
        }
    }

    /** The event class of a type name; {@link IllegalArgumentException} for a name no event has. */
    static Class<?> eventType(String name) {
        Class<?> type = EVENT_TYPES.get(name);
        if (type == null) {
            throw new IllegalArgumentException("unknown event type");
        }
        return type;
    }

    /** {@code {"type": <event type>, "event": {...}, "task": {...} or null, "audience": [...]}} from encoded parts. */
    private String envelope(TaskEvent event, String eventJson, String taskJson, List<String> audience) {
        StringBuilder out = new StringBuilder(eventJson.length() + (taskJson == null ? 4 : taskJson.length())
                + 32 * audience.size() + 64);
        out.append("{\"type\":\"").append(event.getClass().getSimpleName()).append("\",\"event\":").append(eventJson)
                .append(",\"task\":").append(taskJson == null ? "null" : taskJson).append(",\"audience\":")
                .append(write(audience)).append('}');
        return out.toString();
    }

    /** A JSON object's text with {@code "type": <name>} added as its last field. */
    private static String withType(String object, String name) {
        String fields = object.substring(0, object.lastIndexOf('}')).strip();
        return fields + (fields.equals("{") ? "" : ",") + "\"type\":\"" + name + "\"}";
    }

    /** The value's fields and then its {@code type}, written in one pass (no intermediate tree). */
    private String typed(Object value) {
        return withType(write(value), value.getClass().getSimpleName());
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
