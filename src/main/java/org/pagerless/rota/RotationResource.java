package org.pagerless.rota;

import java.time.DayOfWeek;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.rota.model.Hospital;

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
import jakarta.ws.rs.core.Response;

/**
 * Rule-based rotations ({@link RotationStore}), managed by admins; each write takes effect for new
 * resolutions at once on this pod (once committed) and, through {@link RotaEvents}, within seconds on the others.
 */
@Path("/api/v1/rota")
@Tag(name = "Rota")
@Authenticated
public class RotationResource {

    @Inject
    RotationStore store;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;
    @Inject
    RotaWrites writes;

    public record RotationDocument(Long id, String roleId, String name, List<String> staff, List<String> days,
            String startTime, String endTime, String startDate, String endDate) {
    }

    @GET
    @Path("rotations")
    @Operation(summary = "Every rotation that has not ended")
    public Uni<List<RotationDocument>> rotations() {
        return store.current(clock.instant());
    }

    @POST
    @Path("rotations")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add a rule-based rotation, expanded on demand",
            description = "On each of days (monday..sunday, or 'weekdays', 'weekends', 'every-day') from startDate "
                    + "(until endDate, if given), a shift from local startTime to local endTime (HH:mm, Europe/London; "
                    + "the next day when not after the start), given to staff in turn, one occurrence each.")
    public Uni<Response> addRotation(RotationDocument body) {
        RotaInput.body(body);
        List<Violation> violations = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String roleId = RotaInput.role(hospital, body.roleId(), violations);
        if (body.staff() == null || body.staff().isEmpty()) {
            violations.add(new Violation("staff", "needs at least one member of staff"));
        } else {
            for (int i = 0; i < body.staff().size(); i++) {
                RotaInput.staff(hospital, "staff[" + i + "]", body.staff().get(i), true, violations);
            }
        }
        Set<DayOfWeek> days = RotaInput.days(body.days(), violations);
        LocalTime start = RotaInput.time("startTime", body.startTime(), violations);
        LocalTime end = RotaInput.time("endTime", body.endTime(), violations);
        LocalDate startDate = RotaInput.date("startDate", body.startDate(), true, violations);
        LocalDate endDate = RotaInput.date("endDate", body.endDate(), false, violations);
        if (startDate != null && endDate != null && endDate.isBefore(startDate)) {
            violations.add(new Violation("endDate", "must not be before startDate"));
        }
        RotaInput.reject(violations);
        String name = body.name() == null || body.name().isBlank() ? roleId + " rotation" : body.name().trim();
        return writes.announced(store.add(roleId, name, body.staff(), days, start, end, startDate, endDate, caller()),
                roleId, "rotation.created", caller()).map(id -> Response.status(Response.Status.CREATED)
                        .entity(new RotationDocument(id, roleId, name, List.copyOf(body.staff()),
                                days.stream().map(d -> d.name().toLowerCase(Locale.ROOT)).toList(), start.toString(),
                                end.toString(), startDate.toString(), endDate == null ? null : endDate.toString()))
                        .build());
    }

    @DELETE
    @Path("rotations/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a rotation")
    public Uni<Response> deleteRotation(@PathParam("id") long id) {
        return writes.announced(store.delete(id), RotaEvents.REFERENCE_DATA, "rotation.deleted", caller())
                .map(done -> Response.noContent().build());
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }
}
