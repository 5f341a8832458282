package org.pagerless.task.model;

import java.time.Instant;

/**
 * Who accepted the task and when, and whether they are late: {@code overdue} is set while the owner is late to start
 * or to complete it. {@link #NONE} until someone accepts, and again once the task is handed on.
 */
public record Ownership(String owner, Instant acceptedAt, TimerKind overdue) {
    /** Nobody has the task. */
    public static final Ownership NONE = new Ownership(null, null, null);

    static Ownership acceptedBy(String staffId, Instant at) {
        return new Ownership(staffId, at, null);
    }

    public boolean isOwner(String staffId) {
        return staffId.equals(owner);
    }

    /** The owner is late: to start ({@link TimerKind#NOT_STARTED}) or to complete it. */
    Ownership late(TimerKind kind) {
        return new Ownership(owner, acceptedAt, kind);
    }

    /** No longer late: started, completed, cancelled. */
    Ownership onTime() {
        return late(null);
    }
}
