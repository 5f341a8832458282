package org.pagerless.interop.fhir;

import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Task;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.intake.Intake;
import org.pagerless.interop.hl7v2.PatientLocations;
import org.pagerless.intake.IntakeRequests.Accepted;
import org.pagerless.intake.IntakeRequests.LocationIn;
import org.pagerless.intake.IntakeRequests.TaskRequest;
import org.pagerless.intake.IntakeRequests.To;
import org.pagerless.intake.NhsNumber;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.ProblemException;
import org.pagerless.platform.TextField;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Staff;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.task.TaskAccess;
import org.pagerless.task.TaskView;
import org.pagerless.task.TaskActions;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.CancelTask;
import org.pagerless.task.model.TaskCommand.CompleteTask;
import org.pagerless.task.model.TaskCommand.DeclineTask;
import org.pagerless.task.model.TaskCommand.StartTask;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The FHIR R4 API (docs/integration.md): {@code Task} and {@code CommunicationRequest} in, {@code Task} out, through
 * the same intake and task actions as the REST API. Errors become {@code OperationOutcome} in {@link FhirErrors}.
 */
@Path("/fhir")
@Tag(name = "FHIR R4", description = "Tasks and bleeps as FHIR R4 resources (application/fhir+json or +xml)")
public class FhirResource {
    private static final Date STARTED = new Date();

    @Inject
    Fhir fhir;
    @Inject
    Intake intake;
    @Inject
    TaskQueries queries;
    @Inject
    TaskActions actions;
    @Inject
    TaskAccess access;
    @Inject
    PatientReadAudit audit;
    @Inject
    FhirTaskSearch search;
    @Inject
    PatientLocations patientLocations;
    @Inject
    ReferenceData referenceData;
    @Inject
    SecurityIdentity identity;
    @Inject
    java.time.InstantSource clock;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;

    @GET
    @Path("metadata")
    @PermitAll
    @Operation(summary = "CapabilityStatement: what this FHIR server does")
    public Response metadata(@QueryParam("_format") String format) {
        return ok(FhirCapability.statement(base(), STARTED), format);
    }

