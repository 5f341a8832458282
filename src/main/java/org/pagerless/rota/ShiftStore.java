package org.pagerless.rota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.pagerless.platform.Jdbc;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.ShiftResource.ShiftDocument;
import org.pagerless.rota.model.Shift;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The {@code shift} table: explicit shifts, a person holding a role over [starts_at, ends_at). Each write is one
 * transaction.
 */
@ApplicationScoped
public class ShiftStore {
    @Inject
    Jdbc jdbc;

    /**
     * Shifts overlapping [{@code from}, {@code to}), narrowed to a role and a person when given (both columns are
     * {@code not null}, so {@code coalesce} leaves a null filter out: one statement for every filter), by start,
     * role and person.
     */
    public Uni<List<ShiftDocument>> overlapping(Instant from, Instant to, String roleId, String staffId) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "select id, role_id, staff_id, starts_at, ends_at"
                + " from shift where ends_at > ? and starts_at < ? and role_id = coalesce(?, role_id)"
                + " and staff_id = coalesce(?, staff_id) order by starts_at, role_id, staff_id",
                rs -> new ShiftDocument(rs.getLong(1), rs.getString(2), rs.getString(3),
                        Jdbc.instant(rs, 4).toString(), Jdbc.instant(rs, 5).toString()),
                from, to, roleId, staffId));
    }

    /** Adds the shift; answers its id. */
    public Uni<Long> add(String roleId, String staffId, Instant from, Instant to) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "insert into shift (role_id, staff_id, starts_at, ends_at)"
                + " values (?, ?, ?, ?) returning id", rs -> rs.getLong(1), roleId, staffId, from, to).get(0));
    }

    /**
     * Adds every shift not already on the rota exactly (same role, person, start and end; nor earlier in
     * {@code shifts}), all in one transaction; answers the roles of those added, one entry per shift added.
     */
    public Uni<List<String>> addAbsent(List<Shift> shifts) {
        Instant first = shifts.stream().map(Shift::startsAt).min(Instant::compareTo).orElseThrow();
        Instant last = shifts.stream().map(Shift::startsAt).max(Instant::compareTo).orElseThrow();
        return jdbc.transactionOnWorker(c -> {
            Set<Shift> present = new HashSet<>(Jdbc.query(c, "select role_id, staff_id, starts_at, ends_at from shift"
                    + " where starts_at >= ? and starts_at <= ?", rs -> new Shift(rs.getString(1), rs.getString(2),
                            Jdbc.instant(rs, 3), Jdbc.instant(rs, 4)), first, last));
            List<Shift> added = shifts.stream().filter(present::add).toList();
            insert(c, added);
            return added.stream().map(Shift::roleId).toList();
        });
    }

    public Uni<Void> update(long id, String roleId, String staffId, Instant from, Instant to) {
        return jdbc.transactionOnWorker(c -> {
            RotaWrites.found(Jdbc.update(c, "update shift set role_id = ?, staff_id = ?, starts_at = ?, ends_at = ?"
                    + " where id = ?", roleId, staffId, from, to, id), "no shift " + id);
            return null;
        });
    }

    /** Removes the shift; answers the role it was of. */
    public Uni<String> delete(long id) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "delete from shift where id = ? returning role_id",
                rs -> rs.getString(1), id).stream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("no shift " + id)));
    }

    /** One batch of inserts (a multi-row insert: the pool rewrites batched inserts). */
    private static void insert(Connection c, List<Shift> shifts) throws SQLException {
        if (shifts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into shift (role_id, staff_id, starts_at, ends_at) values (?, ?, ?, ?)")) {
            for (Shift shift : shifts) {
                ps.setString(1, shift.roleId());
                ps.setString(2, shift.staffId());
                ps.setObject(3, Jdbc.utc(shift.startsAt()));
                ps.setObject(4, Jdbc.utc(shift.endsAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
