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
     * What one tick did: timers fired, timers due at or before {@code claimedAt} (application clock) were looked for,
     * and when the earliest timer left falls due (known when the batch was short), as read at {@code asOf}.
     */
    public record Tick(int fired, Instant claimedAt, Optional<Instant> nextDue, Instant asOf) {
    }

    /**
     * Fires up to one batch of due timers; returns how many. Throws when the database or the broker is
     * unavailable, in which case nothing was deleted and the timers fire on a later tick.
     */
    public int tick() {
        return fire(false).fired();
    }

    /**
     * Fires up to one batch of due timers and, when the batch was short (nothing more is due), reads when the earliest
     * remaining timer falls due in the same transaction: an idle tick is one round of statements and one commit.
     */
    public Tick tickAndNext() {
        return fire(true);
    }

    private Tick fire(boolean next) {
        Instant[] fired = new Instant[1];
        Instant claimedAt = clock.instant();
        Claimed claimed = jdbc.transaction(c -> {
            // Due-ness is judged by the application clock, the same clock that set due_at (ADR 0005).
            List<DueTimer> due = store.claimDue(c, claimedAt, batchSize);
            if (!due.isEmpty()) {
                gateway.submitAll(due.stream()
                        .map(t -> (TaskCommand) EscalationDue.of(t.taskId(), t.kind(), t.fence())).toList());
                fired[0] = clock.instant();
                store.delete(c, due);
            }
            return new Claimed(due, next && due.size() < batchSize ? store.nextDue(c) : Optional.empty());
        });
        claimed.due().forEach(t -> lateness.accept(Duration.between(t.dueAt(), fired[0])));
        return new Tick(claimed.due().size(), claimedAt, claimed.nextDue(), clock.instant());
    }

    private record Claimed(List<DueTimer> due, Optional<Instant> nextDue) {
    }

    /** How long until the earliest timer falls due by the application clock (zero or negative if one is due). */
    public Optional<Duration> untilNextDue() {
        return jdbc.transaction(c -> {
            return store.nextDue(c).map(next -> Duration.between(clock.instant(), next));
        });
    }
}
