package org.pagerless.rota;

import java.time.Instant;
import java.util.List;

import org.pagerless.platform.Jdbc;
import org.pagerless.rota.CoverResource.LeaveDocument;
import org.pagerless.rota.CoverResource.OverrideDocument;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The {@code staff_leave} and {@code rota_override} tables: who is away, and who holds a role instead (created_at is
 * the database's). Each write is one transaction.
 */
@ApplicationScoped
public class CoverStore {
    @Inject
    Jdbc jdbc;

    /** Leave that has not ended at {@code now}. */
    public Uni<List<LeaveDocument>> leave(Instant now) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "select id, staff_id, starts_at, ends_at, reason"
                + " from staff_leave where ends_at > ? order by starts_at, id", rs -> new LeaveDocument(rs.getLong(1),
                        rs.getString(2), Jdbc.instant(rs, 3).toString(), Jdbc.instant(rs, 4).toString(),
                        rs.getString(5)), now));
    }

    /** Records leave; answers its id. */
    public Uni<Long> addLeave(String staffId, Instant from, Instant to, String reason, String by) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "insert into staff_leave (staff_id, starts_at, ends_at,"
                + " reason, created_by) values (?, ?, ?, ?, ?) returning id", rs -> rs.getLong(1), staffId, from, to,
                reason, by).get(0));
    }

    public Uni<Void> deleteLeave(long id) {
        return RotaWrites.deleteById(jdbc, "staff_leave", id, "no staff leave " + id);
    }

    /** Overrides that have not ended at {@code now}. */
    public Uni<List<OverrideDocument>> overrides(Instant now) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "select id, role_id, kind, staff_id, replaced_staff_id,"
                + " starts_at, ends_at, reason from rota_override where ends_at > ? order by starts_at, id",
                rs -> new OverrideDocument(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), Jdbc.instant(rs, 6).toString(), Jdbc.instant(rs, 7).toString(),
                        rs.getString(8)), now));
    }

    /** Adds the override ({@code kind} as stored: add, remove or replace); answers its id. */
    public Uni<Long> addOverride(String roleId, String kind, String staffId, String replacedStaffId, Instant from,
                                 Instant to, String reason, String by) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "insert into rota_override (role_id, kind, staff_id,"
                + " replaced_staff_id, starts_at, ends_at, reason, created_by) values (?, ?, ?, ?, ?, ?, ?, ?)"
                + " returning id", rs -> rs.getLong(1), roleId, kind, staffId, replacedStaffId, from, to, reason,
                by).get(0));
    }

    public Uni<Void> deleteOverride(long id) {
        return RotaWrites.deleteById(jdbc, "rota_override", id, "no rota override " + id);
    }
}
