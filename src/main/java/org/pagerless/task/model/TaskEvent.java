package org.pagerless.task.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Something that happened to a task. Event ids are derived from the command id and the event's
 * position in the decision, so re-applying a command yields the same ids.
 */
public sealed interface TaskEvent {
    UUID eventId();

    UUID taskId();

    UUID commandId();

    String actor();

    Instant at();

    /** The task entered the system. */
    record TaskRaised(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, TaskKind kind,
                      Priority priority, boolean fyi, Target target, TaskDetails details) implements TaskEvent {
    }

    /** The task was offered to these people, at this escalation level. */
    record TaskOffered(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, int level,
                       List<String> offeredTo) implements TaskEvent {
    }

    /** A human must step in: nobody holds the role, or everyone offered declined. Never silent. */
    record SwitchboardAlerted(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at,
                              AlertReason reason, Target target) implements TaskEvent {
    }

    record TaskAccepted(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, String owner)
            implements TaskEvent {
    }

    record TaskDeclined(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, String reason)
            implements TaskEvent {
    }

    record TaskStarted(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at) implements TaskEvent {
    }

    record TaskCompleted(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, String note)
            implements TaskEvent {
    }

    record TaskCancelled(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, String reason)
            implements TaskEvent {
    }

    /** The command was refused; the task is unchanged. {@code owner} is set when someone else has it. */
    record CommandRejected(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at,
                           Rejection rejection, String detail, String owner) implements TaskEvent {
    }

    enum AlertReason { NO_HOLDER, ALL_DECLINED }

    enum Rejection { UNKNOWN_TASK, ALREADY_RAISED, ALREADY_TAKEN, NOT_OFFERED, NOT_OWNER, NOT_REQUESTER, TASK_CLOSED, WRONG_STATE }
}
