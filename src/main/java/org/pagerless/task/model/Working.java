package org.pagerless.task.model;

import java.util.List;

import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.HandoverNote;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.AddHandoverNote;
import org.pagerless.task.model.TaskCommand.CancelTask;
import org.pagerless.task.model.TaskCommand.CompleteTask;
import org.pagerless.task.model.TaskCommand.RelocateTask;
import org.pagerless.task.model.TaskCommand.StartTask;
import org.pagerless.task.model.TaskEvent.HandoverNoteAdded;
import org.pagerless.task.model.TaskEvent.Rejection;
import org.pagerless.task.model.TaskEvent.TaskCancelled;
import org.pagerless.task.model.TaskEvent.TaskCompleted;
import org.pagerless.task.model.TaskEvent.TaskRelocated;
import org.pagerless.task.model.TaskEvent.TaskStarted;

/** The work itself: the owner starts and completes it, anyone with it leaves a note, it is cancelled or moved. */
final class Working {
    private Working() {
    }

    /** The owner has started: no longer late to start, and a task with a chain now waits to be completed. */
    static Decision start(Task task, StartTask cmd, Events events) {
        if (!task.ownership().isOwner(cmd.actor())) {
            return events.reject(task, Rejection.NOT_OWNER, "only the owner can start this task", task.owner());
        }
        if (task.status() != TaskStatus.ACCEPTED) {
            return events.reject(task, Rejection.WRONG_STATE, "the task is " + task.status().code(), task.owner());
        }
        events.add(new TaskStarted(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now));
        TaskTimer toComplete = task.timer(task.escalates() ? TimerKind.NOT_COMPLETED : null, task.completeWithin(),
                events.now);
        return events.decision(task.withStatus(TaskStatus.IN_PROGRESS).withOwnership(task.ownership().onTime())
                .withEscalation(task.escalation().waiting(toComplete)).next(events.now));
    }

    static Decision complete(Task task, CompleteTask cmd, Events events) {
        if (!task.ownership().isOwner(cmd.actor())) {
            return events.reject(task, Rejection.NOT_OWNER, "only the owner can complete this task", task.owner());
        }
        events.add(new TaskCompleted(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now,
                cmd.note()));
        return events.decision(task.withStatus(TaskStatus.COMPLETED).withOwnership(task.ownership().onTime())
                .withEscalation(task.escalation().waiting(null)).next(events.now));
    }

    /** The requester, or a supervisor, says it is no longer needed: offered to nobody, waiting on nothing. */
    static Decision cancel(Task task, CancelTask cmd, Events events) {
        if (!cmd.supervisor() && !cmd.actor().equals(task.requester())) {
            return events.reject(task, Rejection.NOT_REQUESTER, "only the requester or a supervisor can cancel",
                    task.owner());
        }
        events.add(new TaskCancelled(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now,
                cmd.reason()));
        return events.decision(task.withStatus(TaskStatus.CANCELLED).withOffer(task.offer().withdrawn())
                .withOwnership(task.ownership().onTime()).withEscalation(task.escalation().waiting(null))
                .next(events.now));
    }

    /** The owner, or someone it is offered to, leaves a note for whoever takes over; it replaces any earlier one. */
    static Decision addHandoverNote(Task task, AddHandoverNote cmd, Events events) {
        boolean mayWrite = task.ownership().isOwner(cmd.actor())
                || (task.owner() == null && task.offer().includes(cmd.actor()));
        if (!mayWrite) {
            return events.reject(task, Rejection.NOT_OWNER, "only the owner can leave a handover note", task.owner());
        }
        events.add(new HandoverNoteAdded(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now,
                cmd.note()));
        return events.decision(task.withHandoverNote(new HandoverNote(cmd.note(), cmd.actor(), events.now))
                .next(events.now));
    }

    /**
     * The patient moved: the task's location becomes {@code cmd.to()}; the owner and the new ward's nurse in charge
     * (the context's) are told. Who it is offered to or owned by does not change: the new ward's nurse in charge
     * sees it and may reassign it. A closed task, or one already there, is left alone: no change, no event.
     */
    static Decision relocate(Task task, RelocateTask cmd, OfferContext context, Events events) {
        TaskDetails details = task.details();
        Location from = details.location();
        if (!task.status().isOpen() || cmd.to() == null || cmd.to().equals(from)) {
            return events.decision(task);
        }
        List<String> told = task.owner() == null ? context.nurseInCharge()
                : People.union(List.of(task.owner()), context.nurseInCharge());
        events.add(new TaskRelocated(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now, from,
                cmd.to(), told));
        TaskDetails moved = new TaskDetails(details.callback(), details.message(), details.patient(), cmd.to(),
                details.type(), details.detail(), details.news2(), details.messageNamesPatient());
        return events.decision(task.withDetails(moved).next(events.now));
    }
}
