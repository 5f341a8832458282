package org.pagerless.rota;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.pagerless.identity.AppRoles;
import org.pagerless.platform.Problem;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.RotaResolver;
import org.pagerless.rota.model.Shift;
import org.pagerless.rota.model.ShiftCsv;
import org.pagerless.rota.model.ShiftImport;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Shifts in and out in the formats rota tools speak: CSV and iCalendar imports (all or nothing, problems listed
 * line by line; written by {@link ShiftStore} in one transaction and announced once committed) and an iCalendar feed per member of staff and per role, of the stints actually held after
 * rotations, overrides, swaps and leave.
 */
@Path("/api/v1/rota")
@Tag(name = "Rota")
@Authenticated
public class RotaImportResource {
    public static final String TEXT_CSV = "text/csv";
    public static final String TEXT_CALENDAR = "text/calendar";
    /** More than this many shifts in one file is refused: split it. */
    static final int MOST_SHIFTS = 20_000;

    @Inject
    ShiftStore shifts;
    @Inject
    ReferenceData referenceData;
    @Inject
    RotaEvents rotaEvents;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;

    /** What an import did: shifts added, and those already on the rota exactly (skipped, so re-importing is safe). */
    public record ImportResult(int added, int alreadyPresent, List<String> roles) {
    }

    /** 400 for an import: every problem found, with its line. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ImportProblem(String type, String title, int status, String detail,
            List<ShiftImport.LineProblem> violations) {
    }

    /** Thrown when an import file has any problem; nothing of it was applied. */
    static final class ImportRefused extends RuntimeException {
        final transient List<ShiftImport.LineProblem> problems;

        ImportRefused(List<ShiftImport.LineProblem> problems) {
            super(problems.size() + " problem(s)");
            this.problems = problems;
        }
    }

    @ServerExceptionMapper
    public Response refused(ImportRefused e) {
        String detail = "nothing was imported: " + e.problems.size() + " problem(s), first at line "
                + e.problems.get(0).line() + " (" + e.problems.get(0).field() + ": " + e.problems.get(0).reason() + ")";
        return Response.status(400).type(Problem.MEDIA_TYPE)
                .entity(new ImportProblem("about:blank", "Invalid import", 400, detail, e.problems)).build();
    }

    @POST
    @Path("import")
    @RolesAllowed(AppRoles.ADMIN)
    @Consumes({TEXT_CSV, TEXT_CALENDAR})
    @Operation(summary = "Import shifts from a CSV or iCalendar file (all or nothing)", description = "text/csv: a "
            + "header role,staff,start,end then one shift per line, start and end in London local time "
            + "(2026-03-28 20:00). text/calendar: one VEVENT per shift, with X-PAGERLESS-ROLE and X-PAGERLESS-STAFF "
            + "(or ?role= and ?staff= for the whole file). Any problem: 400 listing {line, field, reason} and nothing "
            + "is applied. Shifts already on the rota exactly are skipped. See docs/rota.md.")
    public Uni<ImportResult> importShifts(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body,
            @QueryParam("role") String role, @QueryParam("staff") String staff) {
        Hospital hospital = referenceData.hospital();
        String text = body == null ? "" : body;
        boolean calendar = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(TEXT_CALENDAR);
        ShiftImport read = calendar ? RotaCalendar.read(text, hospital, role, staff) : ShiftCsv.read(text, hospital);
        if (!read.isValid()) {
            throw new ImportRefused(read.problems());
        }
        if (read.shifts().isEmpty()) {
            throw new ImportRefused(List.of(new ShiftImport.LineProblem(1, "body", "has no shifts")));
        }
        if (read.shifts().size() > MOST_SHIFTS) {
            throw new ImportRefused(List.of(new ShiftImport.LineProblem(1, "body", "has " + read.shifts().size()
                    + " shifts; at most " + MOST_SHIFTS + " in one file")));
        }
        String by = identity.getPrincipal().getName();
        int given = read.shifts().size();
        return shifts.addAbsent(read.shifts().stream().map(ShiftImport.Row::shift).toList())
                .onFailure().transform(RotaWrites::refusal)
                .chain(addedRoles -> {
                    List<String> roles = List.copyOf(new TreeSet<>(addedRoles));
                    Uni<Void> announced = Uni.createFrom().voidItem();
                    for (String changed : roles) {
                        announced = announced.chain(() -> rotaEvents.announce(changed, "shifts.imported", by));
                    }
                    return announced.replaceWith(new ImportResult(addedRoles.size(), given - addedRoles.size(), roles));
                });
    }

    @GET
    @Path("staff/{id}/calendar.ics")
    @Produces(TEXT_CALENDAR)
    @Operation(summary = "A member of staff's rota as an iCalendar feed", description = "Every stint they actually "
            + "hold any role, after rotations, overrides, swaps and leave; from and to (instants) default to 7 days "
            + "back and 28 days ahead.")
    public Response staffCalendar(@PathParam("id") String id, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        Hospital hospital = referenceData.hospital();
        var person = hospital.staff(id).orElseThrow(() -> ProblemException.notFound("no member of staff '" + id + "'"));
        Instant[] window = window(from, to);
        RotaResolver rota = new RotaResolver(referenceData.rotaBetween(window[0], window[1]));
        List<Shift> stints = new ArrayList<>();
        for (var role : hospital.roles()) {
            rota.heldBetween(role.id(), window[0], window[1]).stream().filter(s -> s.staffId().equals(id))
                    .forEach(stints::add);
        }
        stints.sort(java.util.Comparator.comparing(Shift::startsAt).thenComparing(Shift::roleId));
        return calendar(person.displayName() + " - rota", stints, hospital, person.id());
    }

    @GET
    @Path("roles/{id}/calendar.ics")
    @Produces(TEXT_CALENDAR)
    @Operation(summary = "A role's rota as an iCalendar feed", description = "Who actually holds the role, stint by "
            + "stint, after rotations, overrides, swaps and leave; from and to (instants) default to 7 days back and "
            + "28 days ahead.")
    public Response roleCalendar(@PathParam("id") String id, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        Hospital hospital = referenceData.hospital();
        var role = hospital.role(id).orElseThrow(() -> ProblemException.notFound("no role '" + id + "'"));
        Instant[] window = window(from, to);
        RotaResolver rota = new RotaResolver(referenceData.rotaBetween(window[0], window[1]));
        return calendar(role.name() + " - rota", rota.heldBetween(role.id(), window[0], window[1]), hospital,
                role.id());
    }

    private Response calendar(String name, List<Shift> stints, Hospital hospital, String file) {
        return Response.ok(RotaCalendar.write(name, stints, hospital, clock.instant()), TEXT_CALENDAR + "; charset=utf-8")
                .header("Content-Disposition", "inline; filename=\"" + file + ".ics\"").build();
    }

    private Instant[] window(String fromText, String toText) {
        List<Problem.Violation> v = new ArrayList<>();
        Instant now = clock.instant();
        Instant from = fromText == null ? now.minus(Duration.ofDays(7)) : RotaInput.instant("from", fromText, v);
        Instant to = toText == null ? now.plus(Duration.ofDays(28)) : RotaInput.instant("to", toText, v);
        RotaInput.period(from, to, v);
        if (from != null && to != null && Duration.between(from, to).compareTo(Duration.ofDays(366)) > 0) {
            v.add(new Problem.Violation("to", "is more than a year after from"));
        }
        RotaInput.reject(v);
        return new Instant[] {from, to};
    }
}
