package org.pagerless.task;

import java.time.Instant;
import java.util.List;

import org.pagerless.identity.PatientReadAudit;
import java.util.UUID;

import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Staff;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskEvent;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A task as the API and the apps show it, with names resolved and, when asked for, its timeline.
 * {@code escalation} says where the task is in its chain, what it is waiting for and until when, and
 * whether its owner is overdue (what the nurse in charge watches); absent for tasks without a chain.
 * {@code messageNamesPatient}: true when the bleep's message names a patient the ADT feed told us of (absent otherwise).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskView(UUID id, String kind, String status, String priority, boolean fyi, TargetView to,
                       PersonView requester, PersonView owner, List<PersonView> offeredTo, int level, Instant raisedAt,
                       Instant acceptedAt, Instant updatedAt, String callback, String message, PatientView patient,
                       LocationView location, String type, String detail, Integer news2, EscalationView escalation,
                       RollCallView rollCall, List<TimelineEntry> timeline, HandoverNoteView handoverNote,
                       TimelineWords.Reason lastReason, Boolean messageNamesPatient) {

    /** The note for whoever takes the task over at shift change, who wrote it (or "handover") and when. */
    public record HandoverNoteView(String text, PersonView by, Instant at) {
    }

    /** A broadcast's roll-call: who acknowledged and when, who has not yet, and when they were last alerted. */
    public record RollCallView(List<AckView> acknowledged, List<PersonView> missing, Instant lastAlertedAt) {
    }

    public record AckView(String id, String name, Instant at) {
    }

    /** The task's chain position: step n of m, its name, the running timer and any overdue reminder. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EscalationView(String policy, int step, int steps, String stepName, String waitingFor,
                                 Instant dueAt, String overdue) {
    }

    public record TargetView(String type, String id, String name) {
    }

    public record PersonView(String id, String name) {
    }

    public record PatientView(String nhsNumber, String name) {
    }

    public record LocationView(String ward, String bed) {
    }

    /** One event in the task's history: when, what, who, the event in words, and the event's own fields. */
    public record TimelineEntry(Instant at, String event, PersonView actor, String text, Object detail) {
    }

    /** The same task without its free-text message: for screens that list bleeps to people they do not concern. */
    public TaskView withoutMessage() {
        return new TaskView(id, kind, status, priority, fyi, to, requester, owner, offeredTo, level, raisedAt, acceptedAt,
                updatedAt, callback, null, patient, location, type, detail, news2, escalation, rollCall, timeline,
                handoverNote, lastReason, null);
    }

    /** The tasks among these whose patient is shown: what reading them must audit (PatientReadAudit). */
    public static List<PatientReadAudit.Subject> patients(java.util.Collection<TaskView> views) {
        return views.stream().filter(v -> v.patient() != null)
                .map(v -> new PatientReadAudit.Subject(v.id(), v.patient().nhsNumber())).toList();
    }

    /** As {@link #patients}, for tasks shown in another form (a FHIR Task carries the same patient). */
    public static List<PatientReadAudit.Subject> patientsOf(java.util.Collection<Task> tasks) {
        return tasks.stream().filter(t -> t.details() != null && t.details().patient() != null)
                .map(t -> new PatientReadAudit.Subject(t.id(), t.details().patient().nhsNumber())).toList();
    }

    public static TaskView of(Task t, Hospital hospital) {
        return of(t, hospital, null, false);
    }

    /** The task with its whole timeline and the latest reason given. */
    public static TaskView of(Task t, Hospital hospital, List<TaskEvent> events) {
        return of(t, hospital, events, true);
    }

    /**
     * The task; with {@code events}, the latest reason someone gave (which travels to whoever has it next) and, if
     * {@code withTimeline}, every event.
     */
    public static TaskView of(Task t, Hospital hospital, List<TaskEvent> events, boolean withTimeline) {
        TaskDetails d = t.details();
        return new TaskView(t.id(), t.kind().name().toLowerCase(), t.status().code(), t.priority().code(), t.fyi(),
                target(t.target(), hospital), person(t.requester(), hospital), person(t.owner(), hospital),
                t.offeredTo().stream().map(id -> person(id, hospital)).toList(), t.level(), t.raisedAt(),
                t.ownership().acceptedAt(), t.updatedAt(), d.callback(), d.message(),
                d.patient() == null ? null : new PatientView(d.patient().nhsNumber(), d.patient().name()),
                d.location() == null ? null : new LocationView(d.location().wardId(), d.location().bed()),
                d.type(), d.detail(), d.news2(), escalation(t), rollCall(t, hospital),
                events == null || !withTimeline ? null : timeline(events, t, hospital),
                t.handoverNote() == null ? null : new HandoverNoteView(t.handoverNote().text(),
                        person(t.handoverNote().by(), hospital), t.handoverNote().at()),
                events == null ? null : TimelineWords.latestReason(events, t, hospital),
                Boolean.TRUE.equals(d.messageNamesPatient()) ? Boolean.TRUE : null);
    }

    private static EscalationView escalation(Task t) {
        if (!t.escalates()) {
            return null;
        }
        int step = Math.max(1, Math.min(t.level(), t.policy().lastLevel()));
        return new EscalationView(t.policy().name(), t.level(), t.policy().lastLevel(), t.policy().step(step).name(),
                t.timer() == null ? null : t.timer().kind().code(), t.timer() == null ? null : t.timer().dueAt(),
                t.ownership().overdue() == null ? null : t.ownership().overdue().code());
    }

    private static RollCallView rollCall(Task t, Hospital hospital) {
        Task.RollCall roll = t.rollCall();
        if (roll == null) {
            return null;
        }
        return new RollCallView(roll.acknowledged().stream()
                .map(a -> new AckView(a.staffId(), person(a.staffId(), hospital).name(), a.at())).toList(),
                roll.missing().stream().map(id -> person(id, hospital)).toList(), roll.lastAlertedAt());
    }

    /**
     * Every event in words. Steps are named from the task's chain, which a reassignment replaces: events before the
     * last reassignment say only the step's number, never a name from the new chain.
     */
    private static List<TimelineEntry> timeline(List<TaskEvent> events, Task t, Hospital hospital) {
        int lastReassigned = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof TaskEvent.TaskReassigned) {
                lastReassigned = i;
            }
        }
        List<TimelineEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            entries.add(entry(events.get(i), i < lastReassigned ? null : t, hospital));
        }
        return entries;
    }

    private static TimelineEntry entry(TaskEvent e, Task t, Hospital hospital) {
        return new TimelineEntry(e.at(), e.getClass().getSimpleName(), person(e.actor(), hospital),
                TimelineWords.describe(e, t, hospital), e);
    }

    static TargetView target(Target target, Hospital hospital) {
        String name = target.type() == Target.Type.ROLE
                ? hospital.role(target.id()).map(Role::name).orElse(target.id())
                : target.type() == Target.Type.TEAM ? teamName(target.id())
                : hospital.staff(target.id()).map(Staff::displayName).orElse(target.id());
        return new TargetView(target.type().name().toLowerCase(), target.id(), name);
    }

    /** The seeded team ids read as names ("crash" → "Crash Team"); the id is the stable part. */
    private static String teamName(String teamId) {
        return teamId.isEmpty() ? teamId : Character.toUpperCase(teamId.charAt(0)) + teamId.substring(1) + " Team";
    }

    static PersonView person(String staffId, Hospital hospital) {
        if (staffId == null) {
            return null;
        }
        return new PersonView(staffId, hospital.staff(staffId).map(Staff::displayName).orElse(staffId));
    }
}
