package org.pagerless.rota;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.pagerless.platform.ProblemException;
import org.pagerless.rota.StaffResource.StaffDocument;
import org.pagerless.rota.rows.StaffRow;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** The {@code staff} table ({@link StaffRow}). Each write is one transaction; 404 and 409 are decided inside it. */
@ApplicationScoped
public class StaffStore {
    @Inject
    @Any
    Instance<RotaReferences> others;

    /** Everyone, by id, with their phone numbers (the resource decides who may see those). */
    @WithSession
    public Uni<List<StaffDocument>> all() {
        return StaffRow.<StaffRow>list("order by id").map(rows -> rows.stream().map(StaffStore::document).toList());
    }

    @WithTransaction
    public Uni<Void> add(StaffDocument doc) {
        return StaffRow.<StaffRow>findById(doc.id()).chain(existing -> {
            if (existing != null) {
                throw ProblemException.conflict("there is already a member of staff '" + doc.id() + "'");
            }
            StaffRow row = new StaffRow();
            row.id = doc.id();
            return copy(doc, row).persist().replaceWithVoid();
        });
    }

    @WithTransaction
    public Uni<Void> update(String id, StaffDocument doc) {
        return StaffRow.<StaffRow>findById(id).invoke(row -> {
            if (row == null) {
                throw ProblemException.notFound("no member of staff '" + id + "'");
            }
            copy(doc, row);
        }).replaceWithVoid();
    }

    /** Refused (409) while anything on the rota, or what another feature keeps ({@link RotaReferences}), names them. */
    @WithTransaction
    public Uni<Void> delete(String id) {
        Map<String, String> references = new HashMap<>(Map.of(
                "shift(s)", "select count(*) from shift where staff_id = ?",
                "rotation(s)", "select count(*) from rotation where ? = any (staff)",
                "override(s)", "select count(*) from rota_override where ? in (staff_id, replaced_staff_id)",
                "leave record(s)", "select count(*) from staff_leave where staff_id = ?",
                "swap(s)", "select count(*) from rota_swap where ? in (requester_id, counterpart_id)"));
        others.forEach(other -> references.putAll(other.toStaff()));
        return RotaWrites.deleted(RotaWrites.refuseWhileReferenced("member of staff '" + id + "'", id, references)
                .chain(() -> StaffRow.delete("id", id)), "no member of staff '" + id + "'");
    }

    private static StaffRow copy(StaffDocument doc, StaffRow row) {
        row.displayName = doc.name();
        row.grade = doc.grade();
        row.appRole = doc.appRole();
        row.phone = doc.phone();
        return row;
    }

    private static StaffDocument document(StaffRow row) {
        return new StaffDocument(row.id, row.displayName, row.grade, row.appRole, row.phone);
    }
}
