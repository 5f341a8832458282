package org.pagerless.rota;

import java.time.Instant;
import java.util.List;

import org.pagerless.platform.Jdbc;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.ShiftResource.ShiftDocument;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The {@code shift} table: explicit shifts. Each write is one transaction. */
@ApplicationScoped
public class ShiftStore {

    @Inject
    Jdbc jdbc;
    @Inject
    RotaWrites writes;

    /** Shifts overlapping [{@code from}, {@code to}), narrowed to a role and a person when given. */
    public List<ShiftDocument> overlapping(Instant from, Instant to, String roleId, String staffId) {
        return jdbc.query("select id, role_id, staff_id, starts_at, ends_at from shift where ends_at > ? and starts_at < ?"
                + " and (?::text is null or role_id = ?) and (?::text is null or staff_id = ?)"
                + " order by starts_at, role_id, staff_id",
                rs -> new ShiftDocument(rs.getLong(1), rs.getString(2), rs.getString(3),
                        Jdbc.instant(rs, 4).toString(), Jdbc.instant(rs, 5).toString()),
                from, to, roleId, roleId, staffId, staffId);
    }

    /** Adds the shift; answers its id. */
    public long add(String roleId, String staffId, Instant from, Instant to) {
        return writes.write(c -> {
            return Jdbc.query(c, "insert into shift (role_id, staff_id, starts_at, ends_at) values (?, ?, ?, ?)"
                    + " returning id", rs -> rs.getLong(1), roleId, staffId, from, to).get(0);
        });
    }

    public void update(long id, String roleId, String staffId, Instant from, Instant to) {
        writes.write(c -> {
            if (Jdbc.update(c, "update shift set role_id = ?, staff_id = ?, starts_at = ?, ends_at = ? where id = ?",
                    roleId, staffId, from, to, id) == 0) {
                throw ProblemException.notFound("no shift " + id);
            }
        });
    }

    /** Removes the shift; answers the role it was of. */
    public String delete(long id) {
        return writes.write(c -> {
            return Jdbc.query(c, "delete from shift where id = ? returning role_id", rs -> rs.getString(1), id).stream()
                    .findFirst().orElseThrow(() -> ProblemException.notFound("no shift " + id));
        });
    }
}
