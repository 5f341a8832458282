package org.pagerless.rota;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.pagerless.platform.ProblemException;
import org.pagerless.rota.ShiftResource.ShiftDocument;
import org.pagerless.rota.model.Shift;
import org.pagerless.rota.rows.ShiftLine;
import org.pagerless.rota.rows.ShiftRow;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code shift} table ({@link ShiftRow}): explicit shifts. Each write is one transaction. */
@ApplicationScoped
public class ShiftStore {

    /**
     * Shifts overlapping [{@code from}, {@code to}), narrowed to a role and a person when given. A read: a session
     * without a transaction, one named query, a projection ({@link ShiftLine}) rather than managed entities.
     */
    @WithSession
    public Uni<List<ShiftDocument>> overlapping(Instant from, Instant to, String roleId, String staffId) {
        return Panache.getSession().chain(session -> session.createNamedQuery(ShiftRow.OVERLAPPING, ShiftLine.class)
                .setParameter("from", from).setParameter("to", to).setParameter("roleId", roleId)
                .setParameter("staffId", staffId).getResultList())
                .map(lines -> lines.stream().map(s -> new ShiftDocument(s.id(), s.roleId(), s.staffId(),
                        s.startsAt().toString(), s.endsAt().toString())).toList());
    }

    /** Adds the shift; answers its id. */
    @WithTransaction
    public Uni<Long> add(String roleId, String staffId, Instant from, Instant to) {
        ShiftRow row = new ShiftRow();
        return set(row, roleId, staffId, from, to).<ShiftRow>persist().map(saved -> saved.id);
    }

    /**
     * Adds every shift not already on the rota exactly (same role, person, start and end; nor earlier in
     * {@code shifts}), all in one transaction; answers the roles of those added, one entry per shift added.
     */
    @WithTransaction
    public Uni<List<String>> addAbsent(List<Shift> shifts) {
        Instant first = shifts.stream().map(Shift::startsAt).min(Instant::compareTo).orElseThrow();
        Instant last = shifts.stream().map(Shift::startsAt).max(Instant::compareTo).orElseThrow();
        return ShiftRow.<ShiftRow>list("startsAt >= ?1 and startsAt <= ?2", first, last).chain(existing -> {
            Set<Shift> present = new HashSet<>();
            existing.forEach(row -> present.add(new Shift(row.roleId, row.staffId, row.startsAt, row.endsAt)));
            List<ShiftRow> added = new ArrayList<>();
            for (Shift shift : shifts) {
                if (present.add(shift)) {
                    added.add(set(new ShiftRow(), shift.roleId(), shift.staffId(), shift.startsAt(), shift.endsAt()));
                }
            }
            return (added.isEmpty() ? Uni.createFrom().voidItem() : ShiftRow.persist(added))
                    .replaceWith(added.stream().map(row -> row.roleId).toList());
        });
    }

    @WithTransaction
    public Uni<Void> update(long id, String roleId, String staffId, Instant from, Instant to) {
        return ShiftRow.<ShiftRow>findById(id).invoke(row -> {
            if (row == null) {
                throw ProblemException.notFound("no shift " + id);
            }
            set(row, roleId, staffId, from, to);
        }).replaceWithVoid();
    }

    /** Removes the shift; answers the role it was of. */
    @WithTransaction
    public Uni<String> delete(long id) {
        return ShiftRow.<ShiftRow>findById(id).chain(row -> {
            if (row == null) {
                throw ProblemException.notFound("no shift " + id);
            }
            return row.delete().replaceWith(row.roleId);
        });
    }

    private static ShiftRow set(ShiftRow row, String roleId, String staffId, Instant from, Instant to) {
        row.roleId = roleId;
        row.staffId = staffId;
        row.startsAt = from;
        row.endsAt = to;
        return row;
    }
}
