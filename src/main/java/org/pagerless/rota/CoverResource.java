package org.pagerless.rota;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.RotaOverride;
import org.pagerless.rota.model.RotaResolver;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * Leave and overrides ({@link CoverStore}), and the gaps the rota leaves (from the in-memory
 * rota). Writes are for admins; each takes effect for new resolutions at once on this pod (the in-memory rota is
 * reloaded once the write is committed) and, through {@link RotaEvents}, within seconds on the others.
 */
@Path("/api/v1/rota")
@Tag(name = "Rota")
@Authenticated
public class CoverResource {

    @Inject
    CoverStore store;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;
    @Inject
    RotaWrites writes;

    public record LeaveDocument(Long id, String staffId, String from, String to, String reason) {
    }

    public record OverrideDocument(Long id, String roleId, String kind, String staffId, String replacedStaffId,
            String from, String to, String reason) {
    }

    public record GapDocument(String roleId, String roleName, Instant from, Instant to) {
    }

    // ---- leave ----

    @GET
    @Path("leave")
    @Operation(summary = "Leave that has not yet ended")
    public Uni<List<LeaveDocument>> leave() {
        return store.leave(clock.instant());
    }

    @POST
    @Path("leave")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Record leave: the person is never resolved as a holder while it lasts")
    public Uni<Response> addLeave(LeaveDocument body) {
        RotaInput.body(body);
        List<Violation> violations = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        RotaInput.staff(hospital, "staffId", body.staffId(), true, violations);
        Instant from = RotaInput.instant("from", body.from(), violations);
        Instant to = RotaInput.instant("to", body.to(), violations);
        RotaInput.period(from, to, violations);
        RotaInput.reject(violations);
        return writes.announced(store.addLeave(body.staffId(), from, to, body.reason(), caller()),
                RotaEvents.REFERENCE_DATA, "leave.created", caller()).map(id -> Response.status(Response.Status.CREATED)
                        .entity(new LeaveDocument(id, body.staffId(), from.toString(), to.toString(), body.reason()))
                        .build());
    }

    @DELETE
    @Path("leave/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Cancel leave")
    public Uni<Response> deleteLeave(@PathParam("id") long id) {
        return writes.announced(store.deleteLeave(id), RotaEvents.REFERENCE_DATA, "staff_leave.deleted", caller())
                .map(done -> Response.noContent().build());
    }

    // ---- overrides ----

    @GET
    @Path("overrides")
    @Operation(summary = "Overrides that have not yet ended")
    public Uni<List<OverrideDocument>> overrides() {
        return store.overrides(clock.instant());
    }

    @POST
    @Path("overrides")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add, remove or replace a holder of a role for a period",
            description = "kind 'add' makes staffId a holder as well; 'remove' takes replacedStaffId off; 'replace' "
                    + "puts staffId in place of replacedStaffId. Leave still wins over an override.")
    public Uni<Response> addOverride(OverrideDocument body) {
        RotaInput.body(body);
        List<Violation> violations = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String roleId = RotaInput.role(hospital, body.roleId(), violations);
        RotaOverride.Kind kind = null;
        if (body.kind() == null || body.kind().isBlank()) {
            violations.add(new Violation("kind", "is required: add, remove or replace"));
        } else {
            try {
                kind = RotaOverride.Kind.valueOf(body.kind().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("kind", "must be add, remove or replace, not '" + body.kind() + "'"));
            }
        }
        RotaInput.staff(hospital, "staffId", body.staffId(), kind != RotaOverride.Kind.REMOVE, violations);
        RotaInput.staff(hospital, "replacedStaffId", body.replacedStaffId(), kind == RotaOverride.Kind.REMOVE
                || kind == RotaOverride.Kind.REPLACE, violations);
        Instant from = RotaInput.instant("from", body.from(), violations);
        Instant to = RotaInput.instant("to", body.to(), violations);
        RotaInput.period(from, to, violations);
        RotaInput.reject(violations);
        String staffId = kind == RotaOverride.Kind.REMOVE ? null : body.staffId();
        String replaced = kind == RotaOverride.Kind.ADD ? null : body.replacedStaffId();
        String kindCode = kind.name().toLowerCase(Locale.ROOT);
        return writes.announced(store.addOverride(roleId, kindCode, staffId, replaced, from, to, body.reason(),
                caller()), roleId, "override.created", caller()).map(id -> Response.status(Response.Status.CREATED)
                        .entity(new OverrideDocument(id, roleId, kindCode, staffId, replaced, from.toString(),
                                to.toString(), body.reason())).build());
    }

    @DELETE
    @Path("overrides/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Cancel an override")
    public Uni<Response> deleteOverride(@PathParam("id") long id) {
        return writes.announced(store.deleteOverride(id), RotaEvents.REFERENCE_DATA, "rota_override.deleted",
                caller()).map(done -> Response.noContent().build());
    }

    // ---- gaps ----

    @GET
    @Path("gaps")
    @Operation(summary = "Periods in the next 7 days when a role that should be covered has nobody",
            description = "A role should be covered when it has any shift or rotation in the window; leave and "
                    + "overrides are applied. 'from' (an instant) defaults to now.")
    public List<GapDocument> gaps(@QueryParam("from") String fromText) {
        List<Violation> violations = new ArrayList<>();
        Instant from = fromText == null ? clock.instant() : RotaInput.instant("from", fromText, violations);
        RotaInput.reject(violations);
        Hospital hospital = referenceData.hospital();
        return hospital.rota().gaps(from, from.plus(Duration.ofDays(7))).stream()
                .map((RotaResolver.Gap g) -> new GapDocument(g.roleId(),
                        hospital.role(g.roleId()).map(r -> r.name()).orElse(g.roleId()), g.from(), g.to()))
                .toList();
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }
}
