package org.pagerless.task.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * An instruction to change one task. Every command carries its own id: applying the same id
 * twice changes nothing. {@code actor} is the staff id of whoever (or whichever system) issued it.
 */
public sealed interface TaskCommand {
    UUID commandId();

    UUID taskId();

    String actor();

    /**
     * Hands this command to {@code handler}'s one method for it. Every command implements this and every handler has a
     * method for every command, so a command added without being handled everywhere (the decision, {@link Type}) does
     * not compile: the dispatch is exhaustive without an {@code instanceof} chain or a fallback.
     */
    <R> R handledBy(Handler<R> handler);

    /** Which command this is: lets a decision over every command be a switch the compiler checks is exhaustive. */
    default Type commandType() {
        return Type.of(this);
    }

    /** Does something with each kind of command: one method per command record below. */
    interface Handler<R> {
        R raise(RaiseTask command);

        R accept(AcceptTask command);

        R decline(DeclineTask command);

        R start(StartTask command);

        R complete(CompleteTask command);

        R acknowledge(AcknowledgeBroadcast command);

        R realert(RealertMissing command);

        R escalateNow(EscalateNow command);

        R passUp(PassUp command);

        R reassign(ReassignTask command);

        R handBack(HandBackTask command);

        R addHandoverNote(AddHandoverNote command);

        R handOver(HandOverTask command);

        R cancel(CancelTask command);

        R timerDue(EscalationDue command);

        R relocate(RelocateTask command);
    }

    /** One constant per command record below, for a switch over every command. */
    enum Type {
        RAISE, ACCEPT, DECLINE, START, COMPLETE, ACKNOWLEDGE_BROADCAST, REALERT_MISSING, ESCALATE_NOW, PASS_UP, REASSIGN,
        HAND_BACK, ADD_HANDOVER_NOTE, HAND_OVER, CANCEL, ESCALATION_DUE, RELOCATE;

        private static final Handler<Type> OF = new Handler<>() {
            @Override
            public Type raise(RaiseTask command) {
                return RAISE;
            }

            @Override
            public Type accept(AcceptTask command) {
                return ACCEPT;
            }

            @Override
            public Type decline(DeclineTask command) {
                return DECLINE;
            }

            @Override
            public Type start(StartTask command) {
                return START;
            }

            @Override
            public Type complete(CompleteTask command) {
                return COMPLETE;
            }

            @Override
            public Type acknowledge(AcknowledgeBroadcast command) {
                return ACKNOWLEDGE_BROADCAST;
            }

            @Override
            public Type realert(RealertMissing command) {
                return REALERT_MISSING;
            }

            @Override
            public Type escalateNow(EscalateNow command) {
                return ESCALATE_NOW;
            }

            @Override
            public Type passUp(PassUp command) {
                return PASS_UP;
            }

            @Override
            public Type reassign(ReassignTask command) {
                return REASSIGN;
            }

            @Override
            public Type handBack(HandBackTask command) {
                return HAND_BACK;
            }

            @Override
            public Type addHandoverNote(AddHandoverNote command) {
                return ADD_HANDOVER_NOTE;
            }

            @Override
            public Type handOver(HandOverTask command) {
                return HAND_OVER;
            }

            @Override
            public Type cancel(CancelTask command) {
                return CANCEL;
            }

            @Override
            public Type timerDue(EscalationDue command) {
                return ESCALATION_DUE;
            }

            @Override
            public Type relocate(RelocateTask command) {
                return RELOCATE;
            }
        };

        static Type of(TaskCommand command) {
            return command.handledBy(OF);
        }
    }

