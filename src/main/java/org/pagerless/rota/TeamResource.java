package org.pagerless.rota;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Broadcast teams (e.g. the crash team: the roles whose holders a 2222 call alerts), managed by admins. Every write is
 * checked whole first (400 naming each field), runs in one transaction ({@link Teams}) and is announced on
 * {@code pagerless.rota-events.v1}.
 */
@Path("/api/v1/rota")
@Tag(name = "Rota")
@Authenticated
public class TeamResource {

    @Inject
    Teams teams;
    @Inject
    ReferenceData referenceData;
    @Inject
    RotaEvents rotaEvents;
    @Inject
    SecurityIdentity identity;

    public record TeamDocument(String id, String name, List<String> roles) {
    }

    @GET
    @Path("teams")
    @Operation(summary = "Every broadcast team with its roles, in the order they are alerted")
    public List<TeamDocument> teams() {
        return teams.all().stream().map(t -> new TeamDocument(t.id(), t.name(), t.roleIds())).toList();
    }

    @POST
    @Path("teams")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add a broadcast team (e.g. the crash team): the roles whose holders a 2222 call alerts")
    public Response addTeam(TeamDocument body) {
        TeamDocument doc = check(body, null);
        teams.add(new Teams.Team(doc.id(), doc.name(), doc.roles()));
        rotaEvents.changed(RotaEvents.REFERENCE_DATA, "team.created", caller());
        return Response.status(Response.Status.CREATED).entity(doc).build();
    }

    @PUT
    @Path("teams/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Change a team's name and roles (the list replaces the old one)")
    public TeamDocument updateTeam(@PathParam("id") String id, TeamDocument body) {
        TeamDocument doc = check(body, id);
        teams.update(new Teams.Team(id, doc.name(), doc.roles()));
        rotaEvents.changed(RotaEvents.REFERENCE_DATA, "team.updated", caller());
        return doc;
    }

    @DELETE
    @Path("teams/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a team", description = "Broadcasts already sent keep their roll-call.")
    public Response deleteTeam(@PathParam("id") String id) {
        teams.delete(id);
        rotaEvents.changed(RotaEvents.REFERENCE_DATA, "team.deleted", caller());
        return Response.noContent().build();
    }

    private TeamDocument check(TeamDocument body, String pathId) {
        RotaInput.body(body);
        List<Violation> v = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String id = RotaInput.id(body.id(), pathId, "e.g. crash", v);
        String name = RotaInput.required("name", body.name(), 100, v);
        if (name != null) {
            teams().stream().filter(t -> t.name().equalsIgnoreCase(name) && !t.id().equals(id)).findFirst()
                    .ifPresent(t -> v.add(new Violation("name", "is already the name of team '" + t.id() + "'")));
        }
        Set<String> roles = new LinkedHashSet<>();
        List<String> given = body.roles() == null ? List.of() : body.roles();
        if (given.isEmpty()) {
            v.add(new Violation("roles", "needs at least one role: a team nobody is in alerts nobody"));
        }
        for (int i = 0; i < given.size(); i++) {
            String role = RotaInput.trim(given.get(i));
            Optional<Role> known = role == null ? Optional.empty() : hospital.role(role);
            if (known.isEmpty()) {
                v.add(new Violation("roles[" + i + "]", "no role '" + given.get(i) + "'"));
            } else if (!roles.add(known.get().id())) {
                v.add(new Violation("roles[" + i + "]", "names role " + known.get().id() + " twice"));
            }
        }
        RotaInput.reject(v);
        return new TeamDocument(id, name, List.copyOf(roles));
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }
}
