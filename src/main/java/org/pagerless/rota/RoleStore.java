package org.pagerless.rota;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pagerless.platform.Jdbc;
import org.pagerless.rota.RotaRoleResource.RoleDocument;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** The {@code role} and {@code role_ward} tables and the sites a role may be at. Each write is one transaction. */
@ApplicationScoped
public class RoleStore {
    /** A role with one ward it covers: {@code wardId} and {@code rank} are null for a role that covers no ward. */
    record RoleLine(String id, String name, String siteId, String specialty, String bleep, String wardId,
            Integer rank) {
    }

    @Inject
    Jdbc jdbc;
    @Inject
    @Any
    Instance<RotaReferences> others;

    /**
     * Every role by name, with the wards it covers (by id) and its rank there (the lowest, if they differ; 1 if it
     * covers none): one query joining {@code role_ward}.
     */
    public Uni<List<RoleDocument>> all() {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "select r.id, r.name, r.site_id, r.specialty, r.bleep,"
                + " w.ward_id, w.rank from role r left join role_ward w on w.role_id = r.id"
                + " order by r.name, r.id, w.ward_id", rs -> new RoleLine(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getObject(7, Integer.class)))).map(RoleStore::documents);
    }

    /** Folds the join's lines (one per role and ward, a role's lines together) into one document per role. */
    static List<RoleDocument> documents(List<RoleLine> lines) {
        List<RoleDocument> roles = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            RoleLine role = lines.get(i);
            List<String> wards = new ArrayList<>();
            int rank = Integer.MAX_VALUE;
            for (; i < lines.size() && lines.get(i).id().equals(role.id()); i++) {
                RoleLine line = lines.get(i);
                if (line.wardId() != null) {
                    wards.add(line.wardId());
                    rank = Math.min(rank, line.rank());
                }
            }
            roles.add(new RoleDocument(role.id(), role.name(), role.siteId(), role.specialty(), role.bleep(), wards,
                    wards.isEmpty() ? 1 : rank));
        }
        return roles;
    }

    /** The ids of the hospital's sites. */
    public Uni<List<String>> sites() {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "select id from site order by id", rs -> rs.getString(1)));
    }

    /** 409 if there is already a role with its id. */
    public Uni<Void> add(RoleDocument doc) {
        return jdbc.transactionOnWorker(c -> {
            RotaWrites.applied(Jdbc.update(c, "insert into role (id, name, site_id, specialty, bleep)"
                    + " values (?, ?, ?, ?, ?) on conflict (id) do nothing", doc.id(), doc.name(), doc.siteId(),
                    doc.specialty(), doc.bleep()), "there is already a role '" + doc.id() + "'");
            coverWards(c, doc);
            return null;
        });
    }

    /** Its columns and wards: the wards replace the old ones. */
    public Uni<Void> update(String id, RoleDocument doc) {
        return jdbc.transactionOnWorker(c -> {
            RotaWrites.found(Jdbc.update(c, "update role set name = ?, site_id = ?, specialty = ?, bleep = ?"
                    + " where id = ?", doc.name(), doc.siteId(), doc.specialty(), doc.bleep(), id),
                    "no role '" + id + "'");
            Jdbc.update(c, "delete from role_ward where role_id = ?", id);
            coverWards(c, doc);
            return null;
        });
    }

    /** Refused (409) while the rota, a team or another feature ({@link RotaReferences}) names it; its wards lose it. */
    public Uni<Void> delete(String id) {
        Map<String, String> references = new LinkedHashMap<>();
        references.put("shift(s)", "select count(*) from shift where role_id = ?");
        references.put("rotation(s)", "select count(*) from rotation where role_id = ?");
        references.put("override(s)", "select count(*) from rota_override where role_id = ?");
        references.put("swap(s)", "select count(*) from rota_swap where role_id = ?");
        references.put("team(s)", "select count(*) from team_role where role_id = ?");
        others.forEach(other -> references.putAll(other.toRole()));
        return jdbc.transactionOnWorker(c -> {
            RotaWrites.refuseWhileReferenced(c, "role '" + id + "'", id, references);
            Jdbc.update(c, "delete from role_ward where role_id = ?", id);
            RotaWrites.found(Jdbc.update(c, "delete from role where id = ?", id), "no role '" + id + "'");
            return null;
        });
    }

    private static void coverWards(Connection c, RoleDocument doc) throws SQLException {
        for (String ward : doc.wards()) {
            Jdbc.update(c, "insert into role_ward (role_id, ward_id, rank) values (?, ?, ?)", doc.id(), ward,
                    doc.rank());
        }
    }
}
