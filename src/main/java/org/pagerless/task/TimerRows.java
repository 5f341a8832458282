package org.pagerless.task;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import org.pagerless.task.model.TaskTimer;

/**
 * Where the task processor keeps each task's timer, on its own connection and inside its own transaction, so a timer
 * row exists exactly when the committed task is waiting on one (ADR 0005). Escalation owns the table and its ticker
 * ({@code escalation.TimerStore}).
 */
public interface TimerRows {

    /** Makes the rows match the tasks' timers: a null timer deletes the task's row, any other replaces it. */
    void write(Connection c, Map<UUID, TaskTimer> timers) throws SQLException;
}
