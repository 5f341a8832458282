package org.pagerless.task.model;

import static org.pagerless.task.model.TaskEvent.AlertReason.ALL_DECLINED;
import static org.pagerless.task.model.TaskEvent.AlertReason.NO_HOLDER;

import java.util.List;

import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.HandoverNote;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.HandBackTask;
import org.pagerless.task.model.TaskCommand.HandOverTask;
import org.pagerless.task.model.TaskEvent.EscalationReason;
import org.pagerless.task.model.TaskEvent.Rejection;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskHandedBack;
import org.pagerless.task.model.TaskEvent.TaskHandedOver;
import org.pagerless.task.model.TaskEvent.TaskOffered;

/** Handing a task on: over to whoever holds the role now at shift change, or back by its owner. */
final class Handing {
    private Handing() {
    }

    /**
     * The rota changed and {@code cmd.from()} no longer holds the task's role: whoever holds it now (the context's
     * holders, other than the one leaving and anyone who declined) is offered the task in their place, with the
     * owner's note or the generated one, and a full step's time to accept. An owned task goes back to being offered.
     * Nobody to hand it to: switchboard is alerted and the chain moves on at once. A handover that no
     * longer applies (the task moved on, closed, or was never theirs) is ignored: no change, no event.
     */
    static Decision handOver(Task task, HandOverTask cmd, OfferContext context, Events events) {
        boolean owns = cmd.from().equals(task.owner());
        boolean offered = task.owner() == null && task.offer().includes(cmd.from());
        Target target = task.target();
        if (!task.status().isOpen() || task.kind() == TaskKind.BROADCAST || target.type() != Target.Type.ROLE
                || !target.id().equals(cmd.role()) || (!owns && !offered)) {
            return events.decision(task);
        }
        List<String> incoming = People.minus(People.minus(context.holders(), List.of(cmd.from())),
                task.offer().declinedBy());
        int step = Math.max(task.level(), 1);
        if (incoming.isEmpty()) {
            return handedOverToNobody(task, cmd, owns, step, context, events);
        }
        // Their own note if they wrote one; otherwise the generated one ("shift ended 08:00, handed over from ...").
        HandoverNote own = task.handoverNote();
        String note = own != null && own.by().equals(cmd.from()) ? own.text() : cmd.note();
        List<String> nowOffered = owns ? incoming
                : People.union(People.minus(task.offeredTo(), List.of(cmd.from())), incoming);
        events.add(new TaskHandedOver(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now, cmd.from(),
                incoming, cmd.role(), note, cmd.shiftEnded()));
        return events.decision(task.withStatus(TaskStatus.OFFERED).withOffer(task.offer().withOfferedTo(nowOffered))
                .withOwnership(Ownership.NONE)
                .withEscalation(task.escalation().atStep(step).waiting(task.acceptTimer(step, events.now)))
                .withHandoverNote(new HandoverNote(note, cmd.actor(), events.now)).next(events.now));
    }

    /**
     * Nobody holds the role now: as for a step that reaches nobody, switchboard is alerted and the chain moves on at
     * once (no chain: back to requested, waiting for a human). The one who went off duty keeps nothing.
     */
    private static Decision handedOverToNobody(Task task, HandOverTask cmd, boolean owns, int step,
                                               OfferContext context, Events events) {
        events.add(new SwitchboardAlerted(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now,
                NO_HOLDER, task.target(), step, context.switchboard()));
        List<String> stillOffered = owns ? List.of() : People.minus(task.offeredTo(), List.of(cmd.from()));
        Task released = task.withOwnership(Ownership.NONE).withOffer(task.offer().withOfferedTo(stillOffered));
        if (!stillOffered.isEmpty()) {
            // Others further up the chain are offered it already: they keep it, and its timer runs on.
            return events.decision(released.next(events.now));
        }
        Task waiting = released.withEscalation(task.escalation().waiting(null));
        if (task.escalates()) {
            return Escalating.escalate(waiting.withStatus(TaskStatus.OFFERED).next(events.now), task.level() + 1,
                    EscalationReason.NO_HOLDER, List.of(), task.offer().declinedBy(), List.of(cmd.from()), context,
                    events);
        }
        return events.decision(waiting.withStatus(TaskStatus.REQUESTED).next(events.now));
    }

    /**
     * The owner gives the task back, and it goes where the chain says: back to everyone the chain had reached when it
     * was accepted (steps 1 to the task's step, resolved now: the role's other holders and, for a task that had moved
     * up, the people of that step, e.g. the registrar) other than the owner, anyone who declined and whoever raised
     * it; with nobody left there, the next step of the chain at once; no chain → back to requested, switchboard
     * alerted. The {@link TaskOffered} or {@code TaskEscalated} that follows says where it went.
     */
    static Decision handBack(Task task, HandBackTask cmd, OfferContext context, Events events) {
        if (!task.ownership().isOwner(cmd.actor())) {
            return events.reject(task, Rejection.NOT_OWNER, "only the owner can hand this task back", task.owner());
        }
        List<String> declined = People.union(task.offer().declinedBy(), List.of(cmd.actor()));
        events.add(new TaskHandedBack(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now,
                cmd.reason()));
        List<String> others = People.minus(People.minus(reachedUpTo(task, task.level(), context), declined),
                List.of(task.requester()));
        int step = Math.max(task.level(), 1);
        Task released = task.withStatus(TaskStatus.OFFERED).withOwnership(Ownership.NONE)
                .withOffer(task.offer().withDeclinedBy(declined))
                .withEscalation(task.escalation().atStep(task.level()));
        if (!others.isEmpty()) {
            events.add(new TaskOffered(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now, step,
                    others, 0));
            return events.decision(released.withOffer(released.offer().withOfferedTo(others))
                    .withEscalation(released.escalation().atStep(step).waiting(task.acceptTimer(step, events.now)))
                    .next(events.now));
        }
        Task nobody = released.withOffer(released.offer().withdrawn())
                .withEscalation(released.escalation().waiting(null));
        if (task.escalates()) {
            return Escalating.escalate(nobody.next(events.now), task.level() + 1, EscalationReason.HANDED_BACK,
                    List.of(), declined, List.of(cmd.actor()), context, events);
        }
        events.add(new SwitchboardAlerted(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now,
                ALL_DECLINED, task.target()));
        return events.decision(nobody.withStatus(TaskStatus.REQUESTED).next(events.now));
    }

    /**
     * Everyone the task was offered to up to step {@code upTo} of its chain, resolved now: the addressee's holders,
     * then each step's people in order (escalation widens, so all of them had it). Without a chain, the addressee's.
     */
    private static List<String> reachedUpTo(Task task, int upTo, OfferContext context) {
        List<String> reached = context.holders();
        if (task.escalates()) {
            for (int at = 1; at <= Math.min(upTo, task.policy().lastLevel()); at++) {
                reached = People.union(reached, context.step(at).holders());
            }
        }
        return reached;
    }
}
