package org.pagerless.board;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Staff;
import org.pagerless.rota.model.Ward;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.TaskView;
import org.pagerless.task.TaskView.PersonView;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskDeclined;
import org.pagerless.task.model.TaskStatus;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import org.pagerless.identity.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * Read models for the nurse-in-charge board and the switchboard console: open tasks with what
 * happened to them last, the alerts that need a human, and who holds which role now.
 */
@Path("/api/v1/board")
@Tag(name = "Board")
public class BoardResource {
    private static final List<TaskStatus> OPEN = List.of(TaskStatus.REQUESTED, TaskStatus.OFFERED,
            TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS);
    /** A failed chain stays in the alert queue this long; by then a human has dealt with it or it is history. */
    private static final Duration FAILED_SHOWN_FOR = Duration.ofHours(12);
    private static final int MAX_PER_STATUS = 500;

    @Inject
    TaskQueries queries;
    @Inject
    PatientReadAudit audit;
    @Inject
    StaffNow staffNow;
    @Inject
    AlertClaims claims;
    @Inject
    SecurityIdentity identity;
    @Inject
    org.pagerless.escalation.EscalationRouting routing;

    /** Someone said no, and why. */
    public record Decline(PersonView by, String reason, Instant at) {
    }

    /**
     * Why a human must step in, in words, and since when; who has claimed it (is dealing with it) and when, if
     * anyone has.
     */
    public record Alert(String reason, String explanation, Instant at, PersonView claimedBy, Instant claimedAt) {
        Alert(String reason, String explanation, Instant at) {
            this(reason, explanation, at, null, null);
        }

        Alert claimed(PersonView by, Instant when) {
            return new Alert(reason, explanation, at, by, when);
        }
    }

    /**
     * An open task as the board lists it: the task, whether anyone has it yet, its declines, its open alert, and where
     * its chain goes next if nobody accepts.
     */
    public record BoardTask(TaskView task, boolean unaccepted, List<Decline> declines, Alert alert, NextStep next) {
        BoardTask(TaskView task, boolean unaccepted, List<Decline> declines, Alert alert) {
            this(task, unaccepted, declines, alert, null);
        }

        BoardTask with(TaskView view, Alert newAlert) {
            return new BoardTask(view, unaccepted, declines, newAlert, next);
        }
    }

    /**
     * Where an unaccepted task goes when its timer runs out: step {@code step} ({@code name}) and the people it would
     * add now, at {@code at}. {@code step} 0: the chain ends there and switchboard and the nurse in charge are told.
     */
    public record NextStep(int step, String name, List<PersonView> people, Instant at) {
    }

    /** A role with its holders now and the wards it covers. */
    public record RoleNow(String id, String name, String specialty, String bleep, List<String> covers,
                          List<StaffNow.Holder> holders) {
    }

    /** A person the switchboard may bleep, with the roles they hold now. */
    public record Person(String id, String name, String grade, List<String> rolesNow) {
    }

    /**
     * A ward: the roles covering it in the order they are asked, the one a request goes to now
     * ({@code suggestedRoleId}), and the roles worth watching from its board.
     */
    public record WardNow(String id, String name, List<String> coveringRoleIds, String suggestedRoleId,
                          List<String> relevantRoleIds) {
    }

    public record Directory(List<RoleNow> roles, List<Person> people, List<WardNow> wards) {
    }

