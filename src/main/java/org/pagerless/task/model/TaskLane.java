package org.pagerless.task.model;

import java.util.UUID;

/**
 * Which queue a task's commands wait in. A stat task has a lane of its own, so a backlog of routine work (a major
 * incident, a region's peak) never holds up a stat bleep, its accept or its escalation (ADR 0099).
 * <p>
 * The lane is chosen once, when the task is raised, and is written into the task's id: a stat task's id is a UUID of
 * version 8 (RFC 9562's version for an application's own layout), every other task's the version 3 or 4 id it always
 * had. So whoever sends a command for a task finds its lane from the id alone, without asking anyone, and all of a
 * task's commands go to one partition of one topic: the single writer per task holds across lanes.
 */
public enum TaskLane {
    ROUTINE, STAT;

    private static final long VERSION_BITS = 0xF000L;
    private static final long VERSION_8 = 0x8000L;

    /** The lane a task raised at {@code priority} takes: stat alone has its own. */
    public static TaskLane of(Priority priority) {
        return priority == Priority.STAT ? STAT : ROUTINE;
    }

    /** The lane of the task with this id. */
    public static TaskLane of(UUID taskId) {
        return taskId.version() == 8 ? STAT : ROUTINE;
    }

    /**
     * The id of a task in this lane, made from the id it would otherwise have ({@code base}, version 3 or 4): the same
     * {@code base} always gives the same id, so a retried request still raises its task once.
     */
    public UUID taskId(UUID base) {
        return this == STAT ? new UUID((base.getMostSignificantBits() & ~VERSION_BITS) | VERSION_8,
                base.getLeastSignificantBits()) : base;
    }
}
