package org.pagerless.task.model;

import static org.pagerless.task.model.TaskEvent.AlertReason.ALL_DECLINED;
import static org.pagerless.task.model.TaskEvent.AlertReason.CHAIN_EXHAUSTED;
import static org.pagerless.task.model.TaskEvent.AlertReason.NO_HOLDER;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.AddHandoverNote;
import org.pagerless.task.model.TaskCommand.HandBackTask;
import org.pagerless.task.model.TaskCommand.HandOverTask;
import org.pagerless.task.model.TaskCommand.AcknowledgeBroadcast;
import org.pagerless.task.model.TaskCommand.RealertMissing;
import org.pagerless.task.model.TaskCommand.ReassignTask;
import org.pagerless.task.model.TaskCommand.CancelTask;
import org.pagerless.task.model.TaskCommand.CompleteTask;
import org.pagerless.task.model.TaskCommand.DeclineTask;
import org.pagerless.task.model.TaskCommand.EscalateNow;
import org.pagerless.task.model.TaskCommand.PassUp;
import org.pagerless.task.model.TaskCommand.EscalationDue;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskCommand.RelocateTask;
import org.pagerless.task.model.TaskCommand.StartTask;
import org.pagerless.task.model.TaskEvent.BroadcastAcknowledged;
import org.pagerless.task.model.TaskEvent.BroadcastRealerted;
import org.pagerless.task.model.TaskEvent.CommandRejected;
import org.pagerless.task.model.TaskEvent.EscalationReason;
import org.pagerless.task.model.TaskEvent.HandoverNoteAdded;
import org.pagerless.task.model.TaskEvent.NurseInChargeAlerted;
import org.pagerless.task.model.TaskEvent.Rejection;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskAccepted;
import org.pagerless.task.model.TaskEvent.TaskCancelled;
import org.pagerless.task.model.TaskEvent.TaskCompleted;
import org.pagerless.task.model.TaskEvent.TaskDeclined;
import org.pagerless.task.model.TaskEvent.TaskEscalated;
import org.pagerless.task.model.TaskEvent.TaskFailed;
import org.pagerless.task.model.TaskEvent.TaskHandedBack;
import org.pagerless.task.model.TaskEvent.TaskHandedOver;
import org.pagerless.task.model.TaskEvent.TaskOffered;
import org.pagerless.task.model.TaskEvent.TaskOverdue;
import org.pagerless.task.model.TaskEvent.TaskRaised;
import org.pagerless.task.model.TaskEvent.TaskReassigned;
import org.pagerless.task.model.TaskEvent.TaskRelocated;
import org.pagerless.task.model.TaskEvent.TaskStarted;

/**
 * The task aggregate: one bleep, task or broadcast and everything decided about it so far.
 * Immutable; {@link #decide} is the only way to change it and is a pure function of its inputs.
 *
 * <p>Escalation: {@code policy} is the chain snapshotted when the task was raised ({@code null} for fyi
 * tasks, which never escalate, and for tasks raised before chains existed). {@code level} is the step
 * the task is at (1-based), {@code round} how many times that step has been offered again, and
 * {@code timer} the one deadline the task waits on; its {@code fence} lets a stale timer be ignored.
 * {@code overdue} is set while an owner is late to start or complete. {@code handoverNote} is the note for whoever
 * takes the task over at shift change: the outgoing holder's own, or else the generated one the handover carried.
 */
