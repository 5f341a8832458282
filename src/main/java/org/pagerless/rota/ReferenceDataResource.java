package org.pagerless.rota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.ShiftImport;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * The reference data the rota is made of, managed by admins: staff, roles (with the wards they cover and their
 * bleep), broadcast teams, and explicit shifts. Every write is checked whole before anything is written (400 naming
 * each field), runs in one transaction, and is announced on {@code pagerless.rota-events.v1}. Deleting something
 * still referenced is refused with 409 saying what refers to it, never leaving dangling rows.
 */
@Path("/api/v1/rota")
@Tag(name = "Rota")
@Authenticated
public class ReferenceDataResource {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern BLEEP = Pattern.compile("[0-9]{3,6}");
    private static final Set<String> APP_ROLES = Set.of(AppRoles.SWITCHBOARD, AppRoles.CLINICIAN,
            AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN, AppRoles.INTEGRATION);

    @Inject
    DataSource dataSource;
    @Inject
    ReferenceData referenceData;
    @Inject
    RotaEvents rotaEvents;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;

    public record StaffDocument(String id, String name, String grade, String appRole, String phone) {
    }

    public record RoleDocument(String id, String name, String siteId, String specialty, String bleep,
            List<String> wards, Integer rank) {
    }

    public record TeamDocument(String id, String name, List<String> roles) {
    }

    public record ShiftDocument(Long id, String roleId, String staffId, String from, String to) {
    }

    // ---- staff ----

    @GET
    @Path("staff")
    @Operation(summary = "Every member of staff, by id", description = "A mobile number is shown only to its "
            + "owner, admins and the supervisors who call people (switchboard, nurse in charge, coordinator).")
    public List<StaffDocument> staff() {
        Caller caller = Caller.of(identity);
        return everyone().stream().map(s -> caller.isSupervisor() || caller.staffId().equals(s.id()) ? s
                : new StaffDocument(s.id(), s.name(), s.grade(), s.appRole(), null)).toList();
    }

