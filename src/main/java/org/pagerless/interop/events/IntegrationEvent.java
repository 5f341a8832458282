package org.pagerless.interop.events;

import java.time.Instant;
import java.util.UUID;

import org.pagerless.task.model.Location;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskKind;
import org.pagerless.task.model.TaskStatus;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One record of the outbound integration stream ({@code pagerless.integration-events.v1}), as its published JSON
 * schema ({@code docs/schemas/integration-event.v1.schema.json}) describes it: what happened to which task, and the
 * task's operational state after it. Never the patient (no NHS number, no name), never free text that may name them
 * (SBAR detail, bleep message, reasons, notes): an integrator with the right to see those reads the task over FHIR
 * (ADR 0037). Field names are the schema's; a change to them is a new topic version.
 */
public record IntegrationEvent(String schema, UUID eventId, String type, Instant at, String actor, UUID taskId,
                               String kind, String status, String fhirStatus, String priority, boolean fyi,
                               String ward, String bed, String taskType, String targetType, String targetId,
                               String requester, String owner, int escalationLevel, long version) {
    /** The schema id every record carries; the topic's version is its last part. */
    public static final String SCHEMA = "pagerless.integration-event.v1";

    /**
     * The task after an event as this stream reads it from the published record: only the fields it relays, bound
     * from the task's JSON ({@code TaskCodec.Published#task(Class)}); the chain, timers, roll-call, patient and free
     * text are skipped, never bound.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TaskState(UUID id, TaskKind kind, TaskStatus status, Priority priority, boolean fyi, Details details,
                            Target target, String requester, String owner, int level, long version) {
        /** Where the task is and what kind of task it is; nothing else of its details. */
        @JsonIgnoreProperties(ignoreUnknown = true)
        public record Details(Location location, String type) {
        }
    }

    /**
     * What this stream relays of an event: the fields every task event has, bound from the event's JSON without the
     * rest of it (offers, reasons, notes, locations are skipped, never bound).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EventHead(UUID eventId, UUID taskId, String actor, Instant at) {
    }

    /** The record for an event of type {@code type} read as its head, with {@code task} the task after it (or null). */
    public static IntegrationEvent of(String type, EventHead event, TaskState task) {
        if (task == null) {
            return new IntegrationEvent(SCHEMA, event.eventId(), type, event.at(), event.actor(), event.taskId(), null,
                    null, null, null, false, null, null, null, null, null, null, null, 0, 0);
        }
        var details = task.details();
        Location location = details.location();
        return new IntegrationEvent(SCHEMA, event.eventId(), type, event.at(), event.actor(), task.id(),
                task.kind().name(), task.status().code(), fhirStatus(task.status()), task.priority().code(),
                task.fyi(), location == null ? null : location.wardId(), location == null ? null : location.bed(),
                details.type(), task.target().type().name(), task.target().id(), task.requester(), task.owner(),
                task.level(), task.version());
    }

    /** The record for {@code event}, with {@code task} the task after it (null when the command found no task). */
    public static IntegrationEvent of(TaskEvent event, TaskState task) {
        return of(event.getClass().getSimpleName(), new EventHead(event.eventId(), event.taskId(), event.actor(),
                event.at()), task);
    }

    /** The FHIR R4 Task.status for a task's status (requested while it is being offered). */
    static String fhirStatus(TaskStatus status) {
        return switch (status) {
            case REQUESTED, OFFERED -> "requested";
            case ACCEPTED -> "accepted";
            case IN_PROGRESS -> "in-progress";
            case COMPLETED -> "completed";
            case CANCELLED -> "cancelled";
            case FAILED -> "failed";
        };
    }
}
