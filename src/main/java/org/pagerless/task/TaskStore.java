package org.pagerless.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.pagerless.platform.Jdbc;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Task state, the append-only event log and the applied-command register, in PostgreSQL. */
@ApplicationScoped
public class TaskStore {

    @Inject
    TaskCodec codec;

    /**
     * The current state of these tasks, their rows locked until the transaction ends (in id order, so two writers
     * never deadlock): the partition's owner is the only writer, and the lock keeps it so while a partition changes
     * hands, since a second writer waits and then reads the state the first committed.
     */
    public Map<UUID, Task> load(Connection c, Collection<UUID> ids) throws SQLException {
        Map<UUID, Task> tasks = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select state from task where id = any(?) order by id for update")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Task task = codec.task(rs.getString(1));
                    tasks.put(task.id(), task);
                }
            }
        }
        return tasks;
    }

    /** Which of these commands have already been applied. */
    public Set<UUID> applied(Connection c, Collection<UUID> commandIds) throws SQLException {
        Set<UUID> applied = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select command_id from processed_command where command_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", commandIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    applied.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return applied;
    }

    /** The events an already-applied command produced, in order. */
    public List<TaskEvent> eventsOf(Connection c, UUID commandId) throws SQLException {
        List<TaskEvent> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select payload from task_event where command_id = ? order by seq")) {
            ps.setObject(1, commandId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(codec.event(rs.getString(1)));
                }
            }
        }
        return events;
    }

    /**
     * Writes one batch: new task states, their events, and the commands that produced them. {@code encoded} is the
     * batch's JSON, shared with the records it publishes.
     */
    public void save(Connection c, Collection<Task> tasks, List<TaskEvent> events, List<TaskCommand> commands,
                     TaskCodec.Batch encoded) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into task (id, kind, priority, status, fyi, ward_id, target_type, target_id, requester, owner,
                                  offered_to, raised_at, updated_at, version, state)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                on conflict (id) do update set status = excluded.status, owner = excluded.owner, ward_id = excluded.ward_id,
                    target_type = excluded.target_type, target_id = excluded.target_id, offered_to = excluded.offered_to, updated_at = excluded.updated_at,
                    version = excluded.version, state = excluded.state
                """)) {
            for (Task t : tasks) {
                ps.setObject(1, t.id());
                ps.setString(2, t.kind().name());
                ps.setString(3, t.priority().name());
                ps.setString(4, t.status().name());
                ps.setBoolean(5, t.fyi());
                ps.setString(6, t.details().wardId());
                ps.setString(7, t.target().type().name());
                ps.setString(8, t.target().id());
                ps.setString(9, t.requester());
                ps.setString(10, t.owner());
                ps.setArray(11, c.createArrayOf("text", t.offeredTo().toArray()));
                ps.setObject(12, Jdbc.utc(t.raisedAt()));
                ps.setObject(13, Jdbc.utc(t.updatedAt()));
                ps.setLong(14, t.version());
                ps.setString(15, encoded.task(t));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into task_event (event_id, task_id, command_id, type, actor, at, payload)
                values (?, ?, ?, ?, ?, ?, ?::jsonb)
                """)) {
            for (TaskEvent e : events) {
                ps.setObject(1, e.eventId());
                ps.setObject(2, e.taskId());
                ps.setObject(3, e.commandId());
                ps.setString(4, e.getClass().getSimpleName());
                ps.setString(5, e.actor());
                ps.setObject(6, Jdbc.utc(e.at()));
                ps.setString(7, encoded.event(e));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into processed_command (command_id, task_id) values (?, ?)")) {
            for (TaskCommand command : commands) {
                ps.setObject(1, command.commandId());
                ps.setObject(2, command.taskId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

}
