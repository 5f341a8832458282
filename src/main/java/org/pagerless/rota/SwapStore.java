package org.pagerless.rota;

import java.time.Instant;
import java.util.List;

import org.pagerless.platform.ProblemException;
import org.pagerless.rota.SwapResource.SwapDocument;
import org.pagerless.rota.rows.SwapRow;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code rota_swap} table ({@link SwapRow}): swaps asked for, and their answers. Each write is one transaction. */
@ApplicationScoped
public class SwapStore {

    /** Swaps that have not ended at {@code now}, whatever their answer. */
    @WithSession
    public Uni<List<SwapDocument>> current(Instant now) {
        return SwapRow.<SwapRow>list("endsAt > ?1 order by startsAt, id", now)
                .map(rows -> rows.stream().map(SwapStore::document).toList());
    }

    /** One swap; 404 when there is none. */
    @WithSession
    public Uni<SwapDocument> find(long id) {
        return SwapRow.<SwapRow>findById(id).map(row -> {
            if (row == null) {
                throw ProblemException.notFound("no swap " + id);
            }
            return document(row);
        });
    }

    /** Asks for a swap; answers its id (requested_at is the database's: read it back with {@link #find}). */
    @WithTransaction
    public Uni<Long> add(String roleId, String requesterId, String counterpartId, Instant from, Instant to) {
        SwapRow row = new SwapRow();
        row.roleId = roleId;
        row.requesterId = requesterId;
        row.counterpartId = counterpartId;
        row.startsAt = from;
        row.endsAt = to;
        row.status = "requested";
        return row.<SwapRow>persist().map(saved -> saved.id);
    }

    /** Records the answer to a swap still waiting for one; 409 if it was answered meanwhile. */
    @WithTransaction
    public Uni<Void> answer(long id, String status, Instant at) {
        return SwapRow.update("status = ?1, decidedAt = ?2 where id = ?3 and status = 'requested'", status, at, id)
                .invoke(updated -> {
                    if (updated == 0) {
                        throw ProblemException.conflict("the swap was answered meanwhile");
                    }
                }).replaceWithVoid();
    }

    @WithTransaction
    public Uni<Void> delete(long id) {
        return RotaWrites.deleted(SwapRow.delete("id", id), "no rota swap " + id);
    }

    private static SwapDocument document(SwapRow row) {
        return new SwapDocument(row.id, row.roleId, row.requesterId, row.counterpartId, row.startsAt.toString(),
                row.endsAt.toString(), row.status, row.requestedAt.toString(),
                row.decidedAt == null ? null : row.decidedAt.toString());
    }
}
