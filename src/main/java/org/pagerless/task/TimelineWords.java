package org.pagerless.task;

import java.util.List;

import org.pagerless.rota.model.Hospital;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskEvent.BroadcastAcknowledged;
import org.pagerless.task.model.TaskEvent.BroadcastRealerted;
import org.pagerless.task.model.TaskEvent.CommandRejected;
import org.pagerless.task.model.TaskEvent.EscalationReason;
import org.pagerless.task.model.TaskEvent.HandoverNoteAdded;
import org.pagerless.task.model.TaskEvent.NurseInChargeAlerted;
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
import org.pagerless.task.model.TaskEvent.TaskStarted;
import org.pagerless.task.model.TimerKind;

/**
 * A task's history in words a nurse or a doctor reads at a glance ("Declined by Dr Kate Morgan: In resus"), and the
 * latest reason someone gave (decline, hand-back, reassignment, cancellation), which travels to whoever has the task
 * next. Never the patient: the words are shown on boards and consoles.
 */
public final class TimelineWords {
    private TimelineWords() {
    }

    /** The latest reason the task moved away from someone: who, what they did, why, when. Null when none. */
    public record Reason(String what, TaskView.PersonView by, String reason, java.time.Instant at, String text) {
    }

    public static String describe(TaskEvent e, Task task, Hospital hospital) {
        String who = actor(e.actor(), hospital);
        if (e instanceof TaskRaised r) {
            return "Raised by " + who + " for " + TaskView.target(r.target(), hospital).name() + " ("
                    + r.priority().code().toUpperCase() + ")";
        } else if (e instanceof TaskOffered o) {
            return (o.round() > 0 ? "Offered again to " : "Offered to ") + names(o.offeredTo(), hospital)
                    + step(o.level(), task);
        } else if (e instanceof SwitchboardAlerted a) {
            String why = a.reason() == TaskEvent.AlertReason.NO_HOLDER
                    ? "nobody holds " + TaskView.target(a.target(), hospital).name() + " now"
                    : a.reason() == TaskEvent.AlertReason.ALL_DECLINED ? "everyone offered it declined"
                    : "the escalation chain ran out";
            return "Switchboard alerted: " + why;
        } else if (e instanceof TaskEscalated x) {
            return "Moved up from step " + x.fromLevel() + " to step " + x.toLevel()
                    + (x.step() == null ? "" : " (" + x.step() + ")") + ": " + why(x.reason(), who);
        } else if (e instanceof TaskFailed) {
            return "Failed: nobody accepted by the last step of the chain";
        } else if (e instanceof NurseInChargeAlerted n) {
            return "Nurse in charge told" + (n.told().isEmpty() ? " (nobody holds it now)" : ": " + names(n.told(), hospital));
        } else if (e instanceof TaskOverdue o) {
            return "Overdue: " + (o.overdue() == TimerKind.NOT_STARTED ? "not started" : "not completed") + "; "
                    + name(o.owner(), hospital) + " reminded";
        } else if (e instanceof BroadcastAcknowledged) {
            return "Acknowledged by " + who;
        } else if (e instanceof BroadcastRealerted r) {
            return "Re-alerted by " + who + " to " + names(r.offeredTo(), hospital);
        } else if (e instanceof TaskReassigned r) {
            return "Reassigned by " + who + " from " + TaskView.target(r.from(), hospital).name() + " to "
                    + TaskView.target(r.to(), hospital).name() + "; offered to " + names(r.offeredTo(), hospital)
                    + (r.previousOwner() == null ? "" : "; taken from " + name(r.previousOwner(), hospital));
        } else if (e instanceof TaskHandedOver h) {
            return "Handed over at the end of " + name(h.fromStaff(), hospital) + "'s shift to "
                    + names(h.toStaff(), hospital) + (h.note() == null ? "" : ": " + h.note());
        } else if (e instanceof TaskHandedBack b) {
            return "Handed back by " + who + ": " + b.reason();
        } else if (e instanceof TaskEvent.TaskRelocated m) {
            return "Moved with the patient to " + place(m.to(), hospital) + " (from " + place(m.from(), hospital)
                    + "; reported by " + who + ")" + (m.told().isEmpty() ? "" : "; told " + names(m.told(), hospital));
        } else if (e instanceof HandoverNoteAdded n) {
            return "Handover note by " + who + ": " + n.note();
        } else if (e instanceof TaskAccepted a) {
            return "Accepted by " + name(a.owner(), hospital);
        } else if (e instanceof TaskDeclined d) {
            return "Declined by " + who + ": " + d.reason();
        } else if (e instanceof TaskStarted) {
            return "Started by " + who;
        } else if (e instanceof TaskCompleted c) {
            return "Completed by " + who + (blank(c.note()) ? "" : ": " + c.note());
        } else if (e instanceof TaskCancelled c) {
            return "Cancelled by " + who + (blank(c.reason()) ? "" : ": " + c.reason());
        } else if (e instanceof CommandRejected r) {
            return "Refused for " + who + ": " + r.detail();
        }
        return e.getClass().getSimpleName();
    }

