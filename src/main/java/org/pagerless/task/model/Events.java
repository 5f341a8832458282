package org.pagerless.task.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.TaskEvent.CommandRejected;
import org.pagerless.task.model.TaskEvent.Rejection;

/** Collects one decision's events, giving each an id derived from the command id and its position. */
final class Events {
    private final TaskCommand command;
    final Instant now;
    private final List<TaskEvent> list = new ArrayList<>();

    Events(TaskCommand command, Instant now) {
        this.command = command;
        this.now = now;
    }

    UUID commandId() {
        return command.commandId();
    }

    String actor() {
        return command.actor();
    }

    UUID nextId() {
        String seed = command.commandId() + "/" + list.size();
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
    }

    void add(TaskEvent event) {
        list.add(event);
    }

    Decision decision(Task task) {
        return new Decision(task, list);
    }

    Decision reject(Task unchanged, Rejection rejection, String detail, String owner) {
        list.add(new CommandRejected(nextId(), command.taskId(), command.commandId(), command.actor(), now,
                rejection, detail, owner));
        return new Decision(unchanged, list);
    }
}
