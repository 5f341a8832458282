package org.pagerless.board;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.Caller;
import org.pagerless.identity.SignInTenants;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Hospital;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.TaskView;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The signed-in person's own view: who they are on shift as, and their inbox. */
@Path("/api/v1/me")
@Tag(name = "Me")
@Authenticated
public class MeResource {

    @Inject
    TaskQueries queries;
    @Inject
    PatientReadAudit audit;
    @Inject
    ReferenceData referenceData;
    @Inject
    SecurityIdentity identity;
    @Inject
    StaffNow staffNow;

    public record OnShift(String roleId, String roleName, Instant until) {
    }

    /** {@code signOut}: where the apps sign this person out, when they signed in with the identity provider. */
    public record Me(String id, String name, String appRole, List<OnShift> onShift, String signOut) {
    }

    @GET
    @Operation(summary = "Who I am and which roles I hold now")
    public Me me() {
        Caller caller = Caller.of(identity);
        List<OnShift> shifts = staffNow.rolesOf(caller.staffId()).stream()
                .map(s -> new OnShift(s.roleId(), s.roleName(), s.until())).toList();
        return new Me(caller.staffId(), staffNow.nameOf(caller.staffId()), caller.appRole(), shifts,
                SignInTenants.signOutFor(identity).orElse(null));
    }

    @GET
    @Path("tasks")
    @Operation(summary = "My inbox", description = "Tasks offered to me and not yet taken, and tasks I own that "
            + "are not done: most urgent first, then oldest first, with the clinical detail.")
    public List<TaskView> inbox() {
        Hospital hospital = referenceData.hospital();
        // With the latest reason given (a decline, a hand-back): it travels to whoever is offered the task next.
        List<TaskView> inbox = queries.inbox(Caller.of(identity).staffId()).stream()
                .map(t -> TaskView.of(t, hospital, queries.timeline(t.id()), false)).toList();
        audit.readOverHttp("GET /api/v1/me/tasks", TaskView.patients(inbox));
        return inbox;
    }

}
