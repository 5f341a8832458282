package org.pagerless.task;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.ProblemException;
import org.pagerless.platform.TextField;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.AcknowledgeBroadcast;
import org.pagerless.task.model.TaskCommand.AddHandoverNote;
import org.pagerless.task.model.TaskCommand.HandBackTask;
import org.pagerless.task.model.TaskCommand.RealertMissing;
import org.pagerless.task.model.TaskCommand.CancelTask;
import org.pagerless.task.model.TaskCommand.CompleteTask;
import org.pagerless.task.model.TaskCommand.DeclineTask;
import org.pagerless.task.model.TaskCommand.StartTask;
import org.pagerless.task.model.TaskStatus;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Read and act on tasks. Actions are commands to the task processor; the answer is its decision. Raising one
 * ({@code POST /api/v1/tasks}) is intake's ({@code intake.TaskRequestResource}).
 */
@Path("/api/v1/tasks")
@Tag(name = "Tasks")
public class TaskResource {
    @Inject
    TaskQueries queries;
    @Inject
    TaskActions actions;
    @Inject
    ReferenceData referenceData;
    @Inject
    SecurityIdentity identity;
    @Inject
    PatientReadAudit audit;
    @Inject
    TaskAccess access;

    /** Body of decline, complete, cancel, hand back ({@code reason}) and handover note ({@code note}). */
    public record ActionBody(String reason, String note) {
    }