public record Task(UUID id, TaskKind kind, Priority priority, boolean fyi, TaskStatus status, Target target,
                   TaskDetails details, String requester, Instant raisedAt, int level, List<String> offeredTo,
                   List<String> declinedBy, String owner, Instant acceptedAt, Instant updatedAt, long version,
                   EscalationPolicy policy, int round, TaskTimer timer, TimerKind overdue,
                   List<Acknowledgement> acknowledged, Instant alertedAt, HandoverNote handoverNote) {

    public Task {
        offeredTo = List.copyOf(offeredTo);
        declinedBy = List.copyOf(declinedBy);
        acknowledged = acknowledged == null ? List.of() : List.copyOf(acknowledged);
    }

    /**
     * A note for whoever takes the task over at shift change: written by {@code by} (the owner, or someone offered
     * it), or the note the last handover carried ({@code by} is then the handover's actor). Shown with the task.
     */
    public record HandoverNote(String text, String by, Instant at) {
    }

    /** One member of a broadcast's team who has acknowledged it, and when. */
    public record Acknowledgement(String staffId, Instant at) {
    }

    /**
     * A broadcast's roll-call: everyone it was offered to (the team's holders), who has acknowledged and
     * when, and who has not yet, with when they were last alerted.
     */
    public record RollCall(List<Acknowledgement> acknowledged, List<String> missing, Instant lastAlertedAt) {
        public RollCall {
            acknowledged = List.copyOf(acknowledged);
            missing = List.copyOf(missing);
        }
    }

    /** The roll-call of a broadcast; null for any other kind of task. */
    public RollCall rollCall() {
        if (kind != TaskKind.BROADCAST) {
            return null;
        }
        List<String> done = acknowledged.stream().map(Acknowledgement::staffId).toList();
        return new RollCall(acknowledged, minus(offeredTo, done), alertedAt == null ? raisedAt : alertedAt);
    }

    private boolean hasAcknowledged(String staffId) {
        return acknowledged.stream().anyMatch(a -> a.staffId().equals(staffId));
    }

    /** Whether this task follows an escalation chain: it has one and is not fyi. */
    public boolean escalates() {
        return policy != null && !fyi;
    }

    /**
     * What the rota says at the moment of deciding. {@code holders}: who holds the task's addressee now
     * (all a task without a chain needs). For a task with a chain: {@code policy}, the chain to snapshot
     * when raising; {@code steps}, every step of the task's chain resolved now (step n at index n-1);
     * {@code nurseInCharge} and {@code switchboard}, who holds those duties for the task now.
     */
    public record OfferContext(List<String> holders, EscalationPolicy policy, List<ResolvedStep> steps,
                               List<String> nurseInCharge, List<String> switchboard) {
        public static final OfferContext NONE = new OfferContext(List.of());

        public OfferContext {
            holders = List.copyOf(holders);
            steps = List.copyOf(steps);
            nurseInCharge = List.copyOf(nurseInCharge);
            switchboard = List.copyOf(switchboard);
        }

        /** The context of a task without a chain: just who holds its addressee now. */
        public OfferContext(List<String> holders) {
            this(holders, null, List.of(), List.of(), List.of());
        }

        ResolvedStep step(int level) {
            if (level < 1 || level > steps.size()) {
                // A context that does not cover the chain is a caller bug: failing the task on it would be wrong.
                throw new IllegalStateException("the offer context does not resolve step " + level);
            }
            return steps.get(level - 1);
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

        /** The command changed nothing and said nothing, e.g. a stale timer. */
        public boolean ignored() {
            return events.isEmpty();
        }
    }

    /**
     * Decides what {@code command} does to {@code current} (null when no such task exists yet) at {@code now}.
     * Illegal commands are not errors: they yield a single {@link CommandRejected} event and leave the task as it was.
     * A timer command whose fence no longer matches the task's timer is ignored: no change, no event.
     */
    public static Decision decide(Task current, TaskCommand command, OfferContext context, Instant now) {
        Events events = new Events(command, now);
        if (command instanceof RaiseTask raise) {
            return current == null
                    ? raise(raise, context, events)
                    : events.reject(current, Rejection.ALREADY_RAISED, "this task has already been raised", null);
        }
        if (command instanceof EscalationDue due) {
            return current == null ? events.decision(null) : current.timerExpired(due, context, events);
        }
        if (command instanceof HandOverTask handOver) {
            return current == null ? events.decision(null) : current.handOver(handOver, context, events);
        }
        if (command instanceof RelocateTask relocate) {
            return current == null ? events.decision(null) : current.relocate(relocate, context, events);
        }
        if (current == null) {
            return events.reject(null, Rejection.UNKNOWN_TASK, "no such task", null);
        }
        if (!current.status.isOpen()) {
            return events.reject(current, Rejection.TASK_CLOSED, "the task is already " + current.status.code(),
                    current.owner);
        }
        if (command instanceof AcknowledgeBroadcast acknowledge) {
            return current.acknowledge(acknowledge, events);
        }
        if (command instanceof RealertMissing realert) {
            return current.realert(realert, events);
        }
        if (current.kind == TaskKind.BROADCAST && !(command instanceof CancelTask)) {
            return events.reject(current, Rejection.WRONG_STATE, "a broadcast is acknowledged, not accepted", null);
        }
        if (command instanceof ReassignTask reassign) {
            return current.reassign(reassign, context, events);
        }
        if (command instanceof EscalateNow escalateNow) {
            return current.escalateNow(escalateNow, context, events);
        }
        if (command instanceof PassUp passUp) {
            return current.passUp(passUp, context, events);
        }
        if (command instanceof AcceptTask accept) {
            return current.accept(accept, events);
        }
        if (command instanceof DeclineTask decline) {
            return current.decline(decline, context, events);
        }
        if (command instanceof StartTask start) {
            return current.start(start, events);
        }
        if (command instanceof CompleteTask complete) {
            return current.complete(complete, events);
        }
        if (command instanceof HandBackTask handBack) {
            return current.handBack(handBack, context, events);
        }
        if (command instanceof AddHandoverNote note) {
            return current.addHandoverNote(note, events);
        }
        return current.cancel((CancelTask) command, events);
    }

    private static Decision raise(RaiseTask cmd, OfferContext context, Events events) {
        Instant now = events.now;
        Task task = new Task(cmd.taskId(), cmd.kind(), cmd.priority(), cmd.fyi(), TaskStatus.REQUESTED, cmd.target(),
                cmd.details(), cmd.actor(), now, 0, List.of(), List.of(), null, null, now, 0,
                cmd.fyi() || cmd.kind() == TaskKind.BROADCAST ? null : context.policy(), 0, null, null,
                List.of(), null, null);
        events.add(new TaskRaised(events.nextId(), task.id, cmd.commandId(), cmd.actor(), now, cmd.kind(),
                cmd.priority(), cmd.fyi(), cmd.target(), cmd.details()));
        if (task.escalates()) {
            return task.escalate(1, EscalationReason.NO_HOLDER, List.of(), List.of(), List.of(), context, events);
        }
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

    /**
     * A team member answers a broadcast's roll-call. Many acknowledge (it is not first-wins); only those it was
     * offered to may; acknowledging again changes nothing and says nothing.
     */
    private Decision acknowledge(AcknowledgeBroadcast cmd, Events events) {
        if (kind != TaskKind.BROADCAST) {
            return events.reject(this, Rejection.WRONG_STATE, "only a broadcast is acknowledged", owner);
        }
        if (!offeredTo.contains(cmd.actor())) {
            return events.reject(this, Rejection.NOT_OFFERED, "this broadcast was not sent to you", null);
        }
        if (hasAcknowledged(cmd.actor())) {
            return events.decision(this);
        }
        List<Acknowledgement> acks = new ArrayList<>(acknowledged);
        acks.add(new Acknowledgement(cmd.actor(), events.now));
        events.add(new BroadcastAcknowledged(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now));
        return events.decision(draft().acknowledged(acks).build(events.now));
    }

    /** Switchboard alerts again every member who has not acknowledged yet. */
    private Decision realert(RealertMissing cmd, Events events) {
        if (kind != TaskKind.BROADCAST) {
            return events.reject(this, Rejection.WRONG_STATE, "only a broadcast can be re-alerted", owner);
        }
        if (!cmd.supervisor()) {
            return events.reject(this, Rejection.NOT_REQUESTER, "only switchboard or a supervisor can re-alert", null);
        }
        List<String> missing = rollCall().missing();
        if (missing.isEmpty()) {
            return events.reject(this, Rejection.WRONG_STATE, "everyone has acknowledged", null);
        }
        events.add(new BroadcastRealerted(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, missing));
        return events.decision(draft().alertedAt(events.now).build(events.now));
    }

    /**
     * A supervisor gives the task to another role or person: offered now to whoever holds it (the context's
     * holders); those offered it before, and any owner, lose it. A task with a chain keeps its step and waits
     * the step's time again for an accept.
     */
    private Decision reassign(ReassignTask cmd, OfferContext context, Events events) {
        if (!cmd.supervisor()) {
            return events.reject(this, Rejection.NOT_REQUESTER, "only a supervisor can reassign a task", owner);
        }
        if (context.holders().isEmpty()) {
            return events.reject(this, Rejection.WRONG_STATE, "nobody holds that role now", null);
        }
        if (cmd.to().equals(target) && owner == null && offeredTo.equals(context.holders())) {
            return events.reject(this, Rejection.WRONG_STATE, "the task is already offered there", null);
        }
        events.add(new TaskReassigned(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, target, cmd.to(),
                context.holders(), owner));
        // The new addressee's own chain when the context carries one: escalation then follows the new target
        // (step 1 is whoever was just offered it), never the old target's chain.
        boolean newChain = escalates() && context.policy() != null;
        EscalationPolicy chain = newChain ? context.policy() : policy;
        int step = newChain ? 1 : Math.max(level, 1);
        Draft draft = draft().target(cmd.to()).policy(chain).status(TaskStatus.OFFERED).level(step)
                .offeredTo(context.holders()).declinedBy(List.of()).owner(null).acceptedAt(null).overdue(null).round(0);
        draft = escalates() ? draft.timer(TimerKind.ACK_TIMEOUT, chain.step(Math.min(step, chain.lastLevel()))
                .acceptWithin().of(priority), events.now) : draft.noTimer();
        return events.decision(draft.build(events.now));
    }

    /** A supervisor moves an unaccepted task on to the next step of its chain at once; the step's people keep it too. */
    private Decision escalateNow(EscalateNow cmd, OfferContext context, Events events) {
        if (!cmd.supervisor()) {
            return events.reject(this, Rejection.NOT_REQUESTER, "only a supervisor can escalate a task", owner);
        }
        if (owner != null) {
            return events.reject(this, Rejection.ALREADY_TAKEN, "already accepted by " + owner, owner);
        }
        if (!escalates()) {
            return events.reject(this, Rejection.WRONG_STATE, "this task has no escalation chain", null);
        }
        if (level >= policy.lastLevel()) {
            return events.reject(this, Rejection.WRONG_STATE, "the task is already at the last step of its chain", null);
        }
        // Straight to the next step that reaches someone new: a step whose people all have it already (or said no)
        // would change nothing but the number.
        List<String> notNew = union(offeredTo, declinedBy);
        int to = level + 1;
        while (to <= policy.lastLevel() && !context.step(to).holders().isEmpty()
                && minus(context.step(to).holders(), notNew).isEmpty()) {
            to++;
        }
        if (to > policy.lastLevel()) {
            return events.reject(this, Rejection.WRONG_STATE,
                    "everyone further up the chain has been offered it already", null);
        }
        return escalate(to, EscalationReason.ESCALATED_BY_HAND, offeredTo, declinedBy, offeredTo, context, events);
    }

    /**
     * Someone offered it declines and sends it up the chain now: the next step is entered at once (those still
     * offered keep it). At the last step, or with no chain, it is an ordinary decline.
     */
    private Decision passUp(PassUp cmd, OfferContext context, Events events) {
        if (!escalates() || level >= policy.lastLevel() || owner != null || !offeredTo.contains(cmd.actor())) {
            return decline(new DeclineTask(cmd.commandId(), cmd.taskId(), cmd.actor(), cmd.reason()), context, events);
        }
        List<String> stillOffered = new ArrayList<>(offeredTo);
        stillOffered.remove(cmd.actor());
        List<String> declined = new ArrayList<>(declinedBy);
        declined.add(cmd.actor());
        events.add(new TaskDeclined(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, cmd.reason()));
        return escalate(level + 1, EscalationReason.PASSED_UP, stillOffered, declined, offeredTo, context, events);
    }

    private Decision accept(AcceptTask cmd, Events events) {
        if (owner != null) {
            return events.reject(this, Rejection.ALREADY_TAKEN, "already accepted by " + owner, owner);
        }
        if (!offeredTo.contains(cmd.actor())) {
            return events.reject(this, Rejection.NOT_OFFERED, "this task is not offered to you", null);
        }
        Draft accepted = draft().status(TaskStatus.ACCEPTED).offeredTo(List.of()).owner(cmd.actor())
                .acceptedAt(events.now).overdue(null)
                .timer(escalates() ? TimerKind.NOT_STARTED : null, startWithin(), events.now);
        events.add(new TaskAccepted(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, cmd.actor()));
        return events.decision(accepted.build(events.now));
    }

    private Decision decline(DeclineTask cmd, OfferContext context, Events events) {
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
        if (stillOffered.isEmpty() && escalates()) {
            // The last one offered has said no: waiting out the timer would only waste the time left. Move on now.
            return escalate(level + 1, EscalationReason.ALL_DECLINED, List.of(), declined, declined, context, events);
        }
        if (stillOffered.isEmpty()) {
            // No chain to follow: back to requested, and a human must find someone.
            events.add(new SwitchboardAlerted(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now,
                    ALL_DECLINED, target));
            return events.decision(with(TaskStatus.REQUESTED, level, stillOffered, declined, null, null, events.now));
        }
        return events.decision(draft().offeredTo(stillOffered).declinedBy(declined).build(events.now));
    }

    /**
     * The rota changed and {@code cmd.from()} no longer holds the task's role: whoever holds it now (the context's
     * holders, other than the one leaving and anyone who declined) is offered the task in their place, with the
     * owner's note or the generated one, and a full step's time to accept. An owned task goes back to being offered.
     * Nobody to hand it to: switchboard is alerted and the chain moves on at once. A handover that no
     * longer applies (the task moved on, closed, or was never theirs) is ignored: no change, no event.
     */
    private Decision handOver(HandOverTask cmd, OfferContext context, Events events) {
        boolean owns = cmd.from().equals(owner);
        boolean offered = owner == null && offeredTo.contains(cmd.from());
        if (!status.isOpen() || kind == TaskKind.BROADCAST || target.type() != Target.Type.ROLE
                || !target.id().equals(cmd.role()) || (!owns && !offered)) {
            return events.decision(this);
        }
        List<String> incoming = minus(minus(context.holders(), List.of(cmd.from())), declinedBy);
        int step = Math.max(level, 1);
        if (incoming.isEmpty()) {
            return handedOverToNobody(cmd, owns, step, context, events);
        }
        // Their own note if they wrote one; otherwise the generated one ("shift ended 08:00, handed over from ...").
        String note = handoverNote != null && handoverNote.by().equals(cmd.from()) ? handoverNote.text() : cmd.note();
        List<String> nowOffered = owns ? incoming : union(minus(offeredTo, List.of(cmd.from())), incoming);
        events.add(new TaskHandedOver(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, cmd.from(),
                incoming, cmd.role(), note, cmd.shiftEnded()));
        Draft draft = draft().status(TaskStatus.OFFERED).level(step).offeredTo(nowOffered).owner(null)
                .acceptedAt(null).overdue(null).round(0).handoverNote(new HandoverNote(note, cmd.actor(), events.now));
        return events.decision(reoffered(draft, step, events.now).build(events.now));
    }

    /**
     * Nobody holds the role now: as for a step that reaches nobody, switchboard is alerted and the chain moves on at
     * once (no chain: back to requested, waiting for a human). The one who went off duty keeps nothing.
     */
    private Decision handedOverToNobody(HandOverTask cmd, boolean owns, int step, OfferContext context,
                                        Events events) {
        events.add(new SwitchboardAlerted(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, NO_HOLDER,
                target, step, context.switchboard()));
        List<String> stillOffered = owns ? List.of() : minus(offeredTo, List.of(cmd.from()));
        Draft released = draft().owner(null).acceptedAt(null).overdue(null).offeredTo(stillOffered);
        if (!stillOffered.isEmpty()) {
            // Others further up the chain are offered it already: they keep it, and its timer runs on.
            return events.decision(released.build(events.now));
        }
        if (escalates()) {
            return released.status(TaskStatus.OFFERED).noTimer().build(events.now).escalate(level + 1,
                    EscalationReason.NO_HOLDER, List.of(), declinedBy, List.of(cmd.from()), context, events);
        }
        return events.decision(released.status(TaskStatus.REQUESTED).noTimer().build(events.now));
    }

    /**
     * The owner gives the task back, and it goes where the chain says: back to everyone the chain had reached when it
     * was accepted (steps 1 to the task's step, resolved now: the role's other holders and, for a task that had moved
     * up, the people of that step, e.g. the registrar) other than the owner, anyone who declined and whoever raised
     * it; with nobody left there, the next step of the chain at once; no chain → back to requested, switchboard
     * alerted. The {@link TaskOffered} or {@link TaskEscalated} that follows says where it went.
     */
    private Decision handBack(HandBackTask cmd, OfferContext context, Events events) {
        if (!cmd.actor().equals(owner)) {
            return events.reject(this, Rejection.NOT_OWNER, "only the owner can hand this task back", owner);
        }
        List<String> declined = union(declinedBy, List.of(cmd.actor()));
        events.add(new TaskHandedBack(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, cmd.reason()));
        List<String> others = minus(minus(reachedUpTo(level, context), declined), List.of(requester));
        int step = Math.max(level, 1);
        Draft released = draft().status(TaskStatus.OFFERED).owner(null).acceptedAt(null).overdue(null).round(0)
                .declinedBy(declined);
        if (!others.isEmpty()) {
            events.add(new TaskOffered(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, step, others, 0));
            return events.decision(reoffered(released.level(step).offeredTo(others), step, events.now).build(events.now));
        }
        if (escalates()) {
            return released.offeredTo(List.of()).noTimer().build(events.now)
                    .escalate(level + 1, EscalationReason.HANDED_BACK, List.of(), declined, List.of(cmd.actor()),
                            context, events);
        }
        events.add(new SwitchboardAlerted(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, ALL_DECLINED,
                target));
        return events.decision(released.status(TaskStatus.REQUESTED).offeredTo(List.of()).noTimer()
                .build(events.now));
    }

    /**
     * Everyone the task was offered to up to step {@code upTo} of its chain, resolved now: the addressee's holders,
     * then each step's people in order (escalation widens, so all of them had it). Without a chain, the addressee's.
     */
    private List<String> reachedUpTo(int upTo, OfferContext context) {
        List<String> reached = context.holders();
        if (escalates()) {
            for (int at = 1; at <= Math.min(upTo, policy.lastLevel()); at++) {
                reached = union(reached, context.step(at).holders());
            }
        }
        return reached;
    }

    /**
     * The patient moved: the task's location becomes {@code cmd.to()}; the owner and the new ward's nurse in charge
     * (the context's) are told. Who it is offered to or owned by does not change: the new ward's nurse in charge
     * sees it and may reassign it. A closed task, or one already there, is left alone: no change, no event.
     */
    private Decision relocate(RelocateTask cmd, OfferContext context, Events events) {
        Location from = details.location();
        if (!status.isOpen() || cmd.to() == null || cmd.to().equals(from)) {
            return events.decision(this);
        }
        List<String> told = owner == null ? context.nurseInCharge() : union(List.of(owner), context.nurseInCharge());
        events.add(new TaskRelocated(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, from, cmd.to(),
                told));
        TaskDetails moved = new TaskDetails(details.callback(), details.message(), details.patient(), cmd.to(),
                details.type(), details.detail(), details.news2(), details.messageNamesPatient());
        return events.decision(draft().details(moved).build(events.now));
    }

    /** The owner, or someone it is offered to, leaves a note for whoever takes over; it replaces any earlier one. */
    private Decision addHandoverNote(AddHandoverNote cmd, Events events) {
        boolean mayWrite = cmd.actor().equals(owner) || (owner == null && offeredTo.contains(cmd.actor()));
        if (!mayWrite) {
            return events.reject(this, Rejection.NOT_OWNER, "only the owner can leave a handover note", owner);
        }
        events.add(new HandoverNoteAdded(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, cmd.note()));
        return events.decision(draft().handoverNote(new HandoverNote(cmd.note(), cmd.actor(), events.now))
                .build(events.now));
    }

    /** A fresh offer at {@code step}: a task with a chain waits the step's whole time again for an accept. */
    private Draft reoffered(Draft draft, int step, Instant now) {
        return escalates() ? draft.timer(TimerKind.ACK_TIMEOUT,
                policy.step(Math.min(step, policy.lastLevel())).acceptWithin().of(priority), now) : draft.noTimer();
    }

    private Decision start(StartTask cmd, Events events) {
        if (!cmd.actor().equals(owner)) {
            return events.reject(this, Rejection.NOT_OWNER, "only the owner can start this task", owner);
        }
        if (status != TaskStatus.ACCEPTED) {
            return events.reject(this, Rejection.WRONG_STATE, "the task is " + status.code(), owner);
        }
        events.add(new TaskStarted(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now));
        return events.decision(draft().status(TaskStatus.IN_PROGRESS).overdue(null)
                .timer(escalates() ? TimerKind.NOT_COMPLETED : null, completeWithin(), events.now)
                .build(events.now));
    }

    private Decision complete(CompleteTask cmd, Events events) {
        if (!cmd.actor().equals(owner)) {
            return events.reject(this, Rejection.NOT_OWNER, "only the owner can complete this task", owner);
        }
        events.add(new TaskCompleted(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, cmd.note()));
        return events.decision(draft().status(TaskStatus.COMPLETED).overdue(null).noTimer().build(events.now));
    }

    private Decision cancel(CancelTask cmd, Events events) {
        if (!cmd.supervisor() && !cmd.actor().equals(requester)) {
            return events.reject(this, Rejection.NOT_REQUESTER, "only the requester or a supervisor can cancel",
                    owner);
        }
        events.add(new TaskCancelled(events.nextId(), id, cmd.commandId(), cmd.actor(), events.now, cmd.reason()));
        return events.decision(draft().status(TaskStatus.CANCELLED).offeredTo(List.of()).overdue(null).noTimer()
                .build(events.now));
    }

    /** A timer went off. Only the timer the task is waiting on counts: anything else is stale and ignored. */
    private Decision timerExpired(EscalationDue due, OfferContext context, Events events) {
        if (!status.isOpen() || timer == null || timer.fence() != due.fence() || timer.kind() != due.kind()) {
            return events.decision(this);
        }
        if (timer.kind() == TimerKind.ACK_TIMEOUT) {
            return notAcceptedInTime(context, events);
        }
        return overdue(context, events);
    }

    /** Nobody accepted within the step's timeout: offer the same step again while it has repeats left, else move on. */
    private Decision notAcceptedInTime(OfferContext context, Events events) {
        EscalationStep step = policy.step(level);
        if (round < step.repeat()) {
            // The rota is read again: whoever holds the step's roles now is offered it too.
            List<String> offered = union(offeredTo, minus(context.step(level).holders(), declinedBy));
            if (!offered.isEmpty()) {
                events.add(new TaskOffered(events.nextId(), id, events.commandId(), events.actor(), events.now, level,
                        offered, round + 1));
                return events.decision(draft().offeredTo(offered).round(round + 1)
                        .timer(TimerKind.ACK_TIMEOUT, step.acceptWithin().of(priority), events.now).build(events.now));
            }
        }
        return escalate(level + 1, EscalationReason.NOT_ACCEPTED_IN_TIME, offeredTo, declinedBy, offeredTo, context,
                events);
    }

    /**
     * Enters step {@code toLevel} of the chain; a step that reaches nobody (vacant roles, or only people who
     * already declined) alerts switchboard and the chain goes straight on to the next. Past the last step
     * the task fails, loudly. Everyone still offered keeps the offer: escalation widens, it never takes
     * the task away from someone who might yet accept.
     */
    private Decision escalate(int toLevel, EscalationReason reason, List<String> stillOffered, List<String> declined,
                              List<String> tried, OfferContext context, Events events) {
        int from = level;
        EscalationReason why = reason;
        List<String> triedHere = tried;
        for (int at = toLevel; at <= policy.lastLevel(); at++) {
            ResolvedStep step = context.step(at);
            if (from > 0) {
                events.add(new TaskEscalated(events.nextId(), id, events.commandId(), events.actor(), events.now, from,
                        at, step.name(), why, triedHere));
            }
            boolean alerted = false;
            for (Reached reached : step.reached()) {
                StepTarget.Kind kind = reached.target().kind();
                if (reached.isVacantRole() && (kind == StepTarget.Kind.ADDRESSEE || kind == StepTarget.Kind.ROLE)) {
                    events.add(new SwitchboardAlerted(events.nextId(), id, events.commandId(), events.actor(),
                            events.now, NO_HOLDER, Target.role(reached.roleId()), at, context.switchboard()));
                    alerted = true;
                }
            }
            // Not back to whoever raised it (they are asking for help, not offering it), unless the step reaches
            // nobody else: then they are offered it rather than the task failing for want of anyone.
            List<String> reachable = minus(step.holders(), declined);
            List<String> others = minus(reachable, List.of(requester));
            List<String> fresh = others.isEmpty() ? reachable : others;
            if (!fresh.isEmpty()) {
                List<String> offered = union(stillOffered, fresh);
                events.add(new TaskOffered(events.nextId(), id, events.commandId(), events.actor(), events.now, at,
                        offered, 0));
                return events.decision(draft().status(TaskStatus.OFFERED).level(at).round(0).offeredTo(offered)
                        .declinedBy(declined)
                        .timer(TimerKind.ACK_TIMEOUT, policy.step(at).acceptWithin().of(priority), events.now)
                        .build(events.now));
            }
            if (!alerted) {
                Target vacant = step.reached().stream().filter(Reached::isVacantRole).findFirst()
                        .map(r -> Target.role(r.roleId())).orElse(target);
                events.add(new SwitchboardAlerted(events.nextId(), id, events.commandId(), events.actor(), events.now,
                        NO_HOLDER, vacant, at, context.switchboard()));
            }
            from = at;
            why = step.holders().isEmpty() ? EscalationReason.NO_HOLDER : EscalationReason.ALL_DECLINED;
            triedHere = List.of();
        }
        return fail(from, why, declined, context, events);
    }

    /** The chain is exhausted: the task fails, and switchboard and the ward's nurse in charge are told. Never silent. */
    private Decision fail(int lastLevel, EscalationReason reason, List<String> declined, OfferContext context,
                          Events events) {
        events.add(new TaskFailed(events.nextId(), id, events.commandId(), events.actor(), events.now, lastLevel,
                reason));
        events.add(new SwitchboardAlerted(events.nextId(), id, events.commandId(), events.actor(), events.now,
                CHAIN_EXHAUSTED, target, lastLevel, context.switchboard()));
        if (details.wardId() != null) {
            events.add(new NurseInChargeAlerted(events.nextId(), id, events.commandId(), events.actor(), events.now,
                    CHAIN_EXHAUSTED, details.wardId(), context.nurseInCharge()));
        }
        return events.decision(draft().status(TaskStatus.FAILED).level(Math.max(lastLevel, 1)).offeredTo(List.of())
                .declinedBy(declined).noTimer().build(events.now));
    }

    /** Accepted but not started, or started but not completed, in time: remind the owner, show the nurse in charge, and keep reminding. */
    private Decision overdue(OfferContext context, Events events) {
        TimerKind kind = timer.kind();
        Duration again = kind == TimerKind.NOT_STARTED ? startWithin() : completeWithin();
        List<String> told = union(List.of(owner), context.nurseInCharge());
        events.add(new TaskOverdue(events.nextId(), id, events.commandId(), events.actor(), events.now, kind, owner,
                timer.dueAt(), told));
        return events.decision(draft().overdue(kind).timer(kind, again, events.now).build(events.now));
    }

    private Duration startWithin() {
        return policy == null ? null : policy.startWithin().of(priority);
    }

    private Duration completeWithin() {
        return policy == null ? null : policy.completeWithin().of(priority);
    }

    private static List<String> union(List<String> first, List<String> second) {
        Set<String> all = new LinkedHashSet<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    private static List<String> minus(List<String> from, List<String> without) {
        return from.stream().filter(s -> !without.contains(s)).toList();
    }

    private Task with(TaskStatus newStatus, int newLevel, List<String> newOfferedTo, List<String> newDeclinedBy,
                      String newOwner, Instant newAcceptedAt, Instant now) {
        return draft().status(newStatus).level(newLevel).offeredTo(newOfferedTo).declinedBy(newDeclinedBy)
                .owner(newOwner).acceptedAt(newAcceptedAt).build(now);
    }

    private Draft draft() {
        return new Draft(this);
    }

    /** The next version of a task, field by field; {@link #build} stamps it with the next version number. */
    private static final class Draft {
        private final Task base;
        private TaskStatus status;
        private int level;
        private List<String> offeredTo;
        private List<String> declinedBy;
        private String owner;
        private Instant acceptedAt;
        private int round;
        private TaskTimer timer;
        private TimerKind overdue;
        private List<Acknowledgement> acknowledged;
        private Instant alertedAt;
        private Target target;
        private HandoverNote handoverNote;
        private EscalationPolicy policy;
        private TaskDetails details;

        Draft(Task base) {
            details = base.details;
            policy = base.policy;
            handoverNote = base.handoverNote;
            target = base.target;
            acknowledged = base.acknowledged;
            alertedAt = base.alertedAt;
            this.base = base;
            status = base.status;
            level = base.level;
            offeredTo = base.offeredTo;
            declinedBy = base.declinedBy;
            owner = base.owner;
            acceptedAt = base.acceptedAt;
            round = base.round;
            timer = base.timer;
            overdue = base.overdue;
        }

        Draft status(TaskStatus value) {
            status = value;
            return this;
        }

        Draft level(int value) {
            level = value;
            return this;
        }

        Draft offeredTo(List<String> value) {
            offeredTo = value;
            return this;
        }

        Draft declinedBy(List<String> value) {
            declinedBy = value;
            return this;
        }

        Draft owner(String value) {
            owner = value;
            return this;
        }

        Draft acceptedAt(Instant value) {
            acceptedAt = value;
            return this;
        }

        Draft round(int value) {
            round = value;
            return this;
        }

        Draft policy(EscalationPolicy value) {
            policy = value;
            return this;
        }

        Draft details(TaskDetails value) {
            details = value;
            return this;
        }

        Draft target(Target value) {
            target = value;
            return this;
        }

        Draft acknowledged(List<Acknowledgement> value) {
            acknowledged = value;
            return this;
        }

        Draft alertedAt(Instant value) {
            alertedAt = value;
            return this;
        }

        Draft handoverNote(HandoverNote value) {
            handoverNote = value;
            return this;
        }

        Draft overdue(TimerKind value) {
            overdue = value;
            return this;
        }

        /** Arms a timer of {@code kind} due {@code after} from now, fenced by the version being built; null kind clears it. */
        Draft timer(TimerKind kind, Duration after, Instant now) {
            timer = kind == null ? null : new TaskTimer(kind, now.plus(after), base.version + 1);
            return this;
        }

        Draft noTimer() {
            timer = null;
            return this;
        }

        Task build(Instant now) {
            return new Task(base.id, base.kind, base.priority, base.fyi, status, target, details,
                    base.requester, base.raisedAt, level, offeredTo, declinedBy, owner, acceptedAt, now,
                    base.version + 1, policy, round, timer, overdue, acknowledged, alertedAt, handoverNote);
        }
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
}
