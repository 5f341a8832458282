package org.pagerless.rota;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pagerless.platform.Jdbc;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.RotaRoleResource.RoleDocument;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The {@code role} and {@code role_ward} tables (and the sites a role may be at). Each write is one transaction. */
@ApplicationScoped
public class RoleStore {

    @Inject
    Jdbc jdbc;
    @Inject
    RotaWrites writes;

    /** Every role by name, with the wards it covers and its rank there (the lowest, if they differ). */
    public List<RoleDocument> all() {
        Map<String, List<String>> wards = new LinkedHashMap<>();
        Map<String, Integer> ranks = new LinkedHashMap<>();
        jdbc.forEachRow("select role_id, ward_id, rank from role_ward order by role_id, ward_id", rs -> {
            wards.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            ranks.merge(rs.getString(1), rs.getInt(3), Math::min);
        });
        return jdbc.query("select id, name, site_id, specialty, bleep from role order by name", rs -> new RoleDocument(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                wards.getOrDefault(rs.getString(1), List.of()), ranks.getOrDefault(rs.getString(1), 1)));
    }

    /** The ids of the hospital's sites. */
    public List<String> sites() {
        return jdbc.query("select id from site order by id", rs -> rs.getString(1));
    }

    public void add(RoleDocument doc) {
        writes.write(c -> {
            if (Jdbc.exists(c, "select 1 from role where id = ?", doc.id())) {
                throw ProblemException.conflict("there is already a role '" + doc.id() + "'");
            }
            Jdbc.update(c, "insert into role (name, site_id, specialty, bleep, id) values (?, ?, ?, ?, ?)", doc.name(),
                    doc.siteId(), doc.specialty(), doc.bleep(), doc.id());
            coverWards(c, doc);
        });
    }

    public void update(String id, RoleDocument doc) {
        writes.write(c -> {
            if (Jdbc.update(c, "update role set name = ?, site_id = ?, specialty = ?, bleep = ? where id = ?",
                    doc.name(), doc.siteId(), doc.specialty(), doc.bleep(), id) == 0) {
                throw ProblemException.notFound("no role '" + id + "'");
            }
            Jdbc.update(c, "delete from role_ward where role_id = ?", id);
            coverWards(c, doc);
        });
    }

    /** Refused (409) while the rota, a team, an escalation policy or duty still names it; its wards simply lose it. */
    public void delete(String id) {
        writes.write(c -> {
            Map<String, String> references = new LinkedHashMap<>();
            references.put("shift(s)", "select count(*) from shift where role_id = ?");
            references.put("rotation(s)", "select count(*) from rotation where role_id = ?");
            references.put("override(s)", "select count(*) from rota_override where role_id = ?");
            references.put("swap(s)", "select count(*) from rota_swap where role_id = ?");
            references.put("team(s)", "select count(*) from team_role where role_id = ?");
            references.put("escalation policy(ies)", "select count(*) from escalation_policy where role_id = ?"
                    + " or definition::text like '%\"id\": \"' || ? || '\"%'");
            references.put("escalation duty(ies)", "select count(*) from escalation_duty where role_id = ?");
            RotaWrites.refuseWhileReferenced(c, "role '" + id + "'", id, references);
            Jdbc.update(c, "delete from role_ward where role_id = ?", id);
            if (Jdbc.update(c, "delete from role where id = ?", id) == 0) {
                throw ProblemException.notFound("no role '" + id + "'");
            }
        });
    }

    private static void coverWards(Connection c, RoleDocument doc) throws SQLException {
        for (String ward : doc.wards()) {
            Jdbc.update(c, "insert into role_ward (role_id, ward_id, rank) values (?, ?, ?)", doc.id(), ward,
                    doc.rank());
        }
    }
}