    /** The latest decline, hand-back, reassignment, handover or cancellation, or null when the task has none. */
    public static Reason latestReason(List<TaskEvent> events, Task task, Hospital hospital) {
        for (int i = events.size() - 1; i >= 0; i--) {
            TaskEvent e = events.get(i);
            String what = null;
            String reason = null;
            if (e instanceof TaskDeclined d) {
                what = "declined";
                reason = d.reason();
            } else if (e instanceof TaskHandedBack b) {
                what = "handed back";
                reason = b.reason();
                return new Reason(what, TaskView.person(e.actor(), hospital), reason, e.at(),
                        describe(e, task, hospital) + whereItWent(events, i, task, hospital));
            } else if (e instanceof TaskReassigned) {
                what = "reassigned";
            } else if (e instanceof TaskCancelled c) {
                what = "cancelled";
                reason = c.reason();
            } else if (e instanceof TaskHandedOver h) {
                what = "handed over";
                reason = h.note();
            }
            if (what != null) {
                return new Reason(what, TaskView.person(e.actor(), hospital), reason, e.at(), describe(e, task, hospital));
            }
        }
        return null;
    }

    /**
     * Where a task went after a hand-back, and why, from the events its command produced: ". Now offered to Dr Kate
     * Morgan (step 2: Medical registrar and nurse in charge), the people its chain had reached" or ". Nobody else at
     * step 1 could take it: moved to step 2 (...); offered to ...". Empty when nothing followed.
     */
    private static String whereItWent(List<TaskEvent> events, int from, Task task, Hospital hospital) {
        java.util.UUID command = events.get(from).commandId();
        List<String> parts = new java.util.ArrayList<>();
        boolean moved = false;
        for (int j = from + 1; j < events.size() && command.equals(events.get(j).commandId()); j++) {
            TaskEvent e = events.get(j);
            if (e instanceof TaskOffered o) {
                parts.add((moved ? "offered to " : "now offered to ") + names(o.offeredTo(), hospital)
                        + step(o.level(), task) + (moved ? "" : ", the people its chain had reached"));
            } else if (e instanceof TaskEscalated x) {
                moved = true;
                parts.add("nobody else at step " + x.fromLevel() + " could take it, so it moved to step " + x.toLevel()
                        + (x.step() == null ? "" : " (" + x.step() + ")"));
            } else if (e instanceof SwitchboardAlerted || e instanceof TaskFailed || e instanceof NurseInChargeAlerted) {
                parts.add(describe(e, task, hospital));
            }
        }
        if (parts.isEmpty()) {
            return "";
        }
        String joined = String.join("; ", parts);
        return ". " + Character.toUpperCase(joined.charAt(0)) + joined.substring(1);
    }

    /** "Ward 8A, bed 3": a task's place as the board shows it. */
    private static String place(org.pagerless.task.model.Location at, Hospital hospital) {
        if (at == null || at.wardId() == null) {
            return "no ward";
        }
        String ward = hospital.ward(at.wardId()).map(w -> "Ward " + w.name()).orElse("ward " + at.wardId());
        return ward + (blank(at.bed()) ? "" : ", bed " + at.bed());
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String why(EscalationReason reason, String who) {
        switch (reason) {
            case NOT_ACCEPTED_IN_TIME:
                return "nobody accepted in time";
            case ALL_DECLINED:
                return "everyone offered it declined";
            case NO_HOLDER:
                return "nobody held the step";
            case ESCALATED_BY_HAND:
                return "escalated by " + who;
            case HANDED_BACK:
                return "handed back, and nobody else the chain had reached could take it";
            default:
                return "passed up by " + who;
        }
    }

    /** " (step 2: Medical registrar and nurse in charge)"; only the number when the chain is not known (null task). */
    private static String step(int level, Task task) {
        if (task == null && level >= 1) {
            return " (step " + level + ")";
        }
        if (task == null || task.policy() == null || level < 1 || level > task.policy().lastLevel()) {
            return "";
        }
        return " (step " + level + ": " + task.policy().step(level).name() + ")";
    }

    private static String actor(String staffId, Hospital hospital) {
        if ("escalation".equals(staffId)) {
            return "the escalation timer";
        }
        if ("handover".equals(staffId)) {
            return "the rota (shift change)";
        }
        return name(staffId, hospital);
    }

    private static String name(String staffId, Hospital hospital) {
        TaskView.PersonView p = TaskView.person(staffId, hospital);
        return p == null ? "someone" : p.name();
    }

    private static String names(List<String> staffIds, Hospital hospital) {
        return staffIds.isEmpty() ? "nobody" : String.join(", ", staffIds.stream().map(s -> name(s, hospital)).toList());
    }
}
