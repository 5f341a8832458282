package org.pagerless.rota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sql.DataSource;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.RotaOverride;
import org.pagerless.rota.model.RotaResolver;
import org.pagerless.rota.model.Rotation;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
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
 * Leave, overrides and rotations, and the gaps they leave. Writes are for admins; each takes effect for new
 * resolutions at once on this pod (the in-memory rota is reloaded) and, through {@link RotaEvents}, within seconds
 * on the others.
 */
@Path("/api/v1/rota")
@Tag(name = "Rota")
@Authenticated
public class RotaResource {

    @Inject
    DataSource dataSource;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;
    @Inject
    RotaEvents rotaEvents;

    public record LeaveDocument(Long id, String staffId, String from, String to, String reason) {
    }

    public record OverrideDocument(Long id, String roleId, String kind, String staffId, String replacedStaffId,
            String from, String to, String reason) {
    }

    public record RotationDocument(Long id, String roleId, String name, List<String> staff, List<String> days,
            String startTime, String endTime, String startDate, String endDate) {
    }

    public record GapDocument(String roleId, String roleName, Instant from, Instant to) {
    }

    // ---- leave ----

    @GET
    @Path("leave")
    @Operation(summary = "Leave that has not yet ended")
    public List<LeaveDocument> leave() {
        List<LeaveDocument> all = new ArrayList<>();
        query("select id, staff_id, starts_at, ends_at, reason from staff_leave where ends_at > ? order by starts_at, id",
                rs -> all.add(new LeaveDocument(rs.getLong(1), rs.getString(2), text(rs, 3), text(rs, 4),
                        rs.getString(5))));
        return all;
    }

    @POST
    @Path("leave")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Record leave: the person is never resolved as a holder while it lasts")
    public Response addLeave(LeaveDocument body) {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        staff(hospital, "staffId", body.staffId(), true, violations);
        Instant from = instant("from", body.from(), violations);
        Instant to = instant("to", body.to(), violations);
        period(from, to, violations);
        reject(violations);
        long id = insert("insert into staff_leave (staff_id, starts_at, ends_at, reason, created_by)"
                + " values (?, ?, ?, ?, ?) returning id", body.staffId(), utc(from), utc(to), body.reason(), caller());
        return created(new LeaveDocument(id, body.staffId(), from.toString(), to.toString(), body.reason()));
    }

    @DELETE
    @Path("leave/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Cancel leave")
    public Response deleteLeave(@PathParam("id") long id) {
        return delete("staff_leave", id);
    }

    // ---- overrides ----

