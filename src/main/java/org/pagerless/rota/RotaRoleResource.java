package org.pagerless.rota;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Ward;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
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
 * The roles the rota is made of (with the wards they cover and their bleep), managed by admins. Every write is checked
 * whole first (400 naming each field), runs in one transaction ({@link RoleStore}) and, once
 * committed, is announced on {@code pagerless.rota-events.v1}. Removing a role still referenced is refused with 409 saying what refers to it.
 */
@Path("/api/v1/rota")
@Tag(name = "Rota")
@Authenticated
public class RotaRoleResource {
    private static final Pattern BLEEP = Pattern.compile("[0-9]{3,6}");

    @Inject
    RoleStore store;
    @Inject
    RotaLists lists;
    @Inject
    ReferenceData referenceData;
    @Inject
    RotaWrites writes;
    @Inject
    SecurityIdentity identity;

    public record RoleDocument(String id, String name, String siteId, String specialty, String bleep,
            List<String> wards, Integer rank) {
    }

    @GET
    @Path("roles")
    @Operation(summary = "Every role with its site, specialty, bleep and the wards it covers")
    public Uni<List<RoleDocument>> roles() {
        return lists.roles();
    }

    @GET
    @Path("roles/{id}")
    @Operation(summary = "One role")
    public Uni<RoleDocument> role(@PathParam("id") String id) {
        return roles().map(all -> all.stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("no role '" + id + "'")));
    }

    @POST
    @Path("roles")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add a role", description = "wards: the ids of the wards it covers; rank (default 1): its "
            + "place in each of those wards' order of asking, 1 first (a ward's own FY1 1, the on-call SHO 2). siteId "
            + "may be left out when the trust has one site. bleep: 3-6 digits, unique.")
    public Uni<Response> addRole(RoleDocument body) {
        String by = caller();
        return store.sites().map(sites -> check(body, null, sites)).chain(doc -> writes.announced(store.add(doc),
                doc.id(), "role.created", by).map(done -> Response.status(Response.Status.CREATED).entity(doc).build()));
    }

    @PUT
    @Path("roles/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Change a role: name, site, specialty, bleep, the wards it covers and its rank there")
    public Uni<RoleDocument> updateRole(@PathParam("id") String id, RoleDocument body) {
        String by = caller();
        return store.sites().map(sites -> check(body, id, sites)).chain(doc -> writes.announced(store.update(id, doc),
                id, "role.updated", by).replaceWith(doc));
    }

    @DELETE
    @Path("roles/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a role", description = "Refused (409) while any shift, rotation, override, swap, "
            + "team, escalation policy or escalation duty still names it. The wards it covers simply lose it.")
    public Uni<Response> deleteRole(@PathParam("id") String id) {
        return writes.announced(store.delete(id), id, "role.deleted", caller())
                .map(done -> Response.noContent().build());
    }

    private RoleDocument check(RoleDocument body, String pathId, List<String> sites) {
        RotaInput.body(body);
        List<Violation> v = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String id = RotaInput.id(body.id(), pathId, "e.g. med-reg-oncall", v);
        String name = RotaInput.required("name", body.name(), 100, v);
        if (name != null) {
            hospital.role(name).filter(r -> !r.id().equals(id)).ifPresent(r -> v.add(
                    new Violation("name", "is already the name of role '" + r.id() + "'")));
        }
        String siteId = RotaInput.trim(body.siteId());
        if (siteId == null && sites.size() == 1) {
            siteId = sites.get(0);
        } else if (siteId == null) {
            v.add(new Violation("siteId", "is required: one of " + String.join(", ", sites)));
        } else if (!sites.contains(siteId)) {
            v.add(new Violation("siteId", "no site '" + siteId + "'"));
        }
        String specialty = RotaInput.trim(body.specialty());
        String bleep = RotaInput.trim(body.bleep());
        if (bleep != null && !BLEEP.matcher(bleep).matches()) {
            v.add(new Violation("bleep", "must be 3 to 6 digits"));
        } else if (bleep != null) {
            hospital.roleByBleep(bleep).filter(r -> !r.id().equals(id)).ifPresent(r -> v.add(
                    new Violation("bleep", "is already the bleep of " + r.name())));
        }
        List<String> wards = new ArrayList<>();
        List<String> given = body.wards() == null ? List.of() : body.wards();
        for (int i = 0; i < given.size(); i++) {
            String ward = RotaInput.trim(given.get(i));
            var known = ward == null ? java.util.Optional.<Ward>empty() : hospital.ward(ward);
            if (known.isEmpty()) {
                v.add(new Violation("wards[" + i + "]", "no ward '" + given.get(i) + "'"));
            } else if (wards.contains(known.get().id())) {
                v.add(new Violation("wards[" + i + "]", "names ward " + known.get().id() + " twice"));
            } else {
                wards.add(known.get().id());
            }
        }
        int rank = body.rank() == null ? 1 : body.rank();
        if (rank < 1 || rank > 99) {
            v.add(new Violation("rank", "must be from 1 (asked first) to 99"));
        }
        RotaInput.reject(v);
        return new RoleDocument(id, name, siteId, specialty, bleep, List.copyOf(wards), rank);
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }
}
