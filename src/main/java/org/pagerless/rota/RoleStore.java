package org.pagerless.rota;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pagerless.platform.ProblemException;
import org.pagerless.rota.RotaRoleResource.RoleDocument;
import org.pagerless.rota.rows.RoleRow;
import org.pagerless.rota.rows.RoleWardRow;
import org.pagerless.rota.rows.SiteRow;

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

    /** Every role by name, with the wards it covers and its rank there (the lowest, if they differ). */
    @WithSession
    public Uni<List<RoleDocument>> all() {
        return RoleWardRow.<RoleWardRow>list("order by roleId, wardId").chain(covers -> {
            Map<String, List<String>> wards = new LinkedHashMap<>();
            Map<String, Integer> ranks = new LinkedHashMap<>();
            for (RoleWardRow cover : covers) {
                wards.computeIfAbsent(cover.roleId, k -> new ArrayList<>()).add(cover.wardId);
                ranks.merge(cover.roleId, cover.rank, Math::min);
            }
            return RoleRow.<RoleRow>list("order by name").map(roles -> roles.stream().map(r -> new RoleDocument(r.id,
                    r.name, r.siteId, r.specialty, r.bleep, wards.getOrDefault(r.id, List.of()),
                    ranks.getOrDefault(r.id, 1))).toList());
        });
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
