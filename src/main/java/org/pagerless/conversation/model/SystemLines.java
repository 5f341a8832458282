package org.pagerless.conversation.model;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskEvent.NurseInChargeAlerted;
import org.pagerless.task.model.TaskEvent.TaskAccepted;
import org.pagerless.task.model.TaskEvent.TaskCancelled;
import org.pagerless.task.model.TaskEvent.TaskCompleted;
import org.pagerless.task.model.TaskEvent.TaskDeclined;
import org.pagerless.task.model.TaskEvent.TaskEscalated;
import org.pagerless.task.model.TaskEvent.TaskFailed;
import org.pagerless.task.model.TaskEvent.TaskHandedBack;
import org.pagerless.task.model.TaskEvent.TaskHandedOver;
import org.pagerless.task.model.TaskEvent.TaskOffered;
import org.pagerless.task.model.TaskEvent.TaskRaised;
import org.pagerless.task.model.TaskEvent.TaskReassigned;
import org.pagerless.task.model.TaskEvent.TaskStarted;

/**
 * The line a task's thread shows for what happened to the task ("Accepted by Dr Amira Khan"); empty for events a
 * reader of the thread need not see (rejected commands, reminders, alerts already shown on the board).
 */
public final class SystemLines {
    /** The events that may have a line, by type (their simple class name, as the task-events topic names them). */
    private static final Set<String> LINED = Stream.of(TaskRaised.class, TaskOffered.class, TaskAccepted.class,
            TaskDeclined.class, TaskStarted.class, TaskCompleted.class, TaskCancelled.class, TaskEscalated.class,
            TaskFailed.class, NurseInChargeAlerted.class, TaskHandedOver.class, TaskHandedBack.class,
            TaskEvent.TaskRelocated.class, TaskReassigned.class).map(Class::getSimpleName)
            .collect(Collectors.toUnmodifiableSet());

    private SystemLines() {
    }

    /** Whether an event of this type may have a line: if not, the event need not be read at all. */
    public static boolean mayHaveLine(String eventType) {
        return LINED.contains(eventType);
    }

    public static Optional<String> lineFor(TaskEvent event, Function<String, String> nameOf) {
        if (!mayHaveLine(event.getClass().getSimpleName())) {
            return Optional.empty();
        }
        String line = null;
        if (event instanceof TaskRaised e) {
            line = "Raised by " + nameOf.apply(e.actor());
        } else if (event instanceof TaskOffered e) {
            line = "Offered to " + names(e.offeredTo(), nameOf) + (e.level() > 1 ? " (step " + e.level() + ")" : "");
        } else if (event instanceof TaskAccepted e) {
            line = "Accepted by " + nameOf.apply(e.owner());
        } else if (event instanceof TaskDeclined e) {
            line = "Declined by " + nameOf.apply(e.actor()) + reason(e.reason());
        } else if (event instanceof TaskStarted e) {
            line = "Started by " + nameOf.apply(e.actor());
        } else if (event instanceof TaskCompleted e) {
            line = "Completed by " + nameOf.apply(e.actor()) + (blank(e.note()) ? "" : ": " + e.note());
        } else if (event instanceof TaskCancelled e) {
            line = "Cancelled by " + nameOf.apply(e.actor()) + reason(e.reason());
        } else if (event instanceof TaskEscalated e) {
            line = "Escalated from step " + e.fromLevel() + " to step " + e.toLevel() + " ("
                    + escalationReason(e.reason()) + ")";
        } else if (event instanceof TaskFailed e) {
            line = "Nobody took it: the escalation chain is exhausted";
        } else if (event instanceof NurseInChargeAlerted e) {
            line = e.told().isEmpty() ? null : "Nurse in charge told: " + names(e.told(), nameOf);
        } else if (event instanceof TaskHandedOver e) {
            line = "Handed over from " + nameOf.apply(e.fromStaff()) + " to " + names(e.toStaff(), nameOf)
                    + " at shift change";
        } else if (event instanceof TaskHandedBack e) {
            line = "Handed back by " + nameOf.apply(e.actor()) + reason(e.reason());
        } else if (event instanceof TaskEvent.TaskRelocated e) {
            line = "Moved with the patient to ward " + (e.to() == null ? "?" : e.to().wardId())
                    + (e.to() == null || blank(e.to().bed()) ? "" : ", bed " + e.to().bed());
        } else if (event instanceof TaskReassigned e) {
            line = "Reassigned by " + nameOf.apply(e.actor()) + " to " + names(e.offeredTo(), nameOf);
        }
        return Optional.ofNullable(line);
    }

    private static String names(List<String> staff, Function<String, String> nameOf) {
        return staff.isEmpty() ? "nobody" : String.join(", ", staff.stream().map(nameOf).toList());
    }

    private static String reason(String reason) {
        return blank(reason) ? "" : ": " + reason;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String escalationReason(TaskEvent.EscalationReason reason) {
        return switch (reason) {
            case NOT_ACCEPTED_IN_TIME -> "not accepted in time";
            case ALL_DECLINED -> "everyone declined";
            case NO_HOLDER -> "nobody holds the role";
            case ESCALATED_BY_HAND -> "escalated by hand";
            case HANDED_BACK -> "handed back";
            case PASSED_UP -> "passed up";
        };
    }
}