    private List<StaffDocument> everyone() {
        List<StaffDocument> all = new ArrayList<>();
        read("select id, display_name, grade, app_role, phone from staff order by id", null, rs -> all.add(
                new StaffDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))));
        return all;
    }

    @GET
    @Path("staff/{id}")
    @Operation(summary = "One member of staff")
    public StaffDocument staff(@PathParam("id") String id) {
        return staff().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("no member of staff '" + id + "'"));
    }

    @POST
    @Path("staff")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add a member of staff", description = "id is also the sign-in name (lower case letters, "
            + "digits, '.', '_', '-'); appRole is what they may do in Pagerless (switchboard, clinician, "
            + "nurse-in-charge, coordinator, admin, integration); phone, if any, is their mobile in E.164 (+447700900123).")
    public Response addStaff(StaffDocument body) {
        StaffDocument doc = checkStaff(body, null);
        write(c -> {
            if (exists(c, "select 1 from staff where id = ?", doc.id())) {
                throw ProblemException.conflict("there is already a member of staff '" + doc.id() + "'");
            }
            update(c, "insert into staff (display_name, grade, app_role, phone, id) values (?, ?, ?, ?, ?)",
                    doc.name(), doc.grade(), doc.appRole(), doc.phone(), doc.id());
        });
        rotaEvents.changed(RotaEvents.REFERENCE_DATA, "staff.created", caller());
        return Response.status(Response.Status.CREATED).entity(doc).build();
    }

    @PUT
    @Path("staff/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Change a member of staff's name, grade, Pagerless role or phone")
    public StaffDocument updateStaff(@PathParam("id") String id, StaffDocument body) {
        StaffDocument doc = checkStaff(body, id);
        write(c -> {
            if (update(c, "update staff set display_name = ?, grade = ?, app_role = ?, phone = ? where id = ?",
                    doc.name(), doc.grade(), doc.appRole(), doc.phone(), id) == 0) {
                throw ProblemException.notFound("no member of staff '" + id + "'");
            }
        });
        rotaEvents.changed(RotaEvents.REFERENCE_DATA, "staff.updated", caller());
        return doc;
    }

    @DELETE
    @Path("staff/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a member of staff", description = "Refused (409) while any shift, rotation, "
            + "override, leave, swap or escalation policy still names them: remove or reassign those first.")
    public Response deleteStaff(@PathParam("id") String id) {
        write(c -> {
            refuseWhileReferenced(c, "member of staff '" + id + "'", id, Map.of(
                    "shift(s)", "select count(*) from shift where staff_id = ?",
                    "rotation(s)", "select count(*) from rotation where ? = any (staff)",
                    "override(s)", "select count(*) from rota_override where ? in (staff_id, replaced_staff_id)",
                    "leave record(s)", "select count(*) from staff_leave where staff_id = ?",
                    "swap(s)", "select count(*) from rota_swap where ? in (requester_id, counterpart_id)",
                    "escalation policy(ies)", "select count(*) from escalation_policy"
                            + " where definition::text like '%\"id\": \"' || ? || '\"%'"));
            if (update(c, "delete from staff where id = ?", id) == 0) {
                throw ProblemException.notFound("no member of staff '" + id + "'");
            }
        });
        rotaEvents.changed(RotaEvents.REFERENCE_DATA, "staff.deleted", caller());
        return Response.noContent().build();
    }

    private StaffDocument checkStaff(StaffDocument body, String pathId) {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
        List<Problem.Violation> v = new ArrayList<>();
        String id = pathId != null ? pathId : trim(body.id());
        if (pathId != null && body.id() != null && !body.id().trim().equals(pathId)) {
            v.add(new Problem.Violation("id", "must match the path (" + pathId + ")"));
        } else if (id == null) {
            v.add(new Problem.Violation("id", "is required (the sign-in name, e.g. kate.morgan)"));
        } else if (!ID.matcher(id).matches()) {
            v.add(new Problem.Violation("id", "must be 1-64 lower case letters, digits, '.', '_' or '-'"));
        }
        String name = required("name", body.name(), 100, v);
        String grade = trim(body.grade());
        if (grade != null && grade.length() > 50) {
            v.add(new Problem.Violation("grade", "is longer than 50 characters"));
        }
        String appRole = trim(body.appRole());
        if (appRole == null) {
            v.add(new Problem.Violation("appRole", "is required: one of " + String.join(", ", sorted(APP_ROLES))));
        } else if (!APP_ROLES.contains(appRole)) {
            v.add(new Problem.Violation("appRole", "must be one of " + String.join(", ", sorted(APP_ROLES))
                    + ", not '" + appRole + "'"));
        }
        String phone = trim(body.phone());
        if (phone != null) {
            phone = phone.replace(" ", "");
            if (!PHONE.matcher(phone).matches()) {
                v.add(new Problem.Violation("phone", "is not a mobile number in E.164 form, e.g. +447700900123"));
            } else {
                String other = referenceData.staffWithPhone(phone).orElse(null);
                if (other != null && !other.equals(id)) {
                    v.add(new Problem.Violation("phone", "is already the number of " + other
                            + ": text replies could not tell them apart"));
                }
            }
        }
        RotaResource.reject(v);
        return new StaffDocument(id, name, grade, appRole, phone);
    }

    // ---- roles ----

    @GET
    @Path("roles")
    @Operation(summary = "Every role with its site, specialty, bleep and the wards it covers")
    public List<RoleDocument> roles() {
        Map<String, List<String>> wards = new LinkedHashMap<>();
        Map<String, Integer> ranks = new LinkedHashMap<>();
        read("select role_id, ward_id, rank from role_ward order by role_id, ward_id", null, rs -> {
            wards.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            ranks.merge(rs.getString(1), rs.getInt(3), Math::min);
        });
        List<RoleDocument> all = new ArrayList<>();
        read("select id, name, site_id, specialty, bleep from role order by name", null, rs -> all.add(
                new RoleDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        wards.getOrDefault(rs.getString(1), List.of()), ranks.getOrDefault(rs.getString(1), 1))));
        return all;
    }

    @GET
    @Path("roles/{id}")
    @Operation(summary = "One role")
    public RoleDocument role(@PathParam("id") String id) {
        return roles().stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("no role '" + id + "'"));
    }

    @POST
    @Path("roles")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add a role", description = "wards: the ids of the wards it covers; rank (default 1): its "
            + "place in each of those wards' order of asking, 1 first (a ward's own FY1 1, the on-call SHO 2). siteId "
            + "may be left out when the trust has one site. bleep: 3-6 digits, unique.")
    public Response addRole(RoleDocument body) {
        RoleDocument doc = checkRole(body, null);
        write(c -> {
            if (exists(c, "select 1 from role where id = ?", doc.id())) {
                throw ProblemException.conflict("there is already a role '" + doc.id() + "'");
            }
            update(c, "insert into role (name, site_id, specialty, bleep, id) values (?, ?, ?, ?, ?)", doc.name(),
                    doc.siteId(), doc.specialty(), doc.bleep(), doc.id());
            coverWards(c, doc);
        });
        rotaEvents.changed(doc.id(), "role.created", caller());
        return Response.status(Response.Status.CREATED).entity(doc).build();
    }

    @PUT
    @Path("roles/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Change a role: name, site, specialty, bleep, the wards it covers and its rank there")
    public RoleDocument updateRole(@PathParam("id") String id, RoleDocument body) {
        RoleDocument doc = checkRole(body, id);
        write(c -> {
            if (update(c, "update role set name = ?, site_id = ?, specialty = ?, bleep = ? where id = ?", doc.name(),
                    doc.siteId(), doc.specialty(), doc.bleep(), id) == 0) {
                throw ProblemException.notFound("no role '" + id + "'");
            }
            update(c, "delete from role_ward where role_id = ?", id);
            coverWards(c, doc);
        });
        rotaEvents.changed(id, "role.updated", caller());
        return doc;
    }

    @DELETE
    @Path("roles/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a role", description = "Refused (409) while any shift, rotation, override, swap, "
            + "team, escalation policy or escalation duty still names it. The wards it covers simply lose it.")
    public Response deleteRole(@PathParam("id") String id) {
        write(c -> {
            Map<String, String> references = new LinkedHashMap<>();
            references.put("shift(s)", "select count(*) from shift where role_id = ?");
            references.put("rotation(s)", "select count(*) from rotation where role_id = ?");
            references.put("override(s)", "select count(*) from rota_override where role_id = ?");
            references.put("swap(s)", "select count(*) from rota_swap where role_id = ?");
            references.put("team(s)", "select count(*) from team_role where role_id = ?");
            references.put("escalation policy(ies)", "select count(*) from escalation_policy where role_id = ?"
                    + " or definition::text like '%\"id\": \"' || ? || '\"%'");
            references.put("escalation duty(ies)", "select count(*) from escalation_duty where role_id = ?");
            refuseWhileReferenced(c, "role '" + id + "'", id, references);
            update(c, "delete from role_ward where role_id = ?", id);
            if (update(c, "delete from role where id = ?", id) == 0) {
                throw ProblemException.notFound("no role '" + id + "'");
            }
        });
        rotaEvents.changed(id, "role.deleted", caller());
        return Response.noContent().build();
    }

    private RoleDocument checkRole(RoleDocument body, String pathId) {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
        List<Problem.Violation> v = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String id = pathId != null ? pathId : trim(body.id());
        if (pathId != null && body.id() != null && !body.id().trim().equals(pathId)) {
            v.add(new Problem.Violation("id", "must match the path (" + pathId + ")"));
        } else if (id == null) {
            v.add(new Problem.Violation("id", "is required (e.g. med-reg-oncall)"));
        } else if (!ID.matcher(id).matches()) {
            v.add(new Problem.Violation("id", "must be 1-64 lower case letters, digits, '.', '_' or '-'"));
        }
        String name = required("name", body.name(), 100, v);
        if (name != null) {
            hospital.role(name).filter(r -> !r.id().equals(id)).ifPresent(r -> v.add(
                    new Problem.Violation("name", "is already the name of role '" + r.id() + "'")));
        }
        List<String> sites = new ArrayList<>();
        read("select id from site order by id", null, rs -> sites.add(rs.getString(1)));
        String siteId = trim(body.siteId());
        if (siteId == null && sites.size() == 1) {
            siteId = sites.get(0);
        } else if (siteId == null) {
            v.add(new Problem.Violation("siteId", "is required: one of " + String.join(", ", sites)));
        } else if (!sites.contains(siteId)) {
            v.add(new Problem.Violation("siteId", "no site '" + siteId + "'"));
        }
        String specialty = trim(body.specialty());
        String bleep = trim(body.bleep());
        if (bleep != null && !BLEEP.matcher(bleep).matches()) {
            v.add(new Problem.Violation("bleep", "must be 3 to 6 digits"));
        } else if (bleep != null) {
            hospital.roleByBleep(bleep).filter(r -> !r.id().equals(id)).ifPresent(r -> v.add(
                    new Problem.Violation("bleep", "is already the bleep of " + r.name())));
        }
        List<String> wards = new ArrayList<>();
        List<String> given = body.wards() == null ? List.of() : body.wards();
        for (int i = 0; i < given.size(); i++) {
            String ward = trim(given.get(i));
            var known = ward == null ? java.util.Optional.<org.pagerless.rota.model.Ward>empty() : hospital.ward(ward);
            if (known.isEmpty()) {
                v.add(new Problem.Violation("wards[" + i + "]", "no ward '" + given.get(i) + "'"));
            } else if (wards.contains(known.get().id())) {
                v.add(new Problem.Violation("wards[" + i + "]", "names ward " + known.get().id() + " twice"));
            } else {
                wards.add(known.get().id());
            }
        }
        int rank = body.rank() == null ? 1 : body.rank();
        if (rank < 1 || rank > 99) {
            v.add(new Problem.Violation("rank", "must be from 1 (asked first) to 99"));
        }
        RotaResource.reject(v);
        return new RoleDocument(id, name, siteId, specialty, bleep, List.copyOf(wards), rank);
    }

    private static void coverWards(Connection c, RoleDocument doc) throws SQLException {
        for (String ward : doc.wards()) {
            update(c, "insert into role_ward (role_id, ward_id, rank) values (?, ?, ?)", doc.id(), ward, doc.rank());
        }
    }

    // ---- teams ----

    @GET
    @Path("teams")
    @Operation(summary = "Every broadcast team with its roles, in the order they are alerted")
    public List<TeamDocument> teams() {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, List<String>> roles = new LinkedHashMap<>();
        read("select t.id, t.name, tr.role_id from team t left join team_role tr on tr.team_id = t.id"
                + " order by t.name, tr.rank", null, rs -> {
                    names.put(rs.getString(1), rs.getString(2));
                    List<String> list = roles.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                    if (rs.getString(3) != null) {
                        list.add(rs.getString(3));
                    }
                });
        return names.entrySet().stream().map(e -> new TeamDocument(e.getKey(), e.getValue(), roles.get(e.getKey())))
                .toList();
    }

    @POST
    @Path("teams")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add a broadcast team (e.g. the crash team): the roles whose holders a 2222 call alerts")
    public Response addTeam(TeamDocument body) {
        TeamDocument doc = checkTeam(body, null);
        write(c -> {
            if (exists(c, "select 1 from team where id = ?", doc.id())) {
                throw ProblemException.conflict("there is already a team '" + doc.id() + "'");
            }
            update(c, "insert into team (name, id) values (?, ?)", doc.name(), doc.id());
            teamRoles(c, doc);
        });
        rotaEvents.changed(RotaEvents.REFERENCE_DATA, "team.created", caller());
        return Response.status(Response.Status.CREATED).entity(doc).build();
    }

    @PUT
    @Path("teams/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Change a team's name and roles (the list replaces the old one)")
    public TeamDocument updateTeam(@PathParam("id") String id, TeamDocument body) {
        TeamDocument doc = checkTeam(body, id);
        write(c -> {
            if (update(c, "update team set name = ? where id = ?", doc.name(), id) == 0) {
                throw ProblemException.notFound("no team '" + id + "'");
            }
            update(c, "delete from team_role where team_id = ?", id);
            teamRoles(c, doc);
        });
        rotaEvents.changed(RotaEvents.REFERENCE_DATA, "team.updated", caller());
        return doc;
    }

    @DELETE
    @Path("teams/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a team", description = "Broadcasts already sent keep their roll-call.")
    public Response deleteTeam(@PathParam("id") String id) {
        write(c -> {
            update(c, "delete from team_role where team_id = ?", id);
            if (update(c, "delete from team where id = ?", id) == 0) {
                throw ProblemException.notFound("no team '" + id + "'");
            }
        });
        rotaEvents.changed(RotaEvents.REFERENCE_DATA, "team.deleted", caller());
        return Response.noContent().build();
    }

    private TeamDocument checkTeam(TeamDocument body, String pathId) {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
        List<Problem.Violation> v = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String id = pathId != null ? pathId : trim(body.id());
        if (pathId != null && body.id() != null && !body.id().trim().equals(pathId)) {
            v.add(new Problem.Violation("id", "must match the path (" + pathId + ")"));
        } else if (id == null) {
            v.add(new Problem.Violation("id", "is required (e.g. crash)"));
        } else if (!ID.matcher(id).matches()) {
            v.add(new Problem.Violation("id", "must be 1-64 lower case letters, digits, '.', '_' or '-'"));
        }
        String name = required("name", body.name(), 100, v);
        if (name != null) {
            teams().stream().filter(t -> t.name().equalsIgnoreCase(name) && !t.id().equals(id)).findFirst()
                    .ifPresent(t -> v.add(new Problem.Violation("name", "is already the name of team '" + t.id() + "'")));
        }
        Set<String> roles = new LinkedHashSet<>();
        List<String> given = body.roles() == null ? List.of() : body.roles();
        if (given.isEmpty()) {
            v.add(new Problem.Violation("roles", "needs at least one role: a team nobody is in alerts nobody"));
        }
        for (int i = 0; i < given.size(); i++) {
            String role = trim(given.get(i));
            var known = role == null ? java.util.Optional.<org.pagerless.rota.model.Role>empty() : hospital.role(role);
            if (known.isEmpty()) {
                v.add(new Problem.Violation("roles[" + i + "]", "no role '" + given.get(i) + "'"));
            } else if (!roles.add(known.get().id())) {
                v.add(new Problem.Violation("roles[" + i + "]", "names role " + known.get().id() + " twice"));
            }
        }
        RotaResource.reject(v);
        return new TeamDocument(id, name, List.copyOf(roles));
    }

    private static void teamRoles(Connection c, TeamDocument doc) throws SQLException {
        int rank = 1;
        for (String role : doc.roles()) {
            update(c, "insert into team_role (team_id, role_id, rank) values (?, ?, ?)", doc.id(), role, rank++);
        }
    }

    // ---- shifts ----

    @GET
    @Path("shifts")
    @Operation(summary = "Explicit shifts overlapping a window", description = "from and to are instants; the "
            + "default window is a day back to 14 days ahead. roleId and staffId narrow it.")
    public List<ShiftDocument> shifts(@QueryParam("from") String fromText, @QueryParam("to") String toText,
            @QueryParam("roleId") String roleId, @QueryParam("staffId") String staffId) {
        List<Problem.Violation> v = new ArrayList<>();
        Instant now = clock.instant();
        Instant from = fromText == null ? now.minus(Duration.ofDays(1)) : RotaResource.instant("from", fromText, v);
        Instant to = toText == null ? now.plus(Duration.ofDays(14)) : RotaResource.instant("to", toText, v);
        RotaResource.period(from, to, v);
        RotaResource.reject(v);
        List<ShiftDocument> all = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id, role_id, staff_id, starts_at, ends_at from shift where ends_at > ? and starts_at < ?"
                        + " and (?::text is null or role_id = ?) and (?::text is null or staff_id = ?)"
                        + " order by starts_at, role_id, staff_id")) {
            ps.setObject(1, RotaResource.utc(from));
            ps.setObject(2, RotaResource.utc(to));
            ps.setString(3, roleId);
            ps.setString(4, roleId);
            ps.setString(5, staffId);
            ps.setString(6, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(shift(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return all;
    }

    @POST
    @Path("shifts")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add an explicit shift: staffId holds roleId from 'from' to 'to' (instants with an offset)")
    public Response addShift(ShiftDocument body) {
        ShiftDocument doc = checkShift(body);
        long id = write(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into shift (role_id, staff_id, starts_at, ends_at)"
                    + " values (?, ?, ?, ?) returning id")) {
                ps.setString(1, doc.roleId());
                ps.setString(2, doc.staffId());
                ps.setObject(3, RotaResource.utc(Instant.parse(doc.from())));
                ps.setObject(4, RotaResource.utc(Instant.parse(doc.to())));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        rotaEvents.changed(doc.roleId(), "shift.created", caller());
        return Response.status(Response.Status.CREATED)
                .entity(new ShiftDocument(id, doc.roleId(), doc.staffId(), doc.from(), doc.to())).build();
    }

    @PUT
    @Path("shifts/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Change a shift's role, member of staff or times")
    public ShiftDocument updateShift(@PathParam("id") long id, ShiftDocument body) {
        ShiftDocument doc = checkShift(body);
        write(c -> {
            if (update(c, "update shift set role_id = ?, staff_id = ?, starts_at = ?, ends_at = ? where id = ?",
                    doc.roleId(), doc.staffId(), RotaResource.utc(Instant.parse(doc.from())),
                    RotaResource.utc(Instant.parse(doc.to())), id) == 0) {
                throw ProblemException.notFound("no shift " + id);
            }
        });
        rotaEvents.changed(doc.roleId(), "shift.updated", caller());
        return new ShiftDocument(id, doc.roleId(), doc.staffId(), doc.from(), doc.to());
    }

    @DELETE
    @Path("shifts/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a shift")
    public Response deleteShift(@PathParam("id") long id) {
        String role = write(c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from shift where id = ? returning role_id")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound("no shift " + id);
                    }
                    return rs.getString(1);
                }
            }
        });
        rotaEvents.changed(role, "shift.deleted", caller());
        return Response.noContent().build();
    }

    private static ShiftDocument shift(ResultSet rs) throws SQLException {
        return new ShiftDocument(rs.getLong(1), rs.getString(2), rs.getString(3), RotaResource.text(rs, 4),
                RotaResource.text(rs, 5));
    }

    private ShiftDocument checkShift(ShiftDocument body) {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
        List<Problem.Violation> v = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String roleId = RotaResource.role(hospital, body.roleId(), v);
        RotaResource.staff(hospital, "staffId", body.staffId(), true, v);
        Instant from = RotaResource.instant("from", body.from(), v);
        Instant to = RotaResource.instant("to", body.to(), v);
        if (from != null && to != null && !to.isAfter(from)) {
            v.add(new Problem.Violation("to", "must be after from: a shift cannot end before it starts"));
        } else if (from != null && to != null
                && Duration.between(from, to).compareTo(ShiftImport.LONGEST_SHIFT) > 0) {
            v.add(new Problem.Violation("to", "makes the shift longer than "
                    + ShiftImport.LONGEST_SHIFT.toDays() + " days"));
        }
        RotaResource.reject(v);
        return new ShiftDocument(null, roleId, body.staffId().trim(), from.toString(), to.toString());
    }

    // ---- helpers ----

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    interface VoidWork {
        void run(Connection c) throws SQLException;
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    /** Runs {@code work} in one transaction: all of it is written, or (on any failure) none of it. */
    <T> T write(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
                    // A reference appeared meanwhile (foreign key): refused, as the check above would have.
                    throw ProblemException.conflict("it is still referenced elsewhere; nothing was changed");
                }
                if (e instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                    throw ProblemException.conflict("it clashes with an existing one (a unique name, bleep or id);"
                            + " nothing was changed");
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(VoidWork work) {
        write(c -> {
            work.run(c);
            return null;
        });
    }

    private void read(String sql, Object parameter, Row row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setObject(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** 409 naming every kind of row that still refers to {@code id}, counted inside the deleting transaction. */
    private static void refuseWhileReferenced(Connection c, String what, String id, Map<String, String> counts)
            throws SQLException {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> count : new java.util.TreeMap<>(counts).entrySet()) {
            try (PreparedStatement ps = c.prepareStatement(count.getValue())) {
                int parameters = count.getValue().length() - count.getValue().replace("?", "").length();
                for (int i = 1; i <= parameters; i++) {
                    ps.setString(i, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        found.add(rs.getLong(1) + " " + count.getKey());
                    }
                }
            }
        }
        if (!found.isEmpty()) {
            throw ProblemException.conflict("the " + what + " is still referenced by " + String.join(", ", found)
                    + "; remove or reassign those first");
        }
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String required(String field, String value, int max, List<Problem.Violation> v) {
        String s = trim(value);
        if (s == null) {
            v.add(new Problem.Violation(field, "is required"));
        } else if (s.length() > max) {
            v.add(new Problem.Violation(field, "is longer than " + max + " characters"));
        }
        return s;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
