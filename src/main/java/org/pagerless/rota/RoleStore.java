package org.pagerless.rota;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pagerless.platform.ProblemException;
import org.pagerless.rota.RotaRoleResource.RoleDocument;
import org.pagerless.rota.rows.RoleLine;
import org.pagerless.rota.rows.RoleRow;
import org.pagerless.rota.rows.RoleWardRow;
import org.pagerless.rota.rows.SiteRow;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The {@code role} and {@code role_ward} tables ({@link RoleRow}, {@link RoleWardRow}) and the sites a role may be at.
 * Each write is one transaction.
 */
@ApplicationScoped
public class RoleStore {
    @Inject
    @Any
    Instance<RotaReferences> others;

    /**
     * Every role by name, with the wards it covers (by id) and its rank there (the lowest, if they differ; 1 if it
     * covers none). A read: a session without a transaction, one named query joining {@code role_ward}, a projection
     * ({@link RoleLine}) rather than managed entities.
     */
    @WithSession
    public Uni<List<RoleDocument>> all() {
        return Panache.getSession().chain(session -> session.createNamedQuery(RoleRow.WITH_WARDS, RoleLine.class)
                .getResultList()).map(RoleStore::documents);
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
    @WithSession
    public Uni<List<String>> sites() {
        return SiteRow.<SiteRow>list("order by id").map(sites -> sites.stream().map(s -> s.id).toList());
    }

    @WithTransaction
    public Uni<Void> add(RoleDocument doc) {
        return RoleRow.<RoleRow>findById(doc.id()).chain(existing -> {
            if (existing != null) {
                throw ProblemException.conflict("there is already a role '" + doc.id() + "'");
            }
            RoleRow row = new RoleRow();
            row.id = doc.id();
            return copy(doc, row).persist().chain(() -> coverWards(doc));
        });
    }

    @WithTransaction
    public Uni<Void> update(String id, RoleDocument doc) {
        return RoleRow.<RoleRow>findById(id).chain(row -> {
            if (row == null) {
                throw ProblemException.notFound("no role '" + id + "'");
            }
            copy(doc, row);
            return RoleWardRow.delete("roleId", id).chain(() -> coverWards(doc));
        });
    }

    /** Refused (409) while the rota, a team or another feature ({@link RotaReferences}) names it; its wards lose it. */
    @WithTransaction
    public Uni<Void> delete(String id) {
        Map<String, String> references = new LinkedHashMap<>();
        references.put("shift(s)", "select count(*) from shift where role_id = ?");
        references.put("rotation(s)", "select count(*) from rotation where role_id = ?");
        references.put("override(s)", "select count(*) from rota_override where role_id = ?");
        references.put("swap(s)", "select count(*) from rota_swap where role_id = ?");
        references.put("team(s)", "select count(*) from team_role where role_id = ?");
        others.forEach(other -> references.putAll(other.toRole()));
        return RotaWrites.deleted(RotaWrites.refuseWhileReferenced("role '" + id + "'", id, references)
                .chain(() -> RoleWardRow.delete("roleId", id))
                .chain(() -> RoleRow.delete("id", id)), "no role '" + id + "'");
    }

    private static RoleRow copy(RoleDocument doc, RoleRow row) {
        row.name = doc.name();
        row.siteId = doc.siteId();
        row.specialty = doc.specialty();
        row.bleep = doc.bleep();
        return row;
    }

    private static Uni<Void> coverWards(RoleDocument doc) {
        List<RoleWardRow> covers = doc.wards().stream().map(ward -> new RoleWardRow(doc.id(), ward, doc.rank()))
                .toList();
        return covers.isEmpty() ? Uni.createFrom().voidItem() : RoleWardRow.persist(covers);
    }
}
