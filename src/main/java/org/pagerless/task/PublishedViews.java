package org.pagerless.task;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a published task event as views in one pass ({@link TaskCodec#publishedAs}): the envelope's type, the event
 * bound to a view, the task bound to a view; the audience checked present, not read.
 */
final class PublishedViews {
    private PublishedViews() {
    }

    static <E, T> TaskCodec.Parts<E, T> read(ObjectMapper json, String text, Class<E> eventView, Class<T> taskView) {
        try (JsonParser p = json.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("unreadable task event: not a JSON object");
            }
            String typeName = null;
            E event = null;
            JsonNode eventTree = null;
            T task = null;
            boolean audience = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> {
                        typeName = p.getValueAsString();
                        if (typeName != null) {
                            TaskCodec.eventType(typeName); // a type no event has: unreadable, as published(String) finds it
                        }
                    }
                    case "event" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw new IllegalArgumentException("unreadable task event: event is not an object");
                        }
                        if (typeName != null) {
                            event = json.readValue(p, eventView);
                        } else {
                            eventTree = json.readTree(p); // not as this codec writes it: the type comes later
                        }
                    }
                    case "task" -> {
                        if (value == JsonToken.START_OBJECT) {
                            task = json.readValue(p, taskView);
                        } else if (value != JsonToken.VALUE_NULL) {
                            throw new IllegalArgumentException("unreadable task event: task is not an object");
                        }
                    }
                    case "audience" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new IllegalArgumentException("unreadable task event: audience is not an array");
                        }
                        audience = true;
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            if (event == null && eventTree != null && typeName != null) {
                event = json.treeToValue(eventTree, eventView);
            }
            if (typeName == null || event == null || !audience) {
                throw new IllegalArgumentException("unreadable task event: "
                        + (typeName == null ? "type" : event == null ? "event" : "audience") + ": is missing");
            }
            return new TaskCodec.Parts<>(typeName, event, task);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable task event", e);
        }
    }
}
