package org.pagerless.rota;

import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Staff;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Roles and who holds each right now. */
@Path("/api/v1/roles")
@Tag(name = "Rota")
@Authenticated
public class RoleResource {

    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;

    public record Holder(String id, String name, String grade) {
    }

    public record RoleView(String id, String name, String specialty, String bleep, List<Holder> holders) {
    }

    @GET
    @Operation(summary = "Every role with its current holders", description = "An empty holders list means "
            + "nobody holds the role now: bleeping it alerts switchboard.")
    public List<RoleView> roles() {
        Hospital hospital = referenceData.hospital();
        var now = clock.instant();
        return hospital.roles().stream().sorted(Comparator.comparing(r -> r.name()))
                .map(r -> new RoleView(r.id(), r.name(), r.specialty(), r.bleep(),
                        hospital.holdersOf(r.id(), now).stream()
                                .map(id -> hospital.staff(id).map(s -> holder(s)).orElse(new Holder(id, id, null)))
                                .toList()))
                .toList();
    }

    @GET
    @jakarta.ws.rs.Path("{id}/holders")
    @Operation(summary = "Who holds a role at an instant", description = "Shifts and rotations, then overrides, "
            + "minus anyone on leave. 'at' (an instant, e.g. 2026-03-28T20:00:00Z) defaults to now.")
    public List<Holder> holders(@jakarta.ws.rs.PathParam("id") String id, @jakarta.ws.rs.QueryParam("at") String at) {
        Hospital hospital = referenceData.hospital();
        var role = hospital.role(id).orElseThrow(() -> org.pagerless.platform.ProblemException.notFound(
                "no role '" + id + "'"));
        java.time.Instant instant;
        try {
            instant = at == null ? clock.instant() : java.time.OffsetDateTime.parse(at.trim()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new org.pagerless.platform.InvalidRequest("at", "is not an instant with an offset, e.g. "
                    + "2026-03-28T20:00:00Z");
        }
        return hospital.holdersOf(role.id(), instant).stream()
                .map(s -> hospital.staff(s).map(RoleResource::holder).orElse(new Holder(s, s, null))).toList();
    }

    private static Holder holder(Staff s) {
        return new Holder(s.id(), s.displayName(), s.grade());
    }
}
