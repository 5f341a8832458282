package org.pagerless.intake;

import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.intake.IntakeRequests.Accepted;
import org.pagerless.intake.IntakeRequests.BleepRequest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** Switchboard's bleep: "please call 4417", to a role, a person, a bleep number or a ward. */
@Path("/api/v1/bleeps")
@Tag(name = "Bleeps")
public class BleepResource {

    @Inject
    Intake intake;
    @Inject
    RaiseLimits limits;
    @Inject
    SecurityIdentity identity;

    @POST
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "Bleep someone", description = "Answers 202 with the task id once the broker has the bleep; "
            + "503 with Retry-After if the broker has not taken it within 2 s (retry with the same Idempotency-Key); "
            + "429 with Retry-After when the caller has raised too many (stat has its own, smaller budget).")
    public CompletionStage<Response> bleep(BleepRequest request,
                                           @Parameter(description = "Retrying with the same key bleeps once")
                                           @HeaderParam("Idempotency-Key") String idempotencyKey) {
        limits.charge(Caller.of(identity), request == null ? null : request.priority());
        return intake.bleep(request, Caller.of(identity).staffId(), idempotencyKey).thenApply(Accepted::response);
    }
}
