package org.pagerless.escalation;

import java.util.Comparator;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.task.model.EscalationPolicy;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Role;
import org.pagerless.task.model.Priority;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Escalation chains per role. A chain that could end with no one responsible is refused with a 400 naming
 * the step; a role without a chain of its own follows the default for the task's priority. Changes apply
 * to tasks raised from now on: each task keeps the chain it was raised with.
 */
@Path("/api/v1/escalation-policies")
@Tag(name = "Escalation")
@Authenticated
public class EscalationPolicyResource {

    @Inject
    EscalationDirectory directory;
    @Inject
    ReferenceData referenceData;
    @Inject
    SecurityIdentity identity;

    @GET
    @Operation(summary = "Every role's own escalation chain")
    public List<PolicyDocument> list() {
        return directory.policies().values().stream().sorted(Comparator.comparing(EscalationPolicy::id))
                .map(PolicyDocument::of).toList();
    }

    @GET
    @Path("defaults/{priority}")
    @Operation(summary = "The chain for tasks whose role has none of its own, by priority")
    public PolicyDocument defaults(@PathParam("priority") String priority) {
        Priority p = Priority.fromCode(priority)
                .orElseThrow(() -> ProblemException.notFound("no priority '" + priority + "'"));
        return PolicyDocument.of(EscalationPolicy.defaultFor(p));
    }

    @GET
    @Path("{role}")
    @Operation(summary = "A role's own escalation chain", description = "404 when the role has none: its tasks "
            + "follow the default chain for their priority.")
    public PolicyDocument get(@PathParam("role") String role) {
        String roleId = role(role).id();
        return directory.policyOfRole(roleId).map(PolicyDocument::of).orElseThrow(() -> ProblemException.notFound(
                "role '" + roleId + "' has no chain of its own: its tasks follow the default for their priority"));
    }

    @PUT
    @Path("{role}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Set a role's escalation chain", description = "400 naming the step if the chain could "
            + "end with no one responsible, or names a role or person that does not exist.")
    public PolicyDocument put(@PathParam("role") String role, PolicyDocument body) {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
        String roleId = role(role).id();
        EscalationPolicy policy = body.toPolicy(roleId, referenceData.hospital());
        directory.save(policy, Caller.of(identity).staffId());
        return PolicyDocument.of(policy);
    }

    @DELETE
    @Path("{role}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a role's own chain", description = "Its tasks then follow the default chain.")
    public Response delete(@PathParam("role") String role) {
        String roleId = role(role).id();
        if (!directory.remove(roleId)) {
            throw ProblemException.notFound("role '" + roleId + "' has no chain of its own");
        }
        return Response.noContent().build();
    }

    private Role role(String idOrName) {
        return referenceData.hospital().role(idOrName)
                .orElseThrow(() -> ProblemException.notFound("no role '" + idOrName + "'"));
    }
}
