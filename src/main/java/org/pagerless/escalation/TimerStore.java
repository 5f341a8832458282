package org.pagerless.escalation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.pagerless.platform.Jdbc;
import org.pagerless.task.TimerRows;
import org.pagerless.task.model.TaskTimer;
import org.pagerless.task.model.TimerKind;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code timer} table: one row per task that is waiting on a deadline. Written by the task processor
 * inside its own transaction (so a timer exists exactly when the committed task state says so); claimed
 * and deleted by the ticker. All methods run on the caller's connection and transaction.
 */
@ApplicationScoped
public class TimerStore implements TimerRows {

    /** A claimed row: the timer as it was armed. */
    public record DueTimer(UUID taskId, TimerKind kind, Instant dueAt, long fence) {
    }

    /** Told the earliest due time of the timers each {@link #write} arms (this pod's ticker: {@link TimerModule#armed}). */
    private volatile Consumer<Instant> armed = due -> { };

    /** Who hears of timers armed on this pod (before their transaction commits). */
    public void onArmed(Consumer<Instant> listener) {
        this.armed = listener;
    }

    @Override
    public void write(Connection c, Map<UUID, TaskTimer> timers) throws SQLException {
        if (timers.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement("""
                insert into timer (task_id, kind, due_at, fence) values (?, ?, ?, ?)
                on conflict (task_id) do update set kind = excluded.kind, due_at = excluded.due_at,
                    fence = excluded.fence
                """);
             PreparedStatement delete = c.prepareStatement("delete from timer where task_id = ?")) {
            for (Map.Entry<UUID, TaskTimer> e : timers.entrySet()) {
                TaskTimer t = e.getValue();
                if (t == null) {
                    delete.setObject(1, e.getKey());
                    delete.addBatch();
                } else {
                    upsert.setObject(1, e.getKey());
                    upsert.setString(2, t.kind().name());
                    upsert.setObject(3, Jdbc.utc(t.dueAt()));
                    upsert.setLong(4, t.fence());
                    upsert.addBatch();
                }
            }
            upsert.executeBatch();
            delete.executeBatch();
        }
        timers.values().stream().filter(Objects::nonNull).map(TaskTimer::dueAt).min(Instant::compareTo)
                .ifPresent(armed);
    }

    /**
     * What is left after a claim at {@code claimedAt}: the earliest timer of all ({@code earliest}: at or before the
     * claim only if a claimant holds it, this one's batches awaiting the broker included) and the earliest due after
     * the claim ({@code next}).
     */
    public record Upcoming(Optional<Instant> earliest, Optional<Instant> next) {
        /** A timer due by {@code claimedAt} is still there: another claimant (or a batch in flight) holds it. */
        public boolean held(Instant claimedAt) {
            return earliest.filter(e -> !e.isAfter(claimedAt)).isPresent();
        }
    }

    /** The timers a claim took (deleted in its transaction) and what it left. */
    public record Claim(List<DueTimer> due, Upcoming upcoming) {
    }

    /**
     * Takes up to {@code limit} timers due at or before {@code now} (the application clock, not the database's),
     * earliest first, and deletes them in the caller's transaction: they are gone once it commits, and back (never
     * having left) if it rolls back. Rows another claimant holds are skipped, never waited for. One statement, which
     * also reads what is left ({@link Upcoming}: two index lookups, in the snapshot before the delete).
     * <p>
     * The statement also makes the caller's transaction commit without waiting for the disk
     * ({@code synchronous_commit = off} for this transaction only, ADR 0077): a commit lost in a database crash puts the
     * fired timers back, and firing them again is applied once (the command id is the task and fence, ADR 0005).
     */
    public Claim claimDue(Connection c, Instant now, int limit) throws SQLException {
        List<DueTimer> due = new ArrayList<>();
        Upcoming upcoming = null;
        try (PreparedStatement ps = c.prepareStatement("""
                with claimed as (
                    delete from timer where task_id in (
                        select task_id from timer where due_at <= ? order by due_at limit ? for update skip locked)
                    returning task_id, kind, due_at, fence)
                select task_id, kind, due_at, fence, null::timestamptz, null::timestamptz from claimed
                union all
                select null, null, null, null, (select min(due_at) from timer),
                    (select min(due_at) from timer where due_at > ?)
                where set_config('synchronous_commit', 'off', true) is not null
                """)) {
            OffsetDateTime at = Jdbc.utc(now);
            ps.setObject(1, at);
            ps.setInt(2, limit);
            ps.setObject(3, at);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID task = rs.getObject(1, UUID.class);
                    if (task == null) {
                        upcoming = new Upcoming(instant(rs, 5), instant(rs, 6));
                    } else {
                        due.add(new DueTimer(task, TimerKind.valueOf(rs.getString(2)),
                                rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getLong(4)));
                    }
                }
            }
        }
        due.sort(Comparator.comparing(DueTimer::dueAt));
        return new Claim(due, upcoming);
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

}
