package org.pagerless.delivery;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.platform.ProblemException;
import org.pagerless.task.TaskQueries;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Where a task's pages have got to: per person offered, each channel's latest status and time. */
@Path("/api/v1/tasks/{id}/deliveries")
@Tag(name = "Tasks")
public class TaskDeliveriesResource {
    @Inject
    DeliveryState state;
    @Inject
    TaskQueries tasks;
    @Inject
    SecurityIdentity identity;
    @Inject
    org.pagerless.task.TaskAccess access;

    @GET
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "A task's delivery state", description = "Per person the task was sent to: whether they "
            + "have seen it, and each channel's latest status (pending, sending, queued, sent, delivered, read, "
            + "failed, withdrawn) with its time. Readable by whoever may read the task.")
    public List<DeliveryState.PersonState> deliveries(@PathParam("id") String id) throws SQLException {
        UUID taskId;
        try {
            taskId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no task with id " + id);
        }
        var task = tasks.find(taskId).orElseThrow(() -> ProblemException.notFound("no task with id " + id));
        Caller caller = Caller.of(identity);
        if (!access.maySee(caller, task)) {
            throw ProblemException.forbidden("this task has not been offered to you");
        }
        return state.of(Set.of(taskId)).getOrDefault(taskId, List.of());
    }
}