    @GET
    @Path("tasks")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Open tasks for the board", description = "Unaccepted first (alerts at the top), then "
            + "the most escalated, the most urgent and the oldest; each with its declines and any open alert. "
            + "With show=done: the tasks completed, cancelled or failed in the last 12 hours, latest first.")
    public List<BoardTask> tasks(@QueryParam("ward") String ward, @QueryParam("priority") String priority,
                                 @QueryParam("show") String show) {
        Hospital hospital = staffNow.hospital();
        String wardId = ward == null || ward.isBlank() ? null : hospital.ward(ward)
                .orElseThrow(() -> new InvalidRequest("ward", "unknown ward '" + ward + "'")).id();
        Priority wanted = priority == null || priority.isBlank() ? null : Priority.fromCode(priority)
                .orElseThrow(() -> new InvalidRequest("priority", "choose stat, ASAP, urgent or routine"));
        if ("done".equals(show)) {
            return queries.closedSince(List.of(TaskStatus.COMPLETED, TaskStatus.CANCELLED, TaskStatus.FAILED), wardId,
                            staffNow.now().minus(FAILED_SHOWN_FOR), MAX_PER_STATUS).stream()
                    .filter(t -> wanted == null || t.priority() == wanted)
                    .map(t -> boardTask(t, hospital)).map(this::messageForWhoItConcerns).toList();
        }
        if (show != null && !show.isBlank() && !"open".equals(show)) {
            throw new InvalidRequest("show", "must be open or done");
        }
        List<BoardTask> open = new ArrayList<>();
        for (TaskStatus status : OPEN) {
            for (Task task : queries.list(status, wardId, wanted, null, MAX_PER_STATUS)) {
                open.add(boardTask(task, hospital));
            }
        }
        open.sort(BOARD_ORDER);
        audit.readOverHttp("GET /api/v1/board/tasks", TaskView.patients(open.stream().map(BoardTask::task).toList()));
        return withClaims(open, false).stream().map(this::messageForWhoItConcerns).toList();
    }

    @GET
    @Path("alerts")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Tasks that need a human", description = "Unaccepted tasks for which switchboard was "
            + "alerted (nobody held a role on the chain, everyone declined) or that are offered to switchboard "
            + "itself, and chains that failed recently; each until someone resolves it (POST "
            + "/api/v1/board/alerts/{id}/resolve), with who claimed it. Oldest first.")
    public List<BoardTask> alerts() {
        Hospital hospital = staffNow.hospital();
        List<BoardTask> alerts = new ArrayList<>();
        for (TaskStatus waiting : List.of(TaskStatus.REQUESTED, TaskStatus.OFFERED)) {
            for (Task task : queries.list(waiting, null, null, null, MAX_PER_STATUS)) {
                BoardTask b = boardTask(task, hospital);
                if (b.alert() != null) {
                    alerts.add(b);
                }
            }
        }
        Instant since = staffNow.now().minus(FAILED_SHOWN_FOR);
        for (Task task : queries.list(TaskStatus.FAILED, null, null, null, MAX_PER_STATUS)) {
            if (task.updatedAt().isAfter(since)) {
                BoardTask b = boardTask(task, hospital);
                alerts.add(b.alert() != null ? b : new BoardTask(b.task(), true, b.declines(),
                        new Alert("FAILED", "The escalation chain ran out: nobody accepted", task.updatedAt())));
            }
        }
        alerts.sort(Comparator.comparing((BoardTask b) -> b.alert().at()));
        audit.readOverHttp("GET /api/v1/board/alerts", TaskView.patients(alerts.stream().map(BoardTask::task).toList()));
        return withClaims(alerts, true);
    }

    @GET
    @Path("directory")
    @Authenticated
    @Operation(summary = "Roles, people and wards, with who holds what now",
            description = "For type-ahead and 'who holds' views. Holders carry the end of their shift.")
    public Directory directory() {
        Hospital hospital = staffNow.hospital();
        List<RoleNow> roles = hospital.roles().stream().sorted(Comparator.comparing(Role::name))
                .map(r -> new RoleNow(r.id(), r.name(), r.specialty(), r.bleep(), covers(r, hospital),
                        staffNow.holdersOf(r)))
                .toList();
        List<Person> people = people(hospital);
        List<WardNow> wards = hospital.wards().stream().sorted(Comparator.comparing(Ward::name))
                .map(w -> new WardNow(w.id(), w.name(), w.coveringRoleIds(),
                        hospital.coveringRole(w, staffNow.now()).map(Role::id).orElse(null), relevant(w, hospital)))
                .toList();
        return new Directory(roles, people, wards);
    }

    private List<Person> people(Hospital hospital) {
        return hospital.allStaff().stream()
                .filter(s -> !AppRoles.INTEGRATION.equals(s.appRole()))
                .sorted(Comparator.comparing(Staff::displayName))
                .map(s -> new Person(s.id(), s.displayName(), s.grade(),
                        staffNow.rolesOf(s.id()).stream().map(StaffNow.OnShift::roleName).toList()))
                .toList();
    }

    private static List<String> covers(Role role, Hospital hospital) {
        return hospital.wards().stream().filter(w -> w.coveringRoleIds().contains(role.id())).map(Ward::id).sorted()
                .toList();
    }

    /** The roles that cover the ward, then the on-call roles of the same specialties that cover no ward (seniors). */
    private static List<String> relevant(Ward ward, Hospital hospital) {
        Set<String> ids = new LinkedHashSet<>(ward.coveringRoleIds());
        Set<String> specialties = new LinkedHashSet<>();
        ward.coveringRoleIds().forEach(id -> hospital.role(id).ifPresent(r -> specialties.add(r.specialty())));
        hospital.roles().stream()
                .filter(r -> specialties.contains(r.specialty()) && covers(r, hospital).isEmpty())
                .sorted(Comparator.comparing(Role::name))
                .forEach(r -> ids.add(r.id()));
        return List.copyOf(ids);
    }

    /**
     * Each alert with who claimed it; with {@code dropResolved}, alerts someone has resolved since they were raised
     * are left out (the board keeps showing the task, the console's queue does not).
     */
    private List<BoardTask> withClaims(List<BoardTask> tasks, boolean dropResolved) {
        List<java.util.UUID> ids = tasks.stream().filter(b -> b.alert() != null).map(b -> b.task().id()).toList();
        java.util.Map<java.util.UUID, AlertClaims.Claim> found = claims.of(ids);
        List<BoardTask> shown = new ArrayList<>();
        for (BoardTask b : tasks) {
            AlertClaims.Claim claim = b.alert() == null ? null : found.get(b.task().id());
            if (claim != null && dropResolved && claim.resolves(b.alert().at())) {
                continue;
            }
            shown.add(claim == null || claim.claimedBy() == null ? b
                    : b.with(b.task(), b.alert().claimed(person(claim.claimedBy()), claim.claimedAt())));
        }
        return shown;
    }

    private BoardTask boardTask(Task task, Hospital hospital) {
        List<TaskEvent> timeline = queries.timeline(task.id());
        List<Decline> declines = new ArrayList<>();
        SwitchboardAlerted latestAlert = null;
        Instant toSwitchboardAt = null;
        for (TaskEvent e : timeline) {
            if (e instanceof TaskDeclined declined) {
                declines.add(new Decline(person(declined.actor()), declined.reason(), declined.at()));
            }
            if (e instanceof SwitchboardAlerted alerted) {
                latestAlert = alerted;
            }
            if (e instanceof TaskEvent.TaskOffered offered && offered.offeredTo().stream().anyMatch(this::onSwitchboard)) {
                toSwitchboardAt = e.at();
            }
        }
        boolean unaccepted = task.status() == TaskStatus.REQUESTED || task.status() == TaskStatus.OFFERED;
        // An alert stands until someone accepts: the chain moving on to other people does not answer it.
        Alert alert = null;
        if (unaccepted && latestAlert != null) {
            alert = new Alert(latestAlert.reason().name(), explain(latestAlert, task, hospital), latestAlert.at());
        } else if (unaccepted && task.offeredTo().stream().anyMatch(this::onSwitchboard)) {
            // Handed or escalated to switchboard itself: an operator must find someone, so it is an alert too.
            alert = new Alert("OFFERED_TO_SWITCHBOARD", "Passed to switchboard: find someone to take it",
                    toSwitchboardAt == null ? task.updatedAt() : toSwitchboardAt);
        }
        return new BoardTask(TaskView.of(task, hospital, timeline, false), unaccepted, declines, alert,
                next(task, hospital));
    }

    /** Where the chain goes if nobody accepts in time: the same step again, the next step, or its end. */
    private NextStep next(Task task, Hospital hospital) {
        if (!task.escalates() || task.owner() != null || !task.status().isOpen() || task.timer() == null
                || task.timer().kind() != org.pagerless.task.model.TimerKind.ACK_TIMEOUT) {
            return null;
        }
        org.pagerless.task.model.EscalationPolicy chain = task.policy();
        int level = Math.max(1, Math.min(task.level(), chain.lastLevel()));
        boolean again = task.escalation().round() < chain.step(level).repeat();
        if (!again && level >= chain.lastLevel()) {
            return new NextStep(0, "end of the chain: switchboard and the nurse in charge are told", List.of(),
                    task.timer().dueAt());
        }
        int at = again ? level : level + 1;
        org.pagerless.task.model.ResolvedStep step = routing.forTask(task, hospital, staffNow.now()).steps()
                .get(at - 1);
        List<PersonView> people = step.holders().stream()
                .filter(id -> !task.offer().declinedBy().contains(id) && !id.equals(task.requester()))
                .map(this::person).toList();
        return new NextStep(at, step.name(), people, task.timer().dueAt());
    }

    /**
     * A bleep's free-text message only for those it concerns (who sent it, who it is offered to or owned by, and
     * switchboard, who sent most of them): a ward board is seen by passers-by, and a message may name a patient.
     */
    private BoardTask messageForWhoItConcerns(BoardTask b) {
        TaskView t = b.task();
        if (!"bleep".equals(t.kind()) || t.message() == null) {
            return b;
        }
        Caller caller = Caller.of(identity);
        boolean concerned = AppRoles.SWITCHBOARD.equals(caller.appRole())
                || (t.requester() != null && caller.staffId().equals(t.requester().id()))
                || (t.owner() != null && caller.staffId().equals(t.owner().id()))
                || t.offeredTo().stream().anyMatch(p -> caller.staffId().equals(p.id()));
        return concerned ? b : b.with(t.withoutMessage(), b.alert());
    }

    private boolean onSwitchboard(String staffId) {
        return staffNow.staff(staffId).map(s -> AppRoles.SWITCHBOARD.equals(s.appRole())).orElse(false);
    }

    private static String explain(SwitchboardAlerted alerted, Task task, Hospital hospital) {
        String target = task.target().type() == org.pagerless.task.model.Target.Type.ROLE
                ? hospital.role(task.target().id()).map(Role::name).orElse(task.target().id())
                : hospital.staff(task.target().id()).map(Staff::displayName).orElse(task.target().id());
        if (alerted.reason() == TaskEvent.AlertReason.NO_HOLDER) {
            return "Nobody holds " + target + " now";
        }
        if (alerted.reason() == TaskEvent.AlertReason.CHAIN_EXHAUSTED) {
            return "The escalation chain ran out: nobody accepted";
        }
        return "Everyone offered it declined (" + target + ")";
    }

    private PersonView person(String staffId) {
        return new PersonView(staffId, staffNow.nameOf(staffId));
    }

    private static final Comparator<BoardTask> BOARD_ORDER = Comparator
            .comparing((BoardTask b) -> !b.unaccepted())
            .thenComparing(b -> b.alert() == null)
            .thenComparing(b -> -b.task().level())
            .thenComparing(b -> -Priority.fromCode(b.task().priority()).map(Priority::rank).orElse(0))
            .thenComparing(b -> b.task().raisedAt());
}
