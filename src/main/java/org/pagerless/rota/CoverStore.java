package org.pagerless.rota;

import java.time.Instant;
import java.util.List;

import org.pagerless.rota.CoverResource.LeaveDocument;
import org.pagerless.rota.CoverResource.OverrideDocument;
import org.pagerless.rota.rows.LeaveRow;
import org.pagerless.rota.rows.OverrideRow;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code staff_leave} and {@code rota_override} tables ({@link LeaveRow}, {@link OverrideRow}): who is away, and
 * who holds a role instead. Each write is one transaction.
 */
@ApplicationScoped
public class CoverStore {

    /** Leave that has not ended at {@code now}. */
    @WithSession
    public Uni<List<LeaveDocument>> leave(Instant now) {
        return LeaveRow.<LeaveRow>list("endsAt > ?1 order by startsAt, id", now).map(rows -> rows.stream()
                .map(l -> new LeaveDocument(l.id, l.staffId, l.startsAt.toString(), l.endsAt.toString(), l.reason))
                .toList());
    }

    /** Records leave; answers its id. */
    @WithTransaction
    public Uni<Long> addLeave(String staffId, Instant from, Instant to, String reason, String by) {
        LeaveRow row = new LeaveRow();
        row.staffId = staffId;
        row.startsAt = from;
        row.endsAt = to;
        row.reason = reason;
        row.createdBy = by;
        return row.<LeaveRow>persist().map(saved -> saved.id);
    }

    @WithTransaction
    public Uni<Void> deleteLeave(long id) {
        return RotaWrites.deleted(LeaveRow.delete("id", id), "no staff leave " + id);
    }

    /** Overrides that have not ended at {@code now}. */
    @WithSession
    public Uni<List<OverrideDocument>> overrides(Instant now) {
        return OverrideRow.<OverrideRow>list("endsAt > ?1 order by startsAt, id", now).map(rows -> rows.stream()
                .map(o -> new OverrideDocument(o.id, o.roleId, o.kind, o.staffId, o.replacedStaffId,
                        o.startsAt.toString(), o.endsAt.toString(), o.reason)).toList());
    }

    /** Adds the override ({@code kind} as stored: add, remove or replace); answers its id. */
    @WithTransaction
    public Uni<Long> addOverride(String roleId, String kind, String staffId, String replacedStaffId, Instant from,
                                 Instant to, String reason, String by) {
        OverrideRow row = new OverrideRow();
        row.roleId = roleId;
        row.kind = kind;
        row.staffId = staffId;
        row.replacedStaffId = replacedStaffId;
        row.startsAt = from;
        row.endsAt = to;
        row.reason = reason;
        row.createdBy = by;
        return row.<OverrideRow>persist().map(saved -> saved.id);
    }

    @WithTransaction
    public Uni<Void> deleteOverride(long id) {
        return RotaWrites.deleted(OverrideRow.delete("id", id), "no rota override " + id);
    }
}
