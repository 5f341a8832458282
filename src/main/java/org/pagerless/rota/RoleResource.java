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

    private static Holder holder(Staff s) {
        return new Holder(s.id(), s.displayName(), s.grade());
    }
}