    /** Raise a new task or bleep addressed to {@code target}. */
    record RaiseTask(UUID commandId, UUID taskId, String actor, TaskKind kind, Priority priority, boolean fyi,
                     Target target, TaskDetails details) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.raise(this);
        }
    }

    /** A holder takes the task on: first accept wins. */
    record AcceptTask(UUID commandId, UUID taskId, String actor) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.accept(this);
        }
    }

    /** A holder says they cannot take it, and why. */
    record DeclineTask(UUID commandId, UUID taskId, String actor, String reason) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.decline(this);
        }
    }

    /** The owner has started the work. */
    record StartTask(UUID commandId, UUID taskId, String actor) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.start(this);
        }
    }

    /** The owner has finished the work. */
    record CompleteTask(UUID commandId, UUID taskId, String actor, String note) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.complete(this);
        }
    }

    /** A team member answers a broadcast's roll-call: "I have it, I am coming". */
    record AcknowledgeBroadcast(UUID commandId, UUID taskId, String actor) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.acknowledge(this);
        }
    }

    /** Alert again every member of a broadcast's team who has not acknowledged; {@code supervisor} as for cancel. */
    record RealertMissing(UUID commandId, UUID taskId, String actor, boolean supervisor) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.realert(this);
        }
    }

    /**
     * A supervisor moves an unaccepted task to the next step of its chain now, without waiting for its timer.
     * {@code supervisor} as for cancel.
     */
    record EscalateNow(UUID commandId, UUID taskId, String actor, boolean supervisor) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.escalateNow(this);
        }
    }

    /**
     * Someone offered the task cannot take it and says it needs the next step of its chain now (an SMS
     * {@code 3}): their decline, then the next step at once, as {@link EscalateNow} would; the others offered
     * keep it. At the last step (or with no chain) it is a decline.
     */
    record PassUp(UUID commandId, UUID taskId, String actor, String reason) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.passUp(this);
        }
    }

    /**
     * A supervisor gives the task to another role or person: it is offered to whoever holds {@code to} now, and
     * those offered it before (or its owner) lose it. {@code supervisor} as for cancel.
     */
    record ReassignTask(UUID commandId, UUID taskId, String actor, Target to, boolean supervisor)
            implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.reassign(this);
        }
    }

    /**
     * The owner gives an accepted or started task back, with a reason: it is offered to the role's other holders
     * now, or moves to the next step of its chain when nobody else holds the role.
     */
    record HandBackTask(UUID commandId, UUID taskId, String actor, String reason) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.handBack(this);
        }
    }

    /**
     * The owner (or someone offered the task) leaves a note for whoever takes it over at the end of their shift;
     * a later note replaces an earlier one, and a handover uses it and clears it.
     */
    record AddHandoverNote(UUID commandId, UUID taskId, String actor, String note) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.addHandoverNote(this);
        }
    }

    /**
     * The rota has changed: {@code from} stopped holding {@code role} at {@code shiftEnded}. Whoever holds the role
     * now is offered the task in {@code from}'s place. Published by the handover detector, never by a person;
     * {@code note} is the generated note, used when nobody left one. If {@code from} no longer has the task (it
     * was accepted by someone else, completed, handed over already) the command is ignored.
     */
    record HandOverTask(UUID commandId, UUID taskId, String actor, String role, String from, Instant shiftEnded,
                        String note) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.handOver(this);
        }

        /** The actor recorded on everything a handover causes. */
        public static final String ACTOR = "handover";

        /**
         * The command for one person leaving one role at one instant, for one task: its id is derived from all four,
         * so a handover detected twice (two pods, a retry, a restart) is applied once.
         */
        public static HandOverTask of(UUID taskId, String role, String from, Instant shiftEnded, String note) {
            UUID id = UUID.nameUUIDFromBytes(("handover:" + taskId + ":" + role + ":" + from + ":" + shiftEnded)
                    .getBytes(StandardCharsets.UTF_8));
            return new HandOverTask(id, taskId, ACTOR, role, from, shiftEnded, note);
        }
    }

    /**
     * The task is no longer needed. {@code supervisor} is true when the actor may cancel any task
     * (switchboard, nurse-in-charge, coordinator, admin); otherwise only the requester may.
     */
    record CancelTask(UUID commandId, UUID taskId, String actor, String reason, boolean supervisor)
            implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.cancel(this);
        }
    }

    /**
     * A task's timer has expired: published by the escalation ticker, never by a person. Carries the
     * timer's fence; if the task has re-armed or cleared its timer since, the command is ignored.
     */
    record EscalationDue(UUID commandId, UUID taskId, String actor, TimerKind kind, long fence)
            implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.timerDue(this);
        }

        /** The actor recorded on everything an expired timer causes. */
        public static final String ACTOR = "escalation";

        /** The command for one firing of one timer: its id is derived from task and fence, so re-publishing dedupes. */
        public static EscalationDue of(UUID taskId, TimerKind kind, long fence) {
            UUID id = UUID.nameUUIDFromBytes(("timer:" + taskId + ":" + fence).getBytes(StandardCharsets.UTF_8));
            return new EscalationDue(id, taskId, ACTOR, kind, fence);
        }
    }

    /**
     * The patient has moved (the ADT feed reported a transfer, an update with a new location, or a cancelled
     * transfer): the work is now at {@code to}. Published by a hospital system's feed ({@code actor} is the system),
     * never by a person. A closed task, an unknown one, or one already there is left alone (no change, no event).
     */
    record RelocateTask(UUID commandId, UUID taskId, String actor, Location to) implements TaskCommand {
        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.relocate(this);
        }

        /**
         * The move of one task for one feed message: its id is derived from the task, the sending system and the
         * message's own id, so a message delivered twice moves the task once.
         */
        public static RelocateTask of(UUID taskId, String system, String messageId, Location to) {
            UUID id = UUID.nameUUIDFromBytes(("relocate:" + taskId + ":" + system + ":" + messageId)
                    .getBytes(StandardCharsets.UTF_8));
            return new RelocateTask(id, taskId, system, to);
        }
    }
}
