package org.pagerless.rota;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.pagerless.platform.Jdbc;
import org.pagerless.rota.StaffResource.StaffDocument;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** The {@code staff} table. Each write is one transaction; 404 and 409 are decided inside it. */
@ApplicationScoped
public class StaffStore {
    @Inject
    Jdbc jdbc;
    @Inject
    @Any
    Instance<RotaReferences> others;

    /** Everyone, by id, with their phone numbers (the resource decides who may see those). */
    public Uni<List<StaffDocument>> all() {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c,
                "select id, display_name, grade, app_role, phone from staff order by id",
                rs -> new StaffDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5))));
    }

    /** 409 if there is already someone with its id. */
    public Uni<Void> add(StaffDocument doc) {
        return jdbc.transactionOnWorker(c -> {
            RotaWrites.applied(Jdbc.update(c, "insert into staff (id, display_name, grade, app_role, phone)"
                    + " values (?, ?, ?, ?, ?) on conflict (id) do nothing", doc.id(), doc.name(), doc.grade(),
                    doc.appRole(), doc.phone()), "there is already a member of staff '" + doc.id() + "'");
            return null;
        });
    }

    public Uni<Void> update(String id, StaffDocument doc) {
        return jdbc.transactionOnWorker(c -> {
            RotaWrites.found(Jdbc.update(c, "update staff set display_name = ?, grade = ?, app_role = ?, phone = ?"
                    + " where id = ?", doc.name(), doc.grade(), doc.appRole(), doc.phone(), id),
                    "no member of staff '" + id + "'");
            return null;
        });
    }

    /** Refused (409) while anything on the rota, or what another feature keeps ({@link RotaReferences}), names them. */
    public Uni<Void> delete(String id) {
        Map<String, String> references = new HashMap<>(Map.of(
                "shift(s)", "select count(*) from shift where staff_id = ?",
                "rotation(s)", "select count(*) from rotation where ? = any (staff)",
                "override(s)", "select count(*) from rota_override where ? in (staff_id, replaced_staff_id)",
                "leave record(s)", "select count(*) from staff_leave where staff_id = ?",
                "swap(s)", "select count(*) from rota_swap where ? in (requester_id, counterpart_id)"));
        others.forEach(other -> references.putAll(other.toStaff()));
        return jdbc.transactionOnWorker(c -> {
            RotaWrites.refuseWhileReferenced(c, "member of staff '" + id + "'", id, references);
            RotaWrites.found(Jdbc.update(c, "delete from staff where id = ?", id), "no member of staff '" + id + "'");
            return null;
        });
    }
}
