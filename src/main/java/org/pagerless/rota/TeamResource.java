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
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
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
 * checked whole first (400 naming each field), runs in one transaction ({@link TeamStore}) and,
 * once committed, is announced on {@code pagerless.rota-events.v1}. The list is read as broadcasts read it
 * ({@link Teams}).
 */
@Path("/api/v1/rota")
@Tag(name = "Rota")
@Authenticated
public class TeamResource {

    @Inject
    Teams teams;
    @Inject
    TeamStore store;
    @Inject
    ReferenceData referenceData;
    @Inject
    RotaWrites writes;
    @Inject
    SecurityIdentity identity;

    public record TeamDocument(String id, String name, List<String> roles) {
    }

    @GET
    @Path("teams")
    @Operation(summary = "Every broadcast team with its roles, in the order they are alerted")
    @Blocking
    public List<TeamDocument> teams() {
        return teams.all().stream().map(t -> new TeamDocument(t.id(), t.name(), t.roleIds())).toList();
    }

    @POST
    @Path("teams")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add a broadcast team (e.g. the crash team): the roles whose holders a 2222 call alerts")
    public Uni<Response> addTeam(TeamDocument body) {
        String by = caller();
        return checked(body, null).chain(doc -> writes.announced(store.add(new Teams.Team(doc.id(), doc.name(),
                doc.roles())), RotaEvents.REFERENCE_DATA, "team.created", by)
                .map(done -> Response.status(Response.Status.CREATED).entity(doc).build()));
    }

    @PUT
    @Path("teams/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Change a team's name and roles (the list replaces the old one)")
    public Uni<TeamDocument> updateTeam(@PathParam("id") String id, TeamDocument body) {
        String by = caller();
        return checked(body, id).chain(doc -> writes.announced(store.update(new Teams.Team(id, doc.name(),
                doc.roles())), RotaEvents.REFERENCE_DATA, "team.updated", by).replaceWith(doc));
    }

    @DELETE
    @Path("teams/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a team", description = "Broadcasts already sent keep their roll-call.")
    public Uni<Response> deleteTeam(@PathParam("id") String id) {
        return writes.announced(store.delete(id), RotaEvents.REFERENCE_DATA, "team.deleted", caller())
                .map(done -> Response.noContent().build());
    }

    /** The body checked whole, with the team that already has its name (if any) looked up first. */
    private Uni<TeamDocument> checked(TeamDocument body, String pathId) {
        RotaInput.body(body);
        String name = RotaInput.trim(body.name());
        Uni<Optional<String>> named = name == null ? Uni.createFrom().item(Optional.empty()) : store.named(name);
        return named.map(other -> check(body, pathId, other));
    }

    private TeamDocument check(TeamDocument body, String pathId, Optional<String> sameName) {
        List<Violation> v = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String id = RotaInput.id(body.id(), pathId, "e.g. crash", v);
        String name = RotaInput.required("name", body.name(), 100, v);
        if (name != null) {
            sameName.filter(other -> !other.equals(id)).ifPresent(other -> v.add(new Violation("name",
                    "is already the name of team '" + other + "'")));
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