    @GET
    @Path("overrides")
    @Operation(summary = "Overrides that have not yet ended")
    public List<OverrideDocument> overrides() {
        List<OverrideDocument> all = new ArrayList<>();
        query("select id, role_id, kind, staff_id, replaced_staff_id, starts_at, ends_at, reason from rota_override"
                + " where ends_at > ? order by starts_at, id",
                rs -> all.add(new OverrideDocument(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), text(rs, 6), text(rs, 7), rs.getString(8))));
        return all;
    }

    @POST
    @Path("overrides")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add, remove or replace a holder of a role for a period",
            description = "kind 'add' makes staffId a holder as well; 'remove' takes replacedStaffId off; 'replace' "
                    + "puts staffId in place of replacedStaffId. Leave still wins over an override.")
    public Response addOverride(OverrideDocument body) {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String roleId = role(hospital, body.roleId(), violations);
        RotaOverride.Kind kind = null;
        if (body.kind() == null || body.kind().isBlank()) {
            violations.add(new Problem.Violation("kind", "is required: add, remove or replace"));
        } else {
            try {
                kind = RotaOverride.Kind.valueOf(body.kind().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                violations.add(new Problem.Violation("kind", "must be add, remove or replace, not '" + body.kind() + "'"));
            }
        }
        staff(hospital, "staffId", body.staffId(), kind != RotaOverride.Kind.REMOVE, violations);
        staff(hospital, "replacedStaffId", body.replacedStaffId(), kind == RotaOverride.Kind.REMOVE
                || kind == RotaOverride.Kind.REPLACE, violations);
        Instant from = instant("from", body.from(), violations);
        Instant to = instant("to", body.to(), violations);
        period(from, to, violations);
        reject(violations);
        String staffId = kind == RotaOverride.Kind.REMOVE ? null : body.staffId();
        String replaced = kind == RotaOverride.Kind.ADD ? null : body.replacedStaffId();
        long id = insert("insert into rota_override (role_id, kind, staff_id, replaced_staff_id, starts_at, ends_at,"
                + " reason, created_by) values (?, ?, ?, ?, ?, ?, ?, ?) returning id", roleId,
                kind.name().toLowerCase(Locale.ROOT), staffId, replaced, utc(from), utc(to), body.reason(), caller());
        return created(new OverrideDocument(id, roleId, kind.name().toLowerCase(Locale.ROOT), staffId, replaced,
                from.toString(), to.toString(), body.reason()));
    }

    @DELETE
    @Path("overrides/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Cancel an override")
    public Response deleteOverride(@PathParam("id") long id) {
        return delete("rota_override", id);
    }

    // ---- rotations ----

    @GET
    @Path("rotations")
    @Operation(summary = "Every rotation that has not ended")
    public List<RotationDocument> rotations() {
        List<RotationDocument> all = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id, role_id, name, staff, days, start_time, end_time, start_date, end_date from rotation"
                        + " where end_date is null or end_date >= ? order by id")) {
            ps.setObject(1, LocalDate.ofInstant(clock.instant(), Rotation.ZONE));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> days = new ArrayList<>();
                    for (Object day : (Object[]) rs.getArray(5).getArray()) {
                        days.add(DayOfWeek.of(((Number) day).intValue()).name().toLowerCase(Locale.ROOT));
                    }
                    all.add(new RotationDocument(rs.getLong(1), rs.getString(2), rs.getString(3),
                            List.of((String[]) rs.getArray(4).getArray()), days, rs.getString(6).substring(0, 5),
                            rs.getString(7).substring(0, 5), rs.getString(8), rs.getString(9)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return all;
    }

    @POST
    @Path("rotations")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add a rule-based rotation, expanded on demand",
            description = "On each of days (monday..sunday, or 'weekdays', 'weekends', 'every-day') from startDate "
                    + "(until endDate, if given), a shift from local startTime to local endTime (HH:mm, Europe/London; "
                    + "the next day when not after the start), given to staff in turn, one occurrence each.")
    public Response addRotation(RotationDocument body) {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String roleId = role(hospital, body.roleId(), violations);
        if (body.staff() == null || body.staff().isEmpty()) {
            violations.add(new Problem.Violation("staff", "needs at least one member of staff"));
        } else {
            for (int i = 0; i < body.staff().size(); i++) {
                staff(hospital, "staff[" + i + "]", body.staff().get(i), true, violations);
            }
        }
        Set<DayOfWeek> days = days(body.days(), violations);
        LocalTime start = time("startTime", body.startTime(), violations);
        LocalTime end = time("endTime", body.endTime(), violations);
        LocalDate startDate = date("startDate", body.startDate(), true, violations);
        LocalDate endDate = date("endDate", body.endDate(), false, violations);
        if (startDate != null && endDate != null && endDate.isBefore(startDate)) {
            violations.add(new Problem.Violation("endDate", "must not be before startDate"));
        }
        reject(violations);
        String name = body.name() == null || body.name().isBlank() ? roleId + " rotation" : body.name().trim();
        long id;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into rotation (role_id, name, staff, days, start_time, end_time, start_date, end_date,"
                        + " created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id")) {
            ps.setString(1, roleId);
            ps.setString(2, name);
            ps.setArray(3, c.createArrayOf("text", body.staff().toArray()));
            ps.setArray(4, c.createArrayOf("int2", days.stream().map(d -> (short) d.getValue()).toArray()));
            ps.setObject(5, start);
            ps.setObject(6, end);
            ps.setObject(7, startDate);
            ps.setObject(8, endDate);
            ps.setString(9, caller());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return created(new RotationDocument(id, roleId, name, List.copyOf(body.staff()),
                days.stream().map(d -> d.name().toLowerCase(Locale.ROOT)).toList(), start.toString(), end.toString(),
                startDate.toString(), endDate == null ? null : endDate.toString()));
    }

    @DELETE
    @Path("rotations/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a rotation")
    public Response deleteRotation(@PathParam("id") long id) {
        return delete("rotation", id);
    }

    // ---- swaps ----

    public record SwapRequest(String roleId, String counterpartId, String from, String to) {
    }

    public record SwapDocument(long id, String roleId, String requesterId, String counterpartId, String from,
            String to, String status, String requestedAt, String decidedAt) {
    }

    @GET
    @Path("swaps")
    @Operation(summary = "Swaps that have not yet ended, whatever their answer")
    public List<SwapDocument> swaps() {
        List<SwapDocument> all = new ArrayList<>();
        query("select id from rota_swap where ends_at > ? order by starts_at, id", rs -> all.add(swap(rs.getLong(1))));
        return all;
    }

    @POST
    @Path("swaps")
    @Operation(summary = "Ask someone to take your place as holder of a role for a period",
            description = "The caller is the requester. Nothing changes until the counterpart accepts.")
    public Response requestSwap(SwapRequest body) {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String roleId = role(hospital, body.roleId(), violations);
        staff(hospital, "counterpartId", body.counterpartId(), true, violations);
        if (caller().equals(body.counterpartId())) {
            violations.add(new Problem.Violation("counterpartId", "must be someone other than the requester"));
        }
        Instant from = instant("from", body.from(), violations);
        Instant to = instant("to", body.to(), violations);
        period(from, to, violations);
        if (hospital.staff(caller()).isEmpty()) {
            throw ProblemException.forbidden("only members of staff on the rota can ask for a swap");
        }
        reject(violations);
        long id = insert("insert into rota_swap (role_id, requester_id, counterpart_id, starts_at, ends_at)"
                + " values (?, ?, ?, ?, ?) returning id", roleId, caller(), body.counterpartId(), utc(from), utc(to));
        return Response.status(Response.Status.CREATED).entity(swap(id)).build();
    }

    @POST
    @Path("swaps/{id}/accept")
    @Operation(summary = "Accept a swap asked of you: you hold the role in the requester's place for the period")
    public SwapDocument acceptSwap(@PathParam("id") long id) {
        return answer(id, org.pagerless.rota.model.Swap.Status.ACCEPTED);
    }

    @POST
    @Path("swaps/{id}/decline")
    @Operation(summary = "Decline a swap asked of you; it is recorded and the rota is unchanged")
    public SwapDocument declineSwap(@PathParam("id") long id) {
        return answer(id, org.pagerless.rota.model.Swap.Status.DECLINED);
    }

    @DELETE
    @Path("swaps/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a swap")
    public Response deleteSwap(@PathParam("id") long id) {
        return delete("rota_swap", id);
    }

    private SwapDocument answer(long id, org.pagerless.rota.model.Swap.Status outcome) {
        SwapDocument current = swap(id);
        var swap = new org.pagerless.rota.model.Swap(current.roleId(), current.requesterId(), current.counterpartId(),
                Instant.parse(current.from()), Instant.parse(current.to()),
                org.pagerless.rota.model.Swap.Status.valueOf(current.status().toUpperCase(Locale.ROOT)));
        if (!swap.counterpartId().equals(caller())) {
            throw ProblemException.forbidden("only " + swap.counterpartId() + " can answer this swap");
        }
        if (swap.status() != org.pagerless.rota.model.Swap.Status.REQUESTED) {
            throw ProblemException.conflict("the swap is already " + current.status());
        }
        var decided = outcome == org.pagerless.rota.model.Swap.Status.ACCEPTED ? swap.acceptedBy(caller())
                : swap.declinedBy(caller());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update rota_swap set status = ?, decided_at = ? where id = ? and status = 'requested'")) {
            ps.setString(1, decided.status().name().toLowerCase(Locale.ROOT));
            ps.setObject(2, utc(clock.instant()));
            ps.setLong(3, id);
            if (ps.executeUpdate() == 0) {
                throw ProblemException.conflict("the swap was answered meanwhile");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        rotaEvents.changed(current.roleId(), "swap." + current.status(), caller());
        return swap(id);
    }

    private SwapDocument swap(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id, role_id, requester_id, counterpart_id, starts_at, ends_at, status, requested_at, decided_at"
                        + " from rota_swap where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("no swap " + id);
                }
                return new SwapDocument(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), text(rs, 5),
                        text(rs, 6), rs.getString(7), text(rs, 8),
                        rs.getObject(9) == null ? null : text(rs, 9));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- gaps ----

    @GET
    @Path("gaps")
    @Operation(summary = "Periods in the next 7 days when a role that should be covered has nobody",
            description = "A role should be covered when it has any shift or rotation in the window; leave and "
                    + "overrides are applied. 'from' (an instant) defaults to now.")
    public List<GapDocument> gaps(@QueryParam("from") String fromText) {
        List<Problem.Violation> violations = new ArrayList<>();
        Instant from = fromText == null ? clock.instant() : instant("from", fromText, violations);
        reject(violations);
        Hospital hospital = referenceData.hospital();
        return hospital.rota().gaps(from, from.plus(Duration.ofDays(7))).stream()
                .map((RotaResolver.Gap g) -> new GapDocument(g.roleId(),
                        hospital.role(g.roleId()).map(r -> r.name()).orElse(g.roleId()), g.from(), g.to()))
                .toList();
    }

    // ---- helpers ----

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Row row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, utc(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long insert(String sql, Object... values) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response created(Object document) {
        String key = document instanceof OverrideDocument o ? o.roleId()
                : document instanceof RotationDocument r ? r.roleId() : RotaEvents.REFERENCE_DATA;
        rotaEvents.changed(key, document.getClass().getSimpleName().replace("Document", "").toLowerCase(Locale.ROOT)
                + ".created", caller());
        return Response.status(Response.Status.CREATED).entity(document).build();
    }

    private Response delete(String table, long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from " + table + " where id = ?")) {
            ps.setLong(1, id);
            if (ps.executeUpdate() == 0) {
                throw ProblemException.notFound("no " + table.replace('_', ' ') + " " + id);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        rotaEvents.changed(RotaEvents.REFERENCE_DATA, table + ".deleted", caller());
        return Response.noContent().build();
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }

    static String text(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant().toString();
    }

    static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    static void reject(List<Problem.Violation> violations) {
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
    }

    static String role(Hospital hospital, String idOrName, List<Problem.Violation> violations) {
        if (idOrName == null || idOrName.isBlank()) {
            violations.add(new Problem.Violation("roleId", "is required"));
            return null;
        }
        return hospital.role(idOrName).map(r -> r.id()).orElseGet(() -> {
            violations.add(new Problem.Violation("roleId", "no role '" + idOrName + "'"));
            return null;
        });
    }

    static void staff(Hospital hospital, String field, String id, boolean required,
            List<Problem.Violation> violations) {
        if (id == null || id.isBlank()) {
            if (required) {
                violations.add(new Problem.Violation(field, "is required"));
            }
        } else if (hospital.staff(id).isEmpty()) {
            violations.add(new Problem.Violation(field, "no member of staff '" + id + "'"));
        }
    }

    static Instant instant(String field, String text, List<Problem.Violation> violations) {
        if (text == null || text.isBlank()) {
            violations.add(new Problem.Violation(field, "is required (an instant, e.g. 2026-03-28T20:00:00Z)"));
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(new Problem.Violation(field, "is not an instant with an offset, e.g. 2026-03-28T20:00:00Z"));
            return null;
        }
    }

    static void period(Instant from, Instant to, List<Problem.Violation> violations) {
        if (from != null && to != null && !to.isAfter(from)) {
            violations.add(new Problem.Violation("to", "must be after from"));
        }
    }

    private static LocalTime time(String field, String text, List<Problem.Violation> violations) {
        if (text == null || text.isBlank()) {
            violations.add(new Problem.Violation(field, "is required (HH:mm, London time)"));
            return null;
        }
        try {
            return LocalTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            violations.add(new Problem.Violation(field, "is not a time of day HH:mm"));
            return null;
        }
    }

    private static LocalDate date(String field, String text, boolean required, List<Problem.Violation> violations) {
        if (text == null || text.isBlank()) {
            if (required) {
                violations.add(new Problem.Violation(field, "is required (yyyy-mm-dd)"));
            }
            return null;
        }
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            violations.add(new Problem.Violation(field, "is not a date yyyy-mm-dd"));
            return null;
        }
    }

    private static Set<DayOfWeek> days(List<String> names, List<Problem.Violation> violations) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (names == null || names.isEmpty()) {
            violations.add(new Problem.Violation("days", "needs at least one day"));
            return days;
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) == null ? "" : names.get(i).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "weekdays" -> days.addAll(Rotation.WEEKDAYS);
                case "weekends" -> days.addAll(Rotation.WEEKENDS);
                case "every-day", "daily" -> days.addAll(Rotation.EVERY_DAY);
                default -> {
                    try {
                        days.add(DayOfWeek.valueOf(name.toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        violations.add(new Problem.Violation("days[" + i + "]", "is not a day of the week: '"
                                + names.get(i) + "'"));
                    }
                }
            }
        }
        return days;
    }
}
