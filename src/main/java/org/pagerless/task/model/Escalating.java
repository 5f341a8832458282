package org.pagerless.task.model;

import static org.pagerless.task.model.TaskEvent.AlertReason.CHAIN_EXHAUSTED;
import static org.pagerless.task.model.TaskEvent.AlertReason.NO_HOLDER;

import java.time.Duration;
import java.util.List;

import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.DeclineTask;
import org.pagerless.task.model.TaskCommand.EscalateNow;
import org.pagerless.task.model.TaskCommand.EscalationDue;
import org.pagerless.task.model.TaskCommand.PassUp;
import org.pagerless.task.model.TaskEvent.EscalationReason;
import org.pagerless.task.model.TaskEvent.NurseInChargeAlerted;
import org.pagerless.task.model.TaskEvent.Rejection;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskDeclined;
import org.pagerless.task.model.TaskEvent.TaskEscalated;
import org.pagerless.task.model.TaskEvent.TaskFailed;
import org.pagerless.task.model.TaskEvent.TaskOffered;
import org.pagerless.task.model.TaskEvent.TaskOverdue;

/**
 * Following the chain: a timer that expires (not accepted, started or completed in time), escalating by hand or
 * passing up, entering a step (widening the offer, alerting switchboard for a step that reaches nobody) and failing,
 * loudly, past the last.
 */
final class Escalating {
    private Escalating() {
    }

    /** A timer went off. Only the timer the task is waiting on counts: anything else is stale and ignored. */
    static Decision timerExpired(Task task, EscalationDue due, OfferContext context, Events events) {
        TaskTimer timer = task.timer();
        if (!task.status().isOpen() || timer == null || timer.fence() != due.fence() || timer.kind() != due.kind()) {
            return events.decision(task);
        }
        if (timer.kind() == TimerKind.ACK_TIMEOUT) {
            return notAcceptedInTime(task, context, events);
        }
        return overdue(task, context, events);
    }

    /** Nobody accepted within the step's timeout: offer the same step again while it has repeats left, else move on. */
    private static Decision notAcceptedInTime(Task task, OfferContext context, Events events) {
        int level = task.level();
        EscalationStep step = task.policy().step(level);
        if (task.escalation().round() < step.repeat()) {
            // The rota is read again: whoever holds the step's roles now is offered it too.
            List<String> offered = People.union(task.offeredTo(),
                    People.minus(context.step(level).holders(), task.offer().declinedBy()));
            if (!offered.isEmpty()) {
                events.add(new TaskOffered(events.nextId(), task.id(), events.commandId(), events.actor(), events.now,
                        level, offered, task.escalation().round() + 1));
                TaskTimer again = task.timer(TimerKind.ACK_TIMEOUT, step.acceptWithin().of(task.priority()), events.now);
                return events.decision(task.withOffer(task.offer().withOfferedTo(offered))
                        .withEscalation(task.escalation().repeated().waiting(again)).next(events.now));
            }
        }
        return escalate(task, level + 1, EscalationReason.NOT_ACCEPTED_IN_TIME, task.offeredTo(),
                task.offer().declinedBy(), task.offeredTo(), context, events);
    }

    /** A supervisor moves an unaccepted task on to the next step of its chain at once; the step's people keep it too. */
    static Decision escalateNow(Task task, EscalateNow cmd, OfferContext context, Events events) {
        if (!cmd.supervisor()) {
            return events.reject(task, Rejection.NOT_REQUESTER, "only a supervisor can escalate a task", task.owner());
        }
        if (task.owner() != null) {
            return events.reject(task, Rejection.ALREADY_TAKEN, "already accepted by " + task.owner(), task.owner());
        }
        if (!task.escalates()) {
            return events.reject(task, Rejection.WRONG_STATE, "this task has no escalation chain", null);
        }
        EscalationPolicy policy = task.policy();
        if (task.level() >= policy.lastLevel()) {
            return events.reject(task, Rejection.WRONG_STATE, "the task is already at the last step of its chain",
                    null);
        }
        // Straight to the next step that reaches someone new: a step whose people all have it already (or said no)
        // would change nothing but the number.
        List<String> notNew = People.union(task.offeredTo(), task.offer().declinedBy());
        int to = task.level() + 1;
        while (to <= policy.lastLevel() && !context.step(to).holders().isEmpty()
                && People.minus(context.step(to).holders(), notNew).isEmpty()) {
            to++;
        }
        if (to > policy.lastLevel()) {
            return events.reject(task, Rejection.WRONG_STATE,
                    "everyone further up the chain has been offered it already", null);
        }
        return escalate(task, to, EscalationReason.ESCALATED_BY_HAND, task.offeredTo(), task.offer().declinedBy(),
                task.offeredTo(), context, events);
    }

    /**
     * Someone offered it declines and sends it up the chain now: the next step is entered at once (those still
     * offered keep it). At the last step, or with no chain, it is an ordinary decline.
     */
    static Decision passUp(Task task, PassUp cmd, OfferContext context, Events events) {
        if (!task.escalates() || task.level() >= task.policy().lastLevel() || task.owner() != null
                || !task.offer().includes(cmd.actor())) {
            return Offering.decline(task, new DeclineTask(cmd.commandId(), cmd.taskId(), cmd.actor(), cmd.reason()),
                    context, events);
        }
        Offer after = task.offer().declined(cmd.actor());
        events.add(new TaskDeclined(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now,
                cmd.reason()));
        return escalate(task, task.level() + 1, EscalationReason.PASSED_UP, after.offeredTo(), after.declinedBy(),
                task.offeredTo(), context, events);
    }

