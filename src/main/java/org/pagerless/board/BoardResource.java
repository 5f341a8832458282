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

    /** Someone said no, and why. */
    public record Decline(PersonView by, String reason, Instant at) {
    }

    /** Why a human must step in, in words, and since when. */
    public record Alert(String reason, String explanation, Instant at) {
    }

    /** An open task as the board lists it: the task, whether anyone has it yet, its declines, its open alert. */
    public record BoardTask(TaskView task, boolean unaccepted, List<Decline> declines, Alert alert) {
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
            + "the most escalated, the most urgent and the oldest; each with its declines and any open alert.")
    public List<BoardTask> tasks(@QueryParam("ward") String ward, @QueryParam("priority") String priority) {
        Hospital hospital = staffNow.hospital();
        String wardId = ward == null || ward.isBlank() ? null : hospital.ward(ward)
                .orElseThrow(() -> new InvalidRequest("ward", "unknown ward '" + ward + "'")).id();
        Priority wanted = priority == null || priority.isBlank() ? null : Priority.fromCode(priority)
                .orElseThrow(() -> new InvalidRequest("priority", "must be one of routine, urgent, asap, stat"));
        List<BoardTask> open = new ArrayList<>();
        for (TaskStatus status : OPEN) {
            for (Task task : queries.list(status, wardId, wanted, null, MAX_PER_STATUS)) {
                open.add(boardTask(task, hospital));
            }
        }
        open.sort(BOARD_ORDER);
        audit.readOverHttp("GET /api/v1/board/tasks", TaskView.patients(open.stream().map(BoardTask::task).toList()));
        return open;
    }

    @GET
    @Path("alerts")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Tasks that need a human", description = "Unaccepted tasks for which switchboard was "
            + "alerted (nobody held a role on the chain), and chains that failed recently. Oldest first.")
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
        return alerts;
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

    private BoardTask boardTask(Task task, Hospital hospital) {
        List<TaskEvent> timeline = queries.timeline(task.id());
        List<Decline> declines = new ArrayList<>();
        SwitchboardAlerted latestAlert = null;
        for (TaskEvent e : timeline) {
            if (e instanceof TaskDeclined declined) {
                declines.add(new Decline(person(declined.actor()), declined.reason(), declined.at()));
            }
            if (e instanceof SwitchboardAlerted alerted) {
                latestAlert = alerted;
            }
        }
        boolean unaccepted = task.status() == TaskStatus.REQUESTED || task.status() == TaskStatus.OFFERED;
        // An alert stands until someone accepts: the chain moving on to other people does not answer it.
        Alert alert = null;
        if (unaccepted && latestAlert != null) {
            alert = new Alert(latestAlert.reason().name(), explain(latestAlert, task, hospital), latestAlert.at());
        }
        return new BoardTask(TaskView.of(task, hospital), unaccepted, declines, alert);
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
