package org.pagerless.task.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The one deadline an open task is waiting on. {@code fence} is the task version that armed it: a timer
 * command carrying any other fence is stale (the task has moved on) and is ignored.
 */
public record TaskTimer(TimerKind kind, Instant dueAt, long fence) {
    public TaskTimer {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dueAt, "dueAt");
    }
}
