package org.pagerless.escalation;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.pagerless.platform.Jdbc;

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

    private final Jdbc jdbc;
    private final TimerStore store;
    private final CommandSink gateway;
    private final InstantSource clock;
    private final int batchSize;
    private final Consumer<Duration> lateness;

    /** {@code lateness} hears, for each fired timer, how long after its due time the broker had the command. */
    public TimerTicker(Jdbc jdbc, TimerStore store, CommandSink gateway, InstantSource clock,
                       int batchSize, Consumer<Duration> lateness) {
        this.jdbc = jdbc;
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
    public int tick() {
        Instant[] fired = new Instant[1];
        List<DueTimer> due = jdbc.transaction(c -> {
            // Due-ness is judged by the application clock, the same clock that set due_at (ADR 0005).
            List<DueTimer> claimed = store.claimDue(c, clock.instant(), batchSize);
            if (!claimed.isEmpty()) {
                gateway.submitAll(claimed.stream()
                        .map(t -> (TaskCommand) EscalationDue.of(t.taskId(), t.kind(), t.fence())).toList());
                fired[0] = clock.instant();
                store.delete(c, claimed);
            }
            return claimed;
        });
        due.forEach(t -> lateness.accept(Duration.between(t.dueAt(), fired[0])));
        return due.size();
    }

    /** How long until the earliest timer falls due by the application clock (zero or negative if one is due). */
    public Optional<Duration> untilNextDue() {
        return jdbc.transaction(c -> {
            return store.nextDue(c).map(next -> Duration.between(clock.instant(), next));
        });
    }
}
