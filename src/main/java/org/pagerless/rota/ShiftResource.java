package org.pagerless.rota;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.ShiftImport;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * Explicit shifts, managed by admins. Every write is checked whole first (400 naming each field), runs in one
 * transaction ({@link ShiftStore}) and, once committed, is announced on
 * {@code pagerless.rota-events.v1}.
 */
@Path("/api/v1/rota")
@Tag(name = "Rota")
@Authenticated
public class ShiftResource {

    @Inject
    ShiftStore store;
    @Inject
    RotaLists lists;
    @Inject
    ReferenceData referenceData;
    @Inject
    RotaWrites writes;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;

    public record ShiftDocument(Long id, String roleId, String staffId, String from, String to) {
    }

    @GET
    @Path("shifts")
    @Operation(summary = "Explicit shifts overlapping a window", description = "from and to are instants; the "
            + "default window is a day back to 14 days ahead. roleId and staffId narrow it.")
    public Uni<List<ShiftDocument>> shifts(@QueryParam("from") String fromText, @QueryParam("to") String toText,
            @QueryParam("roleId") String roleId, @QueryParam("staffId") String staffId) {
        List<Violation> v = new ArrayList<>();
        Instant now = clock.instant();
        Instant from = fromText == null ? now.minus(RotaLists.BACK) : RotaInput.instant("from", fromText, v);
        Instant to = toText == null ? now.plus(RotaLists.AHEAD) : RotaInput.instant("to", toText, v);
        RotaInput.period(from, to, v);
        RotaInput.reject(v);
        return fromText == null && toText == null ? lists.shifts(now, roleId, staffId)
                : store.overlapping(from, to, roleId, staffId);
    }

    @POST
    @Path("shifts")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add an explicit shift: staffId holds roleId from 'from' to 'to' (instants with an offset)")
    public Uni<Response> addShift(ShiftDocument body) {
        ShiftDocument doc = check(body);
        return writes.announced(store.add(doc.roleId(), doc.staffId(), Instant.parse(doc.from()),
                Instant.parse(doc.to())), doc.roleId(), "shift.created", caller())
                .map(id -> Response.status(Response.Status.CREATED)
                        .entity(new ShiftDocument(id, doc.roleId(), doc.staffId(), doc.from(), doc.to())).build());
    }

    @PUT
    @Path("shifts/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Change a shift's role, member of staff or times")
    public Uni<ShiftDocument> updateShift(@PathParam("id") long id, ShiftDocument body) {
        ShiftDocument doc = check(body);
        return writes.announced(store.update(id, doc.roleId(), doc.staffId(), Instant.parse(doc.from()),
                Instant.parse(doc.to())), doc.roleId(), "shift.updated", caller())
                .replaceWith(new ShiftDocument(id, doc.roleId(), doc.staffId(), doc.from(), doc.to()));
    }

    @DELETE
    @Path("shifts/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a shift")
    public Uni<Response> deleteShift(@PathParam("id") long id) {
        return writes.announced(store.delete(id), role -> role, "shift.deleted", caller())
                .map(role -> Response.noContent().build());
    }

    private ShiftDocument check(ShiftDocument body) {
        RotaInput.body(body);
        List<Violation> v = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String roleId = RotaInput.role(hospital, body.roleId(), v);
        RotaInput.staff(hospital, "staffId", body.staffId(), true, v);
        Instant from = RotaInput.instant("from", body.from(), v);
        Instant to = RotaInput.instant("to", body.to(), v);
        if (from != null && to != null && !to.isAfter(from)) {
            v.add(new Violation("to", "must be after from: a shift cannot end before it starts"));
        } else if (from != null && to != null
                && Duration.between(from, to).compareTo(ShiftImport.LONGEST_SHIFT) > 0) {
            v.add(new Violation("to", "makes the shift longer than " + ShiftImport.LONGEST_SHIFT.toDays() + " days"));
        }
        RotaInput.reject(v);
        return new ShiftDocument(null, roleId, body.staffId().trim(), from.toString(), to.toString());
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }
}
