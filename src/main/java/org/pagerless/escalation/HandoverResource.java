package org.pagerless.escalation;

import java.time.InstantSource;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.escalation.model.Handover;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Hospital;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.TaskView;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** What the nurse in charge, coordinator and switchboard check at shift change. */
@Path("/api/v1/handover")
@Tag(name = "Escalation")
public class HandoverResource {

    @Inject
    TaskQueries queries;
    @Inject
    PatientReadAudit audit;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;

    @GET
    @Path("orphans")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Open tasks owned by staff who are now off duty", description = "Accepted or started "
            + "tasks whose owner holds no role on the rota now: someone on duty must take them over. "
            + "Should always be empty.")
    public List<TaskView> orphans() {
        Hospital hospital = referenceData.hospital();
        List<TaskView> orphans = Handover.orphans(queries.owned(), hospital, clock.instant()).stream()
                .map(t -> TaskView.of(t, hospital)).toList();
        audit.readOverHttp("GET /api/v1/handover/orphans", TaskView.patients(orphans));
        return orphans;
    }
}
