package org.pagerless.intake;

import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.intake.IntakeRequests.Accepted;
import org.pagerless.intake.IntakeRequests.TaskRequest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * A ward's request for clinical work ({@code POST /api/v1/tasks}). Raising is intake's: reading and acting on tasks
 * is {@code task.TaskResource}, on the same path.
 */
@Path("/api/v1/tasks")
@Tag(name = "Tasks")
public class TaskRequestResource {

    @Inject
    Intake intake;
    @Inject
    RaiseLimits limits;
    @Inject
    SecurityIdentity identity;

    @POST
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "Raise a clinical task", description = "Answers 202 once the broker has the request; "
            + "the task is then routed to whoever holds the target role now. 503 with Retry-After if the broker has "
            + "not taken it within 2 s (retry with the same Idempotency-Key); 429 with Retry-After when the caller has "
            + "raised too many (stat has its own, smaller budget).")
    public CompletionStage<Response> raise(TaskRequest request,
                                           @Parameter(description = "Retrying with the same key raises the task once")
                                           @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Caller caller = Caller.of(identity);
        limits.charge(caller, request == null ? null : request.priority());
        return intake.task(request, caller.staffId(), idempotencyKey).thenApply(Accepted::response);
    }
}
