package org.pagerless.rota;

import java.time.Instant;
import java.util.List;

import org.pagerless.platform.Jdbc;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.SwapResource.SwapDocument;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The {@code rota_swap} table: swaps asked for, and their answers. */
@ApplicationScoped
public class SwapStore {

    @Inject
    Jdbc jdbc;

    /** Swaps that have not ended at {@code now}, whatever their answer. */
    public List<SwapDocument> current(Instant now) {
        return jdbc.query(SELECT + " where ends_at > ? order by starts_at, id", SwapStore::swap, now);
    }

    /** One swap; 404 when there is none. */
    public SwapDocument find(long id) {
        return jdbc.queryOne(SELECT + " where id = ?", SwapStore::swap, id)
                .orElseThrow(() -> ProblemException.notFound("no swap " + id));
    }

    /** Asks for a swap; answers its id. */
    public long add(String roleId, String requesterId, String counterpartId, Instant from, Instant to) {
        return jdbc.queryOne("insert into rota_swap (role_id, requester_id, counterpart_id, starts_at, ends_at)"
                + " values (?, ?, ?, ?, ?) returning id", rs -> rs.getLong(1), roleId, requesterId, counterpartId, from,
                to).orElseThrow();
    }

    /** Records the answer to a swap still waiting for one; 409 if it was answered meanwhile. */
    public void answer(long id, String status, Instant at) {
        if (jdbc.update("update rota_swap set status = ?, decided_at = ? where id = ? and status = 'requested'",
                status, at, id) == 0) {
            throw ProblemException.conflict("the swap was answered meanwhile");
        }
    }

    public void delete(long id) {
        if (jdbc.update("delete from rota_swap where id = ?", id) == 0) {
            throw ProblemException.notFound("no rota swap " + id);
        }
    }

    private static final String SELECT = "select id, role_id, requester_id, counterpart_id, starts_at, ends_at, status,"
            + " requested_at, decided_at from rota_swap";

    private static SwapDocument swap(java.sql.ResultSet rs) throws java.sql.SQLException {
        Instant decided = Jdbc.instant(rs, 9);
        return new SwapDocument(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Jdbc.instant(rs, 5).toString(), Jdbc.instant(rs, 6).toString(), rs.getString(7),
                Jdbc.instant(rs, 8).toString(), decided == null ? null : decided.toString());
    }
}
