package org.pagerless.task.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Something that happened to a task. Event ids are derived from the command id and the event's
 * position in the decision, so re-applying a command yields the same ids.
 */
public sealed interface TaskEvent {
    UUID eventId();

    UUID taskId();

    UUID commandId();

    String actor();

    Instant at();

    /** The task entered the system. */
    record TaskRaised(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, TaskKind kind,
                      Priority priority, boolean fyi, Target target, TaskDetails details) implements TaskEvent {
    }

    /**
     * The task was offered to these people (everyone who may now accept it), at this step of its chain;
     * {@code round} counts the repeats of the same step (0 the first time).
     */
    record TaskOffered(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, int level,
                       List<String> offeredTo, int round) implements TaskEvent {
        public TaskOffered {
            offeredTo = List.copyOf(offeredTo);
        }

        public TaskOffered(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, int level,
                           List<String> offeredTo) {
            this(eventId, taskId, commandId, actor, at, level, offeredTo, 0);
        }
    }

    /**
     * A human must step in: nobody holds {@code target} (a role) at step {@code level}, everyone offered
     * declined, or the chain is exhausted. {@code told} is who was on switchboard. Never silent.
     */
    record SwitchboardAlerted(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at,
                              AlertReason reason, Target target, int level, List<String> told) implements TaskEvent {
        public SwitchboardAlerted {
            told = told == null ? List.of() : List.copyOf(told);
        }

        public SwitchboardAlerted(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at,
                                  AlertReason reason, Target target) {
            this(eventId, taskId, commandId, actor, at, reason, target, 0, List.of());
        }
    }

    /**
     * The task moved up its chain from one step to another, and why: nobody accepted in time, everyone
     * offered declined, or the step reached nobody. {@code tried} is who had it and did not take it.
     */
    record TaskEscalated(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, int fromLevel,
                         int toLevel, String step, EscalationReason reason, List<String> tried) implements TaskEvent {
        public TaskEscalated {
            tried = tried == null ? List.of() : List.copyOf(tried);
        }
    }

    /** The chain is exhausted and nobody took the task. Always followed by alerts to switchboard and the nurse in charge. */
    record TaskFailed(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, int level,
                      EscalationReason reason) implements TaskEvent {
    }

    /** The nurse in charge of the task's ward must step in; {@code told} is who holds that role now. */
    record NurseInChargeAlerted(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at,
                                AlertReason reason, String wardId, List<String> told) implements TaskEvent {
        public NurseInChargeAlerted {
            told = told == null ? List.of() : List.copyOf(told);
        }
    }

    /**
     * Accepted but not started, or started but not completed, in time: the owner is reminded and the
     * ward's nurse in charge ({@code told}, with the owner) sees it. The task stays with its owner.
     */
    record TaskOverdue(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, TimerKind overdue,
                       String owner, Instant dueAt, List<String> told) implements TaskEvent {
        public TaskOverdue {
            told = told == null ? List.of() : List.copyOf(told);
        }
    }

    /** A member of a broadcast's team acknowledged it (the actor). Many do; each once. */
    record BroadcastAcknowledged(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at)
            implements TaskEvent {
    }

    /** The broadcast was alerted again to those who had not acknowledged ({@code offeredTo}). */
    record BroadcastRealerted(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at,
                              List<String> offeredTo) implements TaskEvent {
        public BroadcastRealerted {
            offeredTo = List.copyOf(offeredTo);
        }
    }

    /** A supervisor gave the task to {@code to}; it is now offered to {@code offeredTo} only. */
    record TaskReassigned(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, Target from, Target to,
                          List<String> offeredTo, String previousOwner) implements TaskEvent {
        public TaskReassigned {
            offeredTo = List.copyOf(offeredTo);
        }
    }

    /**
     * The rota changed: {@code fromStaff} stopped holding {@code role} at {@code shiftEnded}, and the task they were
     * offered or owned is now offered to {@code toStaff} (who held the role then), with the handover {@code note}.
     */
    record TaskHandedOver(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, String fromStaff,
                          List<String> toStaff, String role, String note, Instant shiftEnded) implements TaskEvent {
        public TaskHandedOver {
            toStaff = List.copyOf(toStaff);
        }
    }

    /** The owner (the actor) gave the task back, and why; the events after it say who is offered it now. */
    record TaskHandedBack(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, String reason)
            implements TaskEvent {
    }

    /** The actor left a note for whoever takes the task over at shift change. */
    record HandoverNoteAdded(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, String note)
            implements TaskEvent {
    }

    /**
     * The patient moved, and the task with them: it was at {@code from} and is now at {@code to}. {@code told} is who
     * must know: the owner and whoever is nurse in charge of the new ward now (it shows on their board).
     */
    record TaskRelocated(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, Location from,
                         Location to, List<String> told) implements TaskEvent {
        public TaskRelocated {
            told = told == null ? List.of() : List.copyOf(told);
        }
    }

    record TaskAccepted(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, String owner)
            implements TaskEvent {
    }

    record TaskDeclined(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, String reason)
            implements TaskEvent {
    }

    record TaskStarted(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at) implements TaskEvent {
    }

    record TaskCompleted(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, String note)
            implements TaskEvent {
    }

    record TaskCancelled(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at, String reason)
            implements TaskEvent {
    }

    /** The command was refused; the task is unchanged. {@code owner} is set when someone else has it. */
    record CommandRejected(UUID eventId, UUID taskId, UUID commandId, String actor, Instant at,
                           Rejection rejection, String detail, String owner) implements TaskEvent {
    }

    enum AlertReason { NO_HOLDER, ALL_DECLINED, CHAIN_EXHAUSTED }

    /** Why a task moved on from a step of its chain. */
    enum EscalationReason { NOT_ACCEPTED_IN_TIME, ALL_DECLINED, NO_HOLDER, ESCALATED_BY_HAND, HANDED_BACK, PASSED_UP }

    enum Rejection { UNKNOWN_TASK, ALREADY_RAISED, ALREADY_TAKEN, NOT_OFFERED, NOT_OWNER, NOT_REQUESTER, TASK_CLOSED, WRONG_STATE }
}
