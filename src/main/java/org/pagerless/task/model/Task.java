package org.pagerless.task.model;

import static org.pagerless.task.model.TaskEvent.AlertReason.ALL_DECLINED;
import static org.pagerless.task.model.TaskEvent.AlertReason.NO_HOLDER;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.CancelTask;
import org.pagerless.task.model.TaskCommand.CompleteTask;
import org.pagerless.task.model.TaskCommand.DeclineTask;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskCommand.StartTask;
import org.pagerless.task.model.TaskEvent.CommandRejected;
import org.pagerless.task.model.TaskEvent.Rejection;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskAccepted;
import org.pagerless.task.model.TaskEvent.TaskCancelled;
import org.pagerless.task.model.TaskEvent.TaskCompleted;
import org.pagerless.task.model.TaskEvent.TaskDeclined;
import org.pagerless.task.model.TaskEvent.TaskOffered;
import org.pagerless.task.model.TaskEvent.TaskRaised;
import org.pagerless.task.model.TaskEvent.TaskStarted;

/**
 * The task aggregate: one bleep, task or broadcast and everything decided about it so far.
 * Immutable; {@link #decide} is the only way to change it and is a pure function of its inputs.
 */
public record Task(UUID id, TaskKind kind, Priority priority, boolean fyi, TaskStatus status, Target target,
                   TaskDetails details, String requester, Instant raisedAt, int level, List<String> offeredTo,
                   List<String> declinedBy, String owner, Instant acceptedAt, Instant updatedAt, long version) {

    public Task {
        offeredTo = List.copyOf(offeredTo);
        declinedBy = List.copyOf(declinedBy);
    }

    /** What the rota says at the moment of deciding: who holds the task's target now. */
    public record OfferContext(List<String> holders) {
        public static final OfferContext NONE = new OfferContext(List.of());

        public OfferContext {
            holders = List.copyOf(holders);
        }
    }

    /** The outcome of one command: the new state (null if there is still no task) and what happened. */
    public record Decision(Task task, List<TaskEvent> events) {
        public Decision {
            events = List.copyOf(events);
        }

        public boolean rejected() {
            return events.size() == 1 && events.get(0) instanceof CommandRejected;
        }
    }

    /**
     * Decides what {@code command} does to {@code current} (null when no such task exists yet) at {@code now}.
     * Illegal commands are not errors: they yield a single {@link CommandRejected} event and leave the task as it was.
     */
    public static Decision decide(Task current, TaskCommand command, OfferContext context, Instant now) {
        Events events = new Events(command, now);
        if (command instanceof RaiseTask raise) {
            return current == null
                    ? raise(raise, context, events)
                    : events.reject(current, Rejection.ALREADY_RAISED, "this task has already been raised", null);
        }
        if (current == null) {
            return events.reject(null, Rejection.UNKNOWN_TASK, "no such task", null);
        }
        if (!current.status.isOpen()) {
            return events.reject(current, Rejection.TASK_CLOSED, "the task is already " + current.status.code(),
                    current.owner);
        }
        if (command instanceof AcceptTask accept) {
            return current.accept(accept, events);
        }
        if (command instanceof DeclineTask decline) {
            return current.decline(decline, events);
        }
        if (command instanceof StartTask start) {
            return current.start(start, events);
        }
        if (command instanceof CompleteTask complete) {
            return current.complete(complete, events);
        }
        return current.cancel((CancelTask) command, events);
    }

    private static Decision raise(RaiseTask cmd, OfferContext context, Events events) {
        Instant now = events.now;
        Task task = new Task(cmd.taskId(), cmd.kind(), cmd.priority(), cmd.fyi(), TaskStatus.REQUESTED, cmd.target(),
                cmd.details(), cmd.actor(), now, 0, List.of(), List.of(), null, null, now, 0);
        events.add(new TaskRaised(events.nextId(), task.id, cmd.commandId(), cmd.actor(), now, cmd.kind(),
                cmd.priority(), cmd.fyi(), cmd.target(), cmd.details()));
        if (context.holders().isEmpty()) {
            // Nobody holds the role right now: the task waits, and a human is told at once.
            events.add(new SwitchboardAlerted(events.nextId(), task.id, cmd.commandId(), cmd.actor(), now, NO_HOLDER,
                    cmd.target()));
            return events.decision(task);
        }
        Task offered = task.with(TaskStatus.OFFERED, 1, context.holders(), List.of(), null, null, now);
        events.add(new TaskOffered(events.nextId(), task.id, cmd.commandId(), cmd.actor(), now, 1,
                context.holders()));
        return events.decision(offered);
    }

    private Decision accept(AcceptTask cmd, Events events) {
        if (owner != null) {
            return events.reject(this, Rejection.ALREADY_TAKEN, "already accepted by " + owner, owner);
        }
        if (!offeredTo.contains(cmd.actor())) {
            return events.reject(this, Rejection.NOT_OFFERED, "this task is not offered to you", null);
        }
        Task accepted = with(TaskStatus.ACCEPTED, level, List.of(), declinedBy, cmd.actor(), events.now, events.now);
        events.add(new TaskAccepted(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, cmd.actor()));
        return events.decision(accepted);
    }

    private Decision decline(DeclineTask cmd, Events events) {
        if (owner != null) {
            return events.reject(this, Rejection.ALREADY_TAKEN, "already accepted by " + owner, owner);
        }
        if (!offeredTo.contains(cmd.actor())) {
            return events.reject(this, Rejection.NOT_OFFERED, "this task is not offered to you", null);
        }
        List<String> stillOffered = new ArrayList<>(offeredTo);
        stillOffered.remove(cmd.actor());
        List<String> declined = new ArrayList<>(declinedBy);
        declined.add(cmd.actor());
        events.add(new TaskDeclined(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, cmd.reason()));
        if (stillOffered.isEmpty()) {
            // Everyone offered has said no: back to requested, and a human must find someone.
            events.add(new SwitchboardAlerted(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now,
                    ALL_DECLINED, target));
            return events.decision(with(TaskStatus.REQUESTED, level, stillOffered, declined, null, null, events.now));
        }
        return events.decision(with(status, level, stillOffered, declined, null, null, events.now));
    }

    private Decision start(StartTask cmd, Events events) {
        if (!cmd.actor().equals(owner)) {
            return events.reject(this, Rejection.NOT_OWNER, "only the owner can start this task", owner);
        }
        if (status != TaskStatus.ACCEPTED) {
            return events.reject(this, Rejection.WRONG_STATE, "the task is " + status.code(), owner);
        }
        events.add(new TaskStarted(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now));
        return events.decision(with(TaskStatus.IN_PROGRESS, level, offeredTo, declinedBy, owner, acceptedAt,
                events.now));
    }

    private Decision complete(CompleteTask cmd, Events events) {
        if (!cmd.actor().equals(owner)) {
            return events.reject(this, Rejection.NOT_OWNER, "only the owner can complete this task", owner);
        }
        events.add(new TaskCompleted(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, cmd.note()));
        return events.decision(with(TaskStatus.COMPLETED, level, offeredTo, declinedBy, owner, acceptedAt,
                events.now));
    }

    private Decision cancel(CancelTask cmd, Events events) {
        if (!cmd.supervisor() && !cmd.actor().equals(requester)) {
            return events.reject(this, Rejection.NOT_REQUESTER, "only the requester or a supervisor can cancel",
                    owner);
        }
        events.add(new TaskCancelled(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, cmd.reason()));
        return events.decision(with(TaskStatus.CANCELLED, level, List.of(), declinedBy, owner, acceptedAt,
                events.now));
    }

    private Task with(TaskStatus newStatus, int newLevel, List<String> newOfferedTo, List<String> newDeclinedBy,
                      String newOwner, Instant newAcceptedAt, Instant now) {
        return new Task(id, kind, priority, fyi, newStatus, target, details, requester, raisedAt, newLevel,
                newOfferedTo, newDeclinedBy, newOwner, newAcceptedAt, now, version + 1);
    }

    /** Collects a decision's events, giving each an id derived from the command id and its position. */
    private static final class Events {
        private final TaskCommand command;
        private final Instant now;
        private final List<TaskEvent> list = new ArrayList<>();

        Events(TaskCommand command, Instant now) {
            this.command = command;
            this.now = now;
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
}
