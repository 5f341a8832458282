package org.pagerless.rota;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.pagerless.platform.Jdbc;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.SwapResource.SwapDocument;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The {@code rota_swap} table: swaps asked for, and their answers. Each write is one transaction. */
@ApplicationScoped
public class SwapStore {
    private static final String COLUMNS = "select id, role_id, requester_id, counterpart_id, starts_at, ends_at,"
            + " status, requested_at, decided_at from rota_swap";

    @Inject
    Jdbc jdbc;

    /** Swaps that have not ended at {@code now}, whatever their answer. */
    public Uni<List<SwapDocument>> current(Instant now) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, COLUMNS + " where ends_at > ? order by starts_at, id",
                SwapStore::document, now));
    }

    /** One swap; 404 when there is none. */
    public Uni<SwapDocument> find(long id) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, COLUMNS + " where id = ?", SwapStore::document, id).stream()
                .findFirst().orElseThrow(() -> ProblemException.notFound("no swap " + id)));
    }

    /** Asks for a swap; answers its id (requested_at is the database's: read it back with {@link #find}). */
    public Uni<Long> add(String roleId, String requesterId, String counterpartId, Instant from, Instant to) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "insert into rota_swap (role_id, requester_id,"
                + " counterpart_id, starts_at, ends_at, status) values (?, ?, ?, ?, ?, 'requested') returning id",
                rs -> rs.getLong(1), roleId, requesterId, counterpartId, from, to).get(0));
    }

    /** Records the answer to a swap still waiting for one; 409 if it was answered meanwhile. */
    public Uni<Void> answer(long id, String status, Instant at) {
        return jdbc.transactionOnWorker(c -> {
            RotaWrites.applied(Jdbc.update(c, "update rota_swap set status = ?, decided_at = ?"
                    + " where id = ? and status = 'requested'", status, at, id), "the swap was answered meanwhile");
            return null;
        });
    }

    public Uni<Void> delete(long id) {
        return RotaWrites.deleteById(jdbc, "rota_swap", id, "no rota swap " + id);
    }

    private static SwapDocument document(ResultSet rs) throws SQLException {
        Instant decidedAt = Jdbc.instant(rs, 9);
        return new SwapDocument(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Jdbc.instant(rs, 5).toString(), Jdbc.instant(rs, 6).toString(), rs.getString(7),
                Jdbc.instant(rs, 8).toString(), decidedAt == null ? null : decidedAt.toString());
    }
}