    @POST
    @Path("Task")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "Raise a task", description = "202 Accepted with Location /fhir/Task/{id} once the broker "
            + "has it; the task is then routed. A Task.identifier makes a retry raise it once.")
    public CompletionStage<Response> createTask(String body, @QueryParam("_format") String format) {
        Task task = fhir.parse(Task.class, body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        if (task.hasStatus() && task.getStatus() != Task.TaskStatus.REQUESTED) {
            throw new InvalidRequest("Task.status", "must be requested to raise a task");
        }
        String key = task.hasIdentifier() ? task.getIdentifierFirstRep().getSystem() + "|"
                + task.getIdentifierFirstRep().getValue() : null;
        return intake.task(whereAdtSays(FhirTasks.toRequest(task)), caller().staffId(), key)
                .thenApply(a -> accepted(a, format));
    }

    /**
     * A task with a patient but no location goes where the ADT feed last placed the patient (ward and bed), and,
     * with no other target, to that ward's covering role.
     */
    private TaskRequest whereAdtSays(TaskRequest request) {
        if (request.location() != null || request.patient() == null || request.patient().nhsNumber() == null
                || NhsNumber.problem(request.patient().nhsNumber()).isPresent()) {
            return request;
        }
        return patientLocations.of(NhsNumber.normalise(request.patient().nhsNumber()))
                .map(where -> new TaskRequest(request.to() != null ? request.to()
                        : new To(null, null, null, where.wardId()), request.patient(),
                        new LocationIn(where.wardId(), where.bed()), request.type(), request.detail(),
                        request.priority(), request.news2(), request.fyi()))
                .orElse(request);
    }

    @POST
    @Path("CommunicationRequest")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "Bleep a role, person or bleep number", description = "202 Accepted with the Location of "
            + "the Task that tracks the bleep.")
    public CompletionStage<Response> createCommunicationRequest(String body, @QueryParam("_format") String format) {
        CommunicationRequest request = fhir.parse(CommunicationRequest.class, body,
                headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        String key = request.hasIdentifier() ? request.getIdentifierFirstRep().getSystem() + "|"
                + request.getIdentifierFirstRep().getValue() : null;
        return intake.bleep(FhirCommunication.toRequest(request), caller().staffId(), key)
                .thenApply(a -> accepted(a, format));
    }

    @GET
    @Path("Task/{id}")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "Read a task", description = "With its whole timeline as contained Provenance resources.")
    public Response readTask(@PathParam("id") String id, @QueryParam("_format") String format) {
        UUID taskId = taskId(id);
        var task = queries.find(taskId).orElseThrow(() -> ProblemException.notFound("no Task with id " + id));
        Caller caller = caller();
        if (!access.maySee(caller, task)) {
            throw ProblemException.forbidden("this task has not been offered to you");
        }
        audit.readOverHttp("GET /fhir/Task/{id}", TaskView.patientsOf(List.of(task)));
        return ok(FhirTasks.toFhir(task, referenceData.hospital(), queries.timeline(taskId)), format);
    }

    @GET
    @Path("Task")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "Search tasks", description = "status, owner, requester, patient:identifier, priority, "
            + "ward, _lastUpdated, _count; a searchset Bundle with next/previous links. Unknown parameters are "
            + "refused (400), never ignored. As on the REST API, only supervisors see every task; others the tasks "
            + "they are involved in, and a hospital system also those of the wards in its scope.")
    public Response searchTasks(@QueryParam("_format") String format) {
        return ok(search.search(uri.getQueryParameters(), caller(), base()), format);
    }

    @GET
    @Path("PractitionerRole")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "Who is on call", description = "role (id or name) or ward (its covering roles), now or "
            + "at date=; each holder as a PractitionerRole with the role's bleep as a pager telecom.")
    public Response searchPractitionerRoles(@QueryParam("_format") String format) {
        return ok(FhirPractitionerRoles.search(uri.getQueryParameters(), referenceData.hospital(), clock.instant(),
                base()), format);
    }

    @PUT
    @Path("Task/{id}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "Change a task's status", description = "accepted, rejected (statusReason), in-progress, "
            + "completed (note) or cancelled (statusReason), with the REST API's rules: 200 with the task after it, "
            + "403 not yours, 409 naming who has it or why not. A hospital system acts for someone by naming them "
            + "(Practitioner/<id>) as the agent of an X-Provenance header.")
    public Response updateTask(@PathParam("id") String id, String body, @QueryParam("_format") String format,
                               @HeaderParam("X-Provenance") String provenance,
                               @HeaderParam("Idempotency-Key") String key) {
        UUID taskId = taskId(id);
        Task incoming = fhir.parse(Task.class, body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        if (incoming.hasIdElement() && incoming.getIdElement().hasIdPart()
                && !id.equals(incoming.getIdElement().getIdPart())) {
            throw new InvalidRequest("Task.id", "must be the id in the URL");
        }
        if (!incoming.hasStatus()) {
            throw new InvalidRequest("Task.status", "is required");
        }
        Caller actor = actingFor(provenance);
        String reason = incoming.hasStatusReason() ? incoming.getStatusReason().getText() : null;
        TaskActions.Outcome outcome = switch (incoming.getStatus()) {
            case ACCEPTED -> actions.act(actor, taskId, "accept", key,
                    cmd -> new AcceptTask(cmd, taskId, actor.staffId()));
            case REJECTED -> {
                String why = TextField.required("Task.statusReason", reason, 200, "say why you cannot take it");
                yield actions.act(actor, taskId, "decline", key,
                        cmd -> new DeclineTask(cmd, taskId, actor.staffId(), why));
            }
            case INPROGRESS -> actions.act(actor, taskId, "start", key,
                    cmd -> new StartTask(cmd, taskId, actor.staffId()));
            case COMPLETED -> {
                String note = TaskActions.optionalText("Task.note",
                        incoming.hasNote() ? incoming.getNoteFirstRep().getText() : null);
                yield actions.act(actor, taskId, "complete", key,
                        cmd -> new CompleteTask(cmd, taskId, actor.staffId(), note));
            }
            case CANCELLED -> {
                String why = TaskActions.optionalText("Task.statusReason", reason);
                yield actions.act(actor, taskId, "cancel", key,
                        cmd -> new CancelTask(cmd, taskId, actor.staffId(), why, actor.isSupervisor()));
            }
            default -> throw new InvalidRequest("Task.status",
                    "can be changed only to accepted, rejected, in-progress, completed or cancelled");
        };
        if (outcome instanceof TaskActions.Done done) {
            audit.readOverHttp("PUT /fhir/Task/{id}", TaskView.patientsOf(List.of(done.task())));
            return ok(FhirTasks.toFhir(done.task(), referenceData.hospital(), null), format);
        }
        return Response.accepted(fhir.encode(information("the change was taken and is being applied; read "
                        + "Task/" + taskId + " for the outcome"), mediaType(format)))
                .type(mediaType(format)).location(URI.create(base() + "Task/" + taskId)).build();
    }

    /**
     * Who the change is for: the signed-in person; or, for a hospital system, the member of staff it names as the
     * agent of an X-Provenance header (FHIR R4's way to say who is behind a change).
     */
    private Caller actingFor(String provenanceHeader) {
        Caller caller = caller();
        if (provenanceHeader == null || provenanceHeader.isBlank()) {
            return caller;
        }
        Provenance provenance = fhir.parse(Provenance.class, provenanceHeader,
                provenanceHeader.trim().startsWith("<") ? Fhir.XML : Fhir.JSON);
        String who = provenance.getAgentFirstRep().getWho().getReferenceElement().getIdPart();
        if (who == null || !"Practitioner".equals(provenance.getAgentFirstRep().getWho().getReferenceElement()
                .getResourceType())) {
            throw new InvalidRequest("X-Provenance.agent.who", "must reference Practitioner/<staff id>");
        }
        if (who.equals(caller.staffId())) {
            return caller;
        }
        if (!AppRoles.INTEGRATION.equals(caller.appRole())) {
            throw ProblemException.forbidden("only a hospital system may act for someone else");
        }
        Staff staff = referenceData.hospital().staff(who).filter(s -> !AppRoles.INTEGRATION.equals(s.appRole()))
                .orElseThrow(() -> new InvalidRequest("X-Provenance.agent.who", "unknown member of staff '" + who + "'"));
        return new Caller(staff.id(), staff.appRole());
    }

    private Response accepted(Accepted accepted, String format) {
        String location = base() + "Task/" + accepted.id();
        return Response.accepted(fhir.encode(information("accepted as Task/" + accepted.id()
                        + "; it is being routed to whoever holds the role now"), mediaType(format)))
                .type(mediaType(format)).location(URI.create(location)).header("Content-Location", location).build();
    }

    private static OperationOutcome information(String text) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                .setDiagnostics(text);
        return outcome;
    }

    private Response ok(IBaseResource resource, String format) {
        String type = mediaType(format);
        return Response.ok(fhir.encode(resource, type)).type(type).build();
    }

    private String mediaType(String format) {
        return fhir.mediaType(format, headers.getAcceptableMediaTypes());
    }

    private String base() {
        return uri.getBaseUri().resolve("fhir/").toString();
    }

    private static UUID taskId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no Task with id " + id);
        }
    }

    private Caller caller() {
        return Caller.of(identity);
    }
}
