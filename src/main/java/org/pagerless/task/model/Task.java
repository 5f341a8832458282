package org.pagerless.task.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.pagerless.task.model.TaskEvent.CommandRejected;

/**
 * The task aggregate: one bleep, task or broadcast and everything decided about it so far.
 * Immutable; {@link #decide} is the only way to change it and is a pure function of its inputs.
 *
 * <p>What was asked (id, kind, priority, fyi, target, details, requester, raisedAt) and where it stands (status,
 * updatedAt, version), then one part per concern, each with its own small transitions: the {@link Offer} (who it is
 * offered to, who declined), the {@link Ownership} (who accepted it, and whether they are late), the
 * {@link Escalation} (its chain, step, round and the one timer it waits on), a broadcast's {@link Acknowledgements},
 * and the {@link HandoverNote} for whoever takes it over at shift change: the outgoing holder's own, or else the
 * generated one the handover carried. The decisions per family of commands are {@code Offering}, {@code Working},
 * {@code Escalating}, {@code Handing} and {@code Broadcasting}; {@code Decider} picks one per command.
 */
public record Task(UUID id, TaskKind kind, Priority priority, boolean fyi, TaskStatus status, Target target,
                   TaskDetails details, String requester, Instant raisedAt, Instant updatedAt, long version,
                   Offer offer, Ownership ownership, Escalation escalation, Acknowledgements acknowledgements,
                   HandoverNote handoverNote) {

    public Task {
        offer = offer == null ? Offer.NONE : offer;
        ownership = ownership == null ? Ownership.NONE : ownership;
        escalation = escalation == null ? Escalation.on(null) : escalation;
        acknowledgements = acknowledgements == null ? Acknowledgements.NONE : acknowledgements;
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
        Instant alerted = acknowledgements.realertedAt();
        return new RollCall(acknowledgements.received(), People.minus(offeredTo(), acknowledgements.staffIds()),
                alerted == null ? raisedAt : alerted);
    }

    /** Everyone the task is offered to now: {@code offer().offeredTo()}. */
    public List<String> offeredTo() {
        return offer.offeredTo();
    }

    /** Who accepted the task, or null: {@code ownership().owner()}. */
    public String owner() {
        return ownership.owner();
    }

    /** The step of its chain the task is at: {@code escalation().level()}. */
    public int level() {
        return escalation.level();
    }

    /** The chain the task follows, or null: {@code escalation().policy()}. */
    public EscalationPolicy policy() {
        return escalation.policy();
    }

    /** The one deadline the task waits on, or null: {@code escalation().timer()}. */
    public TaskTimer timer() {
        return escalation.timer();
    }

    /** Whether this task follows an escalation chain: it has one and is not fyi. */
    public boolean escalates() {
        return policy() != null && !fyi;
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
        return command.handledBy(new Decider(current, context, new Events(command, now)));
    }

    /** The task just raised by {@code raise} at {@code now}, requested and offered to nobody yet: version 0. */
    static Task raised(TaskCommand.RaiseTask raise, EscalationPolicy chain, Instant now) {
        return new Task(raise.taskId(), raise.kind(), raise.priority(), raise.fyi(), TaskStatus.REQUESTED,
                raise.target(), raise.details(), raise.actor(), now, now, 0, Offer.NONE, Ownership.NONE,
                Escalation.on(chain), Acknowledgements.NONE, null);
    }

    /** This change, done at {@code now}: the next version of the task. */
    Task next(Instant now) {
        return new Task(id, kind, priority, fyi, status, target, details, requester, raisedAt, now, version + 1, offer,
                ownership, escalation, acknowledgements, handoverNote);
    }

    Task withStatus(TaskStatus value) {
        return new Task(id, kind, priority, fyi, value, target, details, requester, raisedAt, updatedAt, version, offer,
                ownership, escalation, acknowledgements, handoverNote);
    }

    Task withTarget(Target value) {
        return new Task(id, kind, priority, fyi, status, value, details, requester, raisedAt, updatedAt, version, offer,
                ownership, escalation, acknowledgements, handoverNote);
    }

    Task withDetails(TaskDetails value) {
        return new Task(id, kind, priority, fyi, status, target, value, requester, raisedAt, updatedAt, version, offer,
                ownership, escalation, acknowledgements, handoverNote);
    }

    Task withOffer(Offer value) {
        return new Task(id, kind, priority, fyi, status, target, details, requester, raisedAt, updatedAt, version, value,
                ownership, escalation, acknowledgements, handoverNote);
    }

    Task withOwnership(Ownership value) {
        return new Task(id, kind, priority, fyi, status, target, details, requester, raisedAt, updatedAt, version, offer,
                value, escalation, acknowledgements, handoverNote);
    }

    Task withEscalation(Escalation value) {
        return new Task(id, kind, priority, fyi, status, target, details, requester, raisedAt, updatedAt, version, offer,
                ownership, value, acknowledgements, handoverNote);
    }

    Task withAcknowledgements(Acknowledgements value) {
        return new Task(id, kind, priority, fyi, status, target, details, requester, raisedAt, updatedAt, version, offer,
                ownership, escalation, value, handoverNote);
    }

    Task withHandoverNote(HandoverNote value) {
        return new Task(id, kind, priority, fyi, status, target, details, requester, raisedAt, updatedAt, version, offer,
                ownership, escalation, acknowledgements, value);
    }

    /**
     * A timer of {@code kind} due {@code after} from {@code now}, fenced by the version this change will have
     * ({@link #next}); null when {@code kind} is null.
     */
    TaskTimer timer(TimerKind kind, Duration after, Instant now) {
        return kind == null ? null : new TaskTimer(kind, now.plus(after), version + 1);
    }

    /** The timer of a fresh offer at {@code step}: a task with a chain waits the step's whole time again; else none. */
    TaskTimer acceptTimer(int step, Instant now) {
        EscalationPolicy chain = policy();
        return escalates()
                ? timer(TimerKind.ACK_TIMEOUT, chain.step(Math.min(step, chain.lastLevel())).acceptWithin().of(priority),
                        now)
                : null;
    }

    Duration startWithin() {
        return policy() == null ? null : policy().startWithin().of(priority);
    }

    Duration completeWithin() {
        return policy() == null ? null : policy().completeWithin().of(priority);
    }
}
