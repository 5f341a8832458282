package org.pagerless.task.model;

import static org.pagerless.task.model.TaskEvent.AlertReason.ALL_DECLINED;
import static org.pagerless.task.model.TaskEvent.AlertReason.NO_HOLDER;

import java.time.Instant;
import java.util.List;

import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.DeclineTask;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskCommand.ReassignTask;
import org.pagerless.task.model.TaskEvent.EscalationReason;
import org.pagerless.task.model.TaskEvent.Rejection;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskAccepted;
import org.pagerless.task.model.TaskEvent.TaskDeclined;
import org.pagerless.task.model.TaskEvent.TaskOffered;
import org.pagerless.task.model.TaskEvent.TaskRaised;
import org.pagerless.task.model.TaskEvent.TaskReassigned;

/** Raising a task and offering it: to whom, who accepts it (first wins), who declines, and reassigning it. */
final class Offering {
    private Offering() {
    }

    /**
     * A new task: with a chain, its first step is entered at once; without, it is offered to whoever holds its
     * addressee now, or waits (requested) with switchboard told when nobody does. Fyi tasks and broadcasts keep no
     * chain.
     */
    static Decision raise(RaiseTask cmd, OfferContext context, Events events) {
        Instant now = events.now;
        Task task = Task.raised(cmd, cmd.fyi() || cmd.kind() == TaskKind.BROADCAST ? null : context.policy(), now);
        events.add(new TaskRaised(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), now, cmd.kind(),
                cmd.priority(), cmd.fyi(), cmd.target(), cmd.details()));
        if (task.escalates()) {
            return Escalating.escalate(task, 1, EscalationReason.NO_HOLDER, List.of(), List.of(), List.of(), context,
                    events);
        }
        if (context.holders().isEmpty()) {
            // Nobody holds the role right now: the task waits, and a human is told at once.
            events.add(new SwitchboardAlerted(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), now, NO_HOLDER,
                    cmd.target()));
            return events.decision(task);
        }
        Task offered = task.withStatus(TaskStatus.OFFERED).withOffer(Offer.to(context.holders()))
                .withEscalation(task.escalation().withLevel(1)).next(now);
        events.add(new TaskOffered(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), now, 1,
                context.holders()));
        return events.decision(offered);
    }

    /** Someone offered it takes it on: first accept wins, and a task with a chain now waits to be started. */
    static Decision accept(Task task, AcceptTask cmd, Events events) {
        if (task.owner() != null) {
            return events.reject(task, Rejection.ALREADY_TAKEN, "already accepted by " + task.owner(), task.owner());
        }
        if (!task.offer().includes(cmd.actor())) {
            return events.reject(task, Rejection.NOT_OFFERED, "this task is not offered to you", null);
        }
        TaskTimer toStart = task.timer(task.escalates() ? TimerKind.NOT_STARTED : null, task.startWithin(), events.now);
        Task accepted = task.withStatus(TaskStatus.ACCEPTED).withOffer(task.offer().withdrawn())
                .withOwnership(Ownership.acceptedBy(cmd.actor(), events.now))
                .withEscalation(task.escalation().waiting(toStart)).next(events.now);
        events.add(new TaskAccepted(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now, cmd.actor()));
        return events.decision(accepted);
    }

    /**
     * Someone offered it says no. The others keep it; when the last one offered declines, a task with a chain moves to
     * its next step at once, and one without goes back to requested with switchboard told.
     */
    static Decision decline(Task task, DeclineTask cmd, OfferContext context, Events events) {
        if (task.owner() != null) {
            return events.reject(task, Rejection.ALREADY_TAKEN, "already accepted by " + task.owner(), task.owner());
        }
        if (!task.offer().includes(cmd.actor())) {
            return events.reject(task, Rejection.NOT_OFFERED, "this task is not offered to you", null);
        }
        Offer after = task.offer().declined(cmd.actor());
        events.add(new TaskDeclined(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now,
                cmd.reason()));
        if (after.offeredTo().isEmpty() && task.escalates()) {
            // The last one offered has said no: waiting out the timer would only waste the time left. Move on now.
            return Escalating.escalate(task, task.level() + 1, EscalationReason.ALL_DECLINED, List.of(),
                    after.declinedBy(), after.declinedBy(), context, events);
        }
        if (after.offeredTo().isEmpty()) {
            // No chain to follow: back to requested, and a human must find someone.
            events.add(new SwitchboardAlerted(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now,
                    ALL_DECLINED, task.target()));
            return events.decision(task.withStatus(TaskStatus.REQUESTED).withOffer(after).next(events.now));
        }
        return events.decision(task.withOffer(after).next(events.now));
    }

    /**
     * A supervisor gives the task to another role or person: offered now to whoever holds it (the context's
     * holders); those offered it before, and any owner, lose it. A task with a chain keeps its step and waits
     * the step's time again for an accept.
     */
    static Decision reassign(Task task, ReassignTask cmd, OfferContext context, Events events) {
        if (!cmd.supervisor()) {
            return events.reject(task, Rejection.NOT_REQUESTER, "only a supervisor can reassign a task", task.owner());
        }
        if (context.holders().isEmpty()) {
            return events.reject(task, Rejection.WRONG_STATE, "nobody holds that role now", null);
        }
        if (cmd.to().equals(task.target()) && task.owner() == null && task.offeredTo().equals(context.holders())) {
            return events.reject(task, Rejection.WRONG_STATE, "the task is already offered there", null);
        }
        events.add(new TaskReassigned(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now,
                task.target(), cmd.to(), context.holders(), task.owner()));
        // The new addressee's own chain when the context carries one: escalation then follows the new target
        // (step 1 is whoever was just offered it), never the old target's chain.
        boolean newChain = task.escalates() && context.policy() != null;
        EscalationPolicy chain = newChain ? context.policy() : task.policy();
        int step = newChain ? 1 : Math.max(task.level(), 1);
        Task moved = task.withTarget(cmd.to()).withStatus(TaskStatus.OFFERED).withOffer(Offer.to(context.holders()))
                .withOwnership(Ownership.NONE).withEscalation(task.escalation().following(chain).atStep(step));
        return events.decision(moved.withEscalation(moved.escalation().waiting(moved.acceptTimer(step, events.now)))
                .next(events.now));
    }
}
