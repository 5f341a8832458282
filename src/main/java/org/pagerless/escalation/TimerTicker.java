package org.pagerless.escalation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.pagerless.escalation.TimerStore.DueTimer;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskCommand.EscalationDue;

/**
 * One claimant of due timers (in the application its sink is {@code CommandGateway#submitAll}). Any
 * number may run at once, on one pod or many: each tick claims due rows with
 * {@code FOR UPDATE SKIP LOCKED}, so a row is held by one claimant only; publishes an
 * {@link EscalationDue} per row and waits for the broker's acknowledgement; then deletes the rows and
 * commits. If anything fails before the commit the rows stay and the next tick fires them again; the
 * command id is derived from task and fence, so the processor applies a re-published one only once.
 */
public final class TimerTicker {

    /** Where fired timers go: returns once the broker has every command, throws if any was not taken. */
    @FunctionalInterface
    public interface CommandSink {
        void submitAll(List<TaskCommand> commands);
    }

    private final DataSource dataSource;
    private final TimerStore store;
    private final CommandSink gateway;
    private final InstantSource clock;
    private final int batchSize;
    private final Consumer<Duration> lateness;

    /** {@code lateness} hears, for each fired timer, how long after its due time the broker had the command. */
    public TimerTicker(DataSource dataSource, TimerStore store, CommandSink gateway, InstantSource clock,
                       int batchSize, Consumer<Duration> lateness) {
        this.dataSource = dataSource;
        this.store = store;
        this.gateway = gateway;
        this.clock = clock;
        this.batchSize = batchSize;
        this.lateness = lateness;
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * Fires up to one batch of due timers; returns how many. Throws when the database or the broker is
     * unavailable, in which case nothing was deleted and the timers fire on a later tick.
     */
    public int tick() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // Due-ness is judged by the application clock, the same clock that set due_at (ADR 0005).
                List<DueTimer> due = store.claimDue(c, clock.instant(), batchSize);
                if (due.isEmpty()) {
                    c.commit();
                    return 0;
                }
                List<TaskCommand> commands = due.stream()
                        .map(t -> (TaskCommand) EscalationDue.of(t.taskId(), t.kind(), t.fence())).toList();
                gateway.submitAll(commands);
                Instant fired = clock.instant();
                store.delete(c, due);
                c.commit();
                due.forEach(t -> lateness.accept(Duration.between(t.dueAt(), fired)));
                return due.size();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    /** How long until the earliest timer falls due by the application clock (zero or negative if one is due). */
    public Optional<Duration> untilNextDue() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store.nextDue(c).map(next -> Duration.between(clock.instant(), next));
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the transaction dies with it
        }
    }
}