    /**
     * Enters step {@code toLevel} of the chain; a step that reaches nobody (vacant roles, or only people who
     * already declined) alerts switchboard and the chain goes straight on to the next. Past the last step
     * the task fails, loudly. Everyone still offered keeps the offer: escalation widens, it never takes
     * the task away from someone who might yet accept.
     */
    static Decision escalate(Task task, int toLevel, EscalationReason reason, List<String> stillOffered,
                             List<String> declined, List<String> tried, OfferContext context, Events events) {
        EscalationPolicy policy = task.policy();
        int from = task.level();
        EscalationReason why = reason;
        List<String> triedHere = tried;
        for (int at = toLevel; at <= policy.lastLevel(); at++) {
            ResolvedStep step = context.step(at);
            if (from > 0) {
                events.add(new TaskEscalated(events.nextId(), task.id(), events.commandId(), events.actor(),
                        events.now, from, at, step.name(), why, triedHere));
            }
            boolean alerted = false;
            for (Reached reached : step.reached()) {
                StepTarget.Kind kind = reached.target().kind();
                if (reached.isVacantRole() && (kind == StepTarget.Kind.ADDRESSEE || kind == StepTarget.Kind.ROLE)) {
                    events.add(new SwitchboardAlerted(events.nextId(), task.id(), events.commandId(), events.actor(),
                            events.now, NO_HOLDER, Target.role(reached.roleId()), at, context.switchboard()));
                    alerted = true;
                }
            }
            // Not back to whoever raised it (they are asking for help, not offering it), unless the step reaches
            // nobody else: then they are offered it rather than the task failing for want of anyone.
            List<String> reachable = People.minus(step.holders(), declined);
            List<String> others = People.minus(reachable, List.of(task.requester()));
            List<String> fresh = others.isEmpty() ? reachable : others;
            if (!fresh.isEmpty()) {
                List<String> offered = People.union(stillOffered, fresh);
                events.add(new TaskOffered(events.nextId(), task.id(), events.commandId(), events.actor(), events.now,
                        at, offered, 0));
                TaskTimer toAccept = task.timer(TimerKind.ACK_TIMEOUT, policy.step(at).acceptWithin()
                        .of(task.priority()), events.now);
                return events.decision(task.withStatus(TaskStatus.OFFERED).withOffer(new Offer(offered, declined))
                        .withEscalation(task.escalation().atStep(at).waiting(toAccept)).next(events.now));
            }
            if (!alerted) {
                Target vacant = step.reached().stream().filter(Reached::isVacantRole).findFirst()
                        .map(r -> Target.role(r.roleId())).orElse(task.target());
                events.add(new SwitchboardAlerted(events.nextId(), task.id(), events.commandId(), events.actor(),
                        events.now, NO_HOLDER, vacant, at, context.switchboard()));
            }
            from = at;
            why = step.holders().isEmpty() ? EscalationReason.NO_HOLDER : EscalationReason.ALL_DECLINED;
            triedHere = List.of();
        }
        return fail(task, from, why, declined, context, events);
    }

    /** The chain is exhausted: the task fails, and switchboard and the ward's nurse in charge are told. Never silent. */
    private static Decision fail(Task task, int lastLevel, EscalationReason reason, List<String> declined,
                                 OfferContext context, Events events) {
        events.add(new TaskFailed(events.nextId(), task.id(), events.commandId(), events.actor(), events.now,
                lastLevel, reason));
        events.add(new SwitchboardAlerted(events.nextId(), task.id(), events.commandId(), events.actor(), events.now,
                CHAIN_EXHAUSTED, task.target(), lastLevel, context.switchboard()));
        String wardId = task.details().wardId();
        if (wardId != null) {
            events.add(new NurseInChargeAlerted(events.nextId(), task.id(), events.commandId(), events.actor(),
                    events.now, CHAIN_EXHAUSTED, wardId, context.nurseInCharge()));
        }
        return events.decision(task.withStatus(TaskStatus.FAILED).withOffer(new Offer(List.of(), declined))
                .withEscalation(task.escalation().withLevel(Math.max(lastLevel, 1)).waiting(null)).next(events.now));
    }

    /**
     * Accepted but not started, or started but not completed, in time: remind the owner, show the nurse in charge,
     * and keep reminding.
     */
    private static Decision overdue(Task task, OfferContext context, Events events) {
        TaskTimer timer = task.timer();
        TimerKind kind = timer.kind();
        Duration again = kind == TimerKind.NOT_STARTED ? task.startWithin() : task.completeWithin();
        List<String> told = People.union(List.of(task.owner()), context.nurseInCharge());
        events.add(new TaskOverdue(events.nextId(), task.id(), events.commandId(), events.actor(), events.now, kind,
                task.owner(), timer.dueAt(), told));
        return events.decision(task.withOwnership(task.ownership().late(kind))
                .withEscalation(task.escalation().waiting(task.timer(kind, again, events.now))).next(events.now));
    }
}
