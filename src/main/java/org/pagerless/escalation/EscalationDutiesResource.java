package org.pagerless.escalation;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.rota.ReferenceData;

import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

/** Which roles are each ward's nurse in charge, the H@N coordinator and switchboard, for escalation chains. */
@Path("/api/v1/escalation-duties")
@Tag(name = "Escalation")
@Authenticated
public class EscalationDutiesResource {

    @Inject
    EscalationDirectory directory;
    @Inject
    ReferenceData referenceData;

    @GET
    @Operation(summary = "The roles escalation chains end with")
    public DutiesDocument get() {
        return DutiesDocument.of(directory.duties());
    }

    @PUT
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Set the roles escalation chains end with", description = "Replaces all of them. "
            + "Switchboard is required; every ward and role must exist.")
    public DutiesDocument put(DutiesDocument body) {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
        directory.saveDuties(body.toDuties(referenceData.hospital()));
        return DutiesDocument.of(directory.duties());
    }
}
