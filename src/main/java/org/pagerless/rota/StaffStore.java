package org.pagerless.rota;

import java.util.List;
import java.util.Map;

import org.pagerless.platform.Jdbc;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.StaffResource.StaffDocument;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The {@code staff} table. Each write is one transaction; 404 and 409 are decided inside it. */
@ApplicationScoped
public class StaffStore {

    @Inject
    Jdbc jdbc;
    @Inject
    RotaWrites writes;

    /** Everyone, by id, with their phone numbers (the resource decides who may see those). */
    public List<StaffDocument> all() {
        return jdbc.query("select id, display_name, grade, app_role, phone from staff order by id",
                rs -> new StaffDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)));
    }

    public void add(StaffDocument doc) {
        writes.write(c -> {
            if (Jdbc.exists(c, "select 1 from staff where id = ?", doc.id())) {
                throw ProblemException.conflict("there is already a member of staff '" + doc.id() + "'");
            }
            Jdbc.update(c, "insert into staff (display_name, grade, app_role, phone, id) values (?, ?, ?, ?, ?)",
                    doc.name(), doc.grade(), doc.appRole(), doc.phone(), doc.id());
        });
    }

    public void update(String id, StaffDocument doc) {
        writes.write(c -> {
            if (Jdbc.update(c, "update staff set display_name = ?, grade = ?, app_role = ?, phone = ? where id = ?",
                    doc.name(), doc.grade(), doc.appRole(), doc.phone(), id) == 0) {
                throw ProblemException.notFound("no member of staff '" + id + "'");
            }
        });
    }

    /** Refused (409) while anything on the rota, or an escalation policy, still names them. */
    public void delete(String id) {
        writes.write(c -> {
            RotaWrites.refuseWhileReferenced(c, "member of staff '" + id + "'", id, Map.of(
                    "shift(s)", "select count(*) from shift where staff_id = ?",
                    "rotation(s)", "select count(*) from rotation where ? = any (staff)",
                    "override(s)", "select count(*) from rota_override where ? in (staff_id, replaced_staff_id)",
                    "leave record(s)", "select count(*) from staff_leave where staff_id = ?",
                    "swap(s)", "select count(*) from rota_swap where ? in (requester_id, counterpart_id)",
                    "escalation policy(ies)", "select count(*) from escalation_policy"
                            + " where definition::text like '%\"id\": \"' || ? || '\"%'"));
            if (Jdbc.update(c, "delete from staff where id = ?", id) == 0) {
                throw ProblemException.notFound("no member of staff '" + id + "'");
            }
        });
    }
}