    @GET
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "List tasks", description = "Most urgent first. Supervisors see every task; anyone else only "
            + "the tasks they raised, were offered or own; a hospital system also those of the wards in its scope.")
    public List<TaskView> list(@QueryParam("status") String status, @QueryParam("ward") String ward,
                               @QueryParam("priority") String priority, @QueryParam("limit") Integer limit) {
        TaskStatus wantedStatus = status == null ? null : java.util.Arrays.stream(TaskStatus.values())
                .filter(s -> s.code().equals(status)).findFirst()
                .orElseThrow(() -> new InvalidRequest("status", "unknown status '" + status + "'"));
        String wardId = ward == null ? null : referenceData.hospital().ward(ward)
                .orElseThrow(() -> new InvalidRequest("ward", "unknown ward '" + ward + "'")).id();
        Priority wantedPriority = priority == null ? null : Priority.fromCode(priority)
                .orElseThrow(() -> new InvalidRequest("priority", "must be one of routine, urgent, asap, stat"));
        int max = limit == null ? 200 : limit;
        if (max < 1 || max > 1000) {
            throw new InvalidRequest("limit", "must be between 1 and 1000");
        }
        Caller caller = caller();
        var hospital = referenceData.hospital();
        // An allow-list (TaskAccess): only supervisors see every task; anyone else the tasks they raised, were
        // offered or own, and a hospital system also those of the wards in its scope.
        List<TaskView> views = queries.listVisible(wantedStatus, wardId, wantedPriority, access.of(caller), max)
                .stream().map(t -> TaskView.of(t, hospital)).toList();
        audit.readOverHttp("GET /api/v1/tasks", TaskView.patients(views));
        return views;
    }

    @GET
    @Path("{id}")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "A task with its whole timeline")
    public TaskView get(@PathParam("id") String id) {
        UUID taskId = taskId(id);
        Task task = queries.find(taskId).orElseThrow(() -> ProblemException.notFound("no task with id " + id));
        Caller caller = caller();
        if (!access.maySee(caller, task)) {
            throw ProblemException.forbidden("this task has not been offered to you");
        }
        return audited("GET /api/v1/tasks/{id}", TaskView.of(task, referenceData.hospital(), queries.timeline(taskId)));
    }

    @POST
    @Path("{id}/accept")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN})
    @Operation(summary = "Accept a task offered to you", description = "200 with the task now yours; 409 naming "
            + "who has it if someone accepted first.")
    public Response accept(@PathParam("id") String id, @HeaderParam("Idempotency-Key") String key) {
        return act(id, "accept", key, cmd -> new AcceptTask(cmd, taskId(id), caller().staffId()));
    }

    @POST
    @Path("{id}/acknowledge")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN})
    @Operation(summary = "Acknowledge a broadcast sent to you", description = "200 with the broadcast and its "
            + "roll-call; acknowledging again changes nothing.")
    public Response acknowledge(@PathParam("id") String id, @HeaderParam("Idempotency-Key") String key) {
        Task task = queries.find(taskId(id)).orElseThrow(() -> ProblemException.notFound("no task with id " + id));
        String me = caller().staffId();
        if (task.rollCall() != null && task.rollCall().acknowledged().stream().anyMatch(a -> a.staffId().equals(me))) {
            // Acknowledging again decides nothing new (the model ignores it): answer with the broadcast as it stands.
            return Response.ok(audited("POST /api/v1/tasks/{id}/acknowledge", TaskView.of(task, referenceData.hospital())))
                    .type(MediaType.APPLICATION_JSON).build();
        }
        return act(id, "acknowledge", key, cmd -> new AcknowledgeBroadcast(cmd, taskId(id), caller().staffId()));
    }

    @POST
    @Path("{id}/realert")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Alert again every member of a broadcast's team who has not acknowledged")
    public Response realert(@PathParam("id") String id, @HeaderParam("Idempotency-Key") String key) {
        Caller caller = caller();
        return act(id, "realert", key,
                cmd -> new RealertMissing(cmd, taskId(id), caller.staffId(), caller.isSupervisor()));
    }

    /** Body of reassign: exactly one of a role (id or name) or a person (staff id). */
    public record ReassignBody(String role, String person) {
    }

    @POST
    @Path("{id}/reassign")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Reassign a task to another role or person", description = "Offered to whoever holds "
            + "it now; those offered it before, and any owner, lose it. 409 if nobody holds the role now.")
    public Response reassign(@PathParam("id") String id, ReassignBody body, @HeaderParam("Idempotency-Key") String key) {
        var hospital = referenceData.hospital();
        Target to;
        if (body != null && body.role() != null && !body.role().isBlank()) {
            to = Target.role(hospital.role(body.role().trim())
                    .orElseThrow(() -> new InvalidRequest("role", "unknown role '" + body.role() + "'")).id());
        } else if (body != null && body.person() != null && !body.person().isBlank()) {
            to = Target.person(hospital.staff(body.person().trim())
                    .orElseThrow(() -> new InvalidRequest("person", "unknown person '" + body.person() + "'")).id());
        } else {
            throw new InvalidRequest("role", "give a role or a person to reassign to");
        }
        Caller caller = caller();
        return act(id, "reassign", key,
                cmd -> new TaskCommand.ReassignTask(cmd, taskId(id), caller.staffId(), to, caller.isSupervisor()));
    }

    @POST
    @Path("{id}/escalate")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Escalate now", description = "Moves an unaccepted task to the next step of its chain at "
            + "once; those offered it keep it. 409 if it is accepted, has no chain or is at its last step.")
    public Response escalate(@PathParam("id") String id, @HeaderParam("Idempotency-Key") String key) {
        Caller caller = caller();
        return act(id, "escalate", key,
                cmd -> new TaskCommand.EscalateNow(cmd, taskId(id), caller.staffId(), caller.isSupervisor()));
    }

    @POST
    @Path("{id}/decline")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN})
    @Operation(summary = "Decline a task offered to you, with a reason")
    public Response decline(@PathParam("id") String id, ActionBody body, @HeaderParam("Idempotency-Key") String key) {
        String reason = TextField.required("reason", body == null ? null : body.reason(), 200,
                "say why you cannot take it");
        return act(id, "decline", key, cmd -> new DeclineTask(cmd, taskId(id), caller().staffId(), reason));
    }

    @POST
    @Path("{id}/hand-back")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN})
    @Operation(summary = "Hand back a task you own, with a reason", description = "The task is offered again to "
            + "the role's other holders now (never back to you), or moves to the next step of its chain when nobody "
            + "else holds the role; its escalation timer starts again. 400 without a reason; 403 if it is not yours.")
    public Response handBack(@PathParam("id") String id, ActionBody body, @HeaderParam("Idempotency-Key") String key) {
        String reason = TextField.required("reason", body == null ? null : body.reason(), 200,
                "say why you are handing it back");
        return act(id, "hand-back", key, cmd -> new HandBackTask(cmd, taskId(id), caller().staffId(), reason));
    }

    @POST
    @Path("{id}/handover-note")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN})
    @Operation(summary = "Leave a handover note on a task you own", description = "When your shift ends the task "
            + "is offered to whoever holds its role then, with this note (otherwise with \"shift ended 08:00, handed "
            + "over from <you>\"). A later note replaces an earlier one. 400 without a note.")
    public Response handoverNote(@PathParam("id") String id, ActionBody body,
                                 @HeaderParam("Idempotency-Key") String key) {
        String note = TextField.required("note", body == null ? null : body.note(), 500,
                "what should whoever takes over know?");
        return act(id, "handover-note", key, cmd -> new AddHandoverNote(cmd, taskId(id), caller().staffId(), note));
    }

    @POST
    @Path("{id}/start")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN})
    @Operation(summary = "Start a task you own")
    public Response start(@PathParam("id") String id, @HeaderParam("Idempotency-Key") String key) {
        return act(id, "start", key, cmd -> new StartTask(cmd, taskId(id), caller().staffId()));
    }

    @POST
    @Path("{id}/complete")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN})
    @Operation(summary = "Complete a task you own, with an optional note")
    public Response complete(@PathParam("id") String id, ActionBody body, @HeaderParam("Idempotency-Key") String key) {
        String note = TaskActions.optionalText("note", body == null ? null : body.note());
        return act(id, "complete", key, cmd -> new CompleteTask(cmd, taskId(id), caller().staffId(), note));
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "Cancel a task", description = "The requester may cancel their own; switchboard, "
            + "nurse-in-charge, coordinator and admin may cancel any.")
    public Response cancel(@PathParam("id") String id, ActionBody body, @HeaderParam("Idempotency-Key") String key) {
        String reason = TaskActions.optionalText("reason", body == null ? null : body.reason());
        Caller caller = caller();
        return act(id, "cancel", key,
                cmd -> new CancelTask(cmd, taskId(id), caller.staffId(), reason, caller.isSupervisor()));
    }

    private Response act(String id, String action, String idempotencyKey, Function<UUID, TaskCommand> command) {
        TaskActions.Outcome outcome = actions.act(caller(), taskId(id), action, idempotencyKey, command);
        if (outcome instanceof TaskActions.Done done) {
            return Response.ok(audited("POST /api/v1/tasks/{id}/" + action,
                    TaskView.of(done.task(), referenceData.hospital()))).type(MediaType.APPLICATION_JSON).build();
        }
        // Taken by the broker but not yet decided: the client can follow the Location.
        return Response.accepted(Map.of("id", outcome.taskId(), "status", "processing"))
                .location(URI.create("/api/v1/tasks/" + outcome.taskId())).build();
    }

    private TaskView audited(String channel, TaskView view) {
        audit.readOverHttp(channel, TaskView.patients(List.of(view)));
        return view;
    }

    private static UUID taskId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no task with id " + id);
        }
    }

    private Caller caller() {
        return Caller.of(identity);
    }
}
