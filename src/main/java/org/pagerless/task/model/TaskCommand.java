package org.pagerless.task.model;

import java.util.UUID;

/**
 * An instruction to change one task. Every command carries its own id: applying the same id
 * twice changes nothing. {@code actor} is the staff id of whoever (or whichever system) issued it.
 */
public sealed interface TaskCommand {
    UUID commandId();

    UUID taskId();

    String actor();

    /** Raise a new task or bleep addressed to {@code target}. */
    record RaiseTask(UUID commandId, UUID taskId, String actor, TaskKind kind, Priority priority, boolean fyi,
                     Target target, TaskDetails details) implements TaskCommand {
    }

    /** A holder takes the task on: first accept wins. */
    record AcceptTask(UUID commandId, UUID taskId, String actor) implements TaskCommand {
    }

    /** A holder says they cannot take it, and why. */
    record DeclineTask(UUID commandId, UUID taskId, String actor, String reason) implements TaskCommand {
    }

    /** The owner has started the work. */
    record StartTask(UUID commandId, UUID taskId, String actor) implements TaskCommand {
    }

    /** The owner has finished the work. */
    record CompleteTask(UUID commandId, UUID taskId, String actor, String note) implements TaskCommand {
    }

    /**
     * The task is no longer needed. {@code supervisor} is true when the actor may cancel any task
     * (switchboard, nurse-in-charge, coordinator, admin); otherwise only the requester may.
     */
    record CancelTask(UUID commandId, UUID taskId, String actor, String reason, boolean supervisor)
            implements TaskCommand {
    }
}
