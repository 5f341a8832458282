package org.pagerless.task.model;

import java.util.function.Supplier;

import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.AcknowledgeBroadcast;
import org.pagerless.task.model.TaskCommand.AddHandoverNote;
import org.pagerless.task.model.TaskCommand.CancelTask;
import org.pagerless.task.model.TaskCommand.CompleteTask;
import org.pagerless.task.model.TaskCommand.DeclineTask;
import org.pagerless.task.model.TaskCommand.EscalateNow;
import org.pagerless.task.model.TaskCommand.EscalationDue;
import org.pagerless.task.model.TaskCommand.HandBackTask;
import org.pagerless.task.model.TaskCommand.HandOverTask;
import org.pagerless.task.model.TaskCommand.PassUp;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskCommand.RealertMissing;
import org.pagerless.task.model.TaskCommand.ReassignTask;
import org.pagerless.task.model.TaskCommand.RelocateTask;
import org.pagerless.task.model.TaskCommand.StartTask;
import org.pagerless.task.model.TaskEvent.Rejection;

/**
 * {@link Task#decide}'s dispatch: one method per command, so a new command does not compile until it is decided here.
 * Each says what must hold of the task before its decision is taken: a raise needs no task yet; commands from the
 * system (a timer, a handover, a transfer) are ignored when there is no task; a person's command needs an open task,
 * and, but for cancelling, acknowledging and re-alerting, one that is not a broadcast.
 */
final class Decider implements TaskCommand.Handler<Decision> {
    private final Task task;
    private final OfferContext context;
    private final Events events;

    Decider(Task task, OfferContext context, Events events) {
        this.task = task;
        this.context = context;
        this.events = events;
    }

    @Override
    public Decision raise(RaiseTask command) {
        return task == null ? Offering.raise(command, context, events)
                : events.reject(task, Rejection.ALREADY_RAISED, "this task has already been raised", null);
    }

    @Override
    public Decision timerDue(EscalationDue command) {
        return task == null ? events.decision(null) : Escalating.timerExpired(task, command, context, events);
    }

    @Override
    public Decision handOver(HandOverTask command) {
        return task == null ? events.decision(null) : Handing.handOver(task, command, context, events);
    }

    @Override
    public Decision relocate(RelocateTask command) {
        return task == null ? events.decision(null) : Working.relocate(task, command, context, events);
    }

    @Override
    public Decision acknowledge(AcknowledgeBroadcast command) {
        return open(() -> Broadcasting.acknowledge(task, command, events));
    }

    @Override
    public Decision realert(RealertMissing command) {
        return open(() -> Broadcasting.realert(task, command, events));
    }

    @Override
    public Decision cancel(CancelTask command) {
        return open(() -> Working.cancel(task, command, events));
    }

    @Override
    public Decision reassign(ReassignTask command) {
        return openNotBroadcast(() -> Offering.reassign(task, command, context, events));
    }

    @Override
    public Decision escalateNow(EscalateNow command) {
        return openNotBroadcast(() -> Escalating.escalateNow(task, command, context, events));
    }

    @Override
    public Decision passUp(PassUp command) {
        return openNotBroadcast(() -> Escalating.passUp(task, command, context, events));
    }

    @Override
    public Decision accept(AcceptTask command) {
        return openNotBroadcast(() -> Offering.accept(task, command, events));
    }

    @Override
    public Decision decline(DeclineTask command) {
        return openNotBroadcast(() -> Offering.decline(task, command, context, events));
    }

    @Override
    public Decision start(StartTask command) {
        return openNotBroadcast(() -> Working.start(task, command, events));
    }

    @Override
    public Decision complete(CompleteTask command) {
        return openNotBroadcast(() -> Working.complete(task, command, events));
    }

    @Override
    public Decision handBack(HandBackTask command) {
        return openNotBroadcast(() -> Handing.handBack(task, command, context, events));
    }

    @Override
    public Decision addHandoverNote(AddHandoverNote command) {
        return openNotBroadcast(() -> Working.addHandoverNote(task, command, events));
    }

    /** A person's command: there must be such a task, and it must still be open. */
    private Decision open(Supplier<Decision> decision) {
        if (task == null) {
            return events.reject(null, Rejection.UNKNOWN_TASK, "no such task", null);
        }
        if (!task.status().isOpen()) {
            return events.reject(task, Rejection.TASK_CLOSED, "the task is already " + task.status().code(),
                    task.owner());
        }
        return decision.get();
    }

    /** As {@link #open}, and a broadcast is only acknowledged, re-alerted or cancelled. */
    private Decision openNotBroadcast(Supplier<Decision> decision) {
        return open(() -> task.kind() == TaskKind.BROADCAST
                ? events.reject(task, Rejection.WRONG_STATE, "a broadcast is acknowledged, not accepted", null)
                : decision.get());
    }
}
