package org.pagerless.broadcast;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.intake.Intake;
import org.pagerless.intake.IntakeRequests.Accepted;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.TextField;
import org.pagerless.rota.Teams;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * 2222 / major-incident broadcasts: switchboard alerts a whole team at once. The task processor offers the
 * broadcast to every current holder of the team's roles; each acknowledges ({@code POST /api/v1/tasks/{id}/acknowledge})
 * and the task's {@code rollCall} shows who has and who has not.
 */
@Path("/api/v1")
@Tag(name = "Broadcasts")
public class BroadcastResource {
    @Inject
    Teams teams;
    @Inject
    Intake intake;
    @Inject
    SecurityIdentity identity;

    public record BroadcastRequest(String team, String message, String location) {
    }

    @GET
    @Path("teams")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "The teams a broadcast can go to, with their roles")
    public List<Teams.Team> teams() {
        return teams.all();
    }

    @POST
    @Path("broadcasts")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Broadcast to a team (2222 / major incident)", description = "202 once the broker has it; "
            + "every current holder of the team's roles is alerted at once and must acknowledge.")
    @Blocking // finding the team reads the database
    public CompletionStage<Response> broadcast(BroadcastRequest request,
                                               @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (request == null || request.team() == null || request.team().isBlank()) {
            throw new InvalidRequest("team", "is required");
        }
        Teams.Team team = teams.find(request.team().trim())
                .orElseThrow(() -> new InvalidRequest("team", "unknown team '" + request.team() + "'"));
        String message = TextField.required("message", request.message(), 200, "say what the emergency is");
        String location = TextField.optional("location", request.location(), 100);
        return intake.broadcast(team.id(), message, location, Caller.of(identity).staffId(), idempotencyKey)
                .thenApply(Accepted::response);
    }
}
