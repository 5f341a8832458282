package org.pagerless.rota;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.pagerless.platform.Jdbc;
import org.pagerless.platform.ProblemException;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * How the rota's admin resources finish a write: the store's transaction commits all of it or
 * none; a clash the checks could not see (a reference or a unique value that appeared meanwhile) is answered with 409,
 * as the check would have, instead of a 500; and only once committed is the change announced ({@link RotaEvents}).
 */
@ApplicationScoped
class RotaWrites {

    @Inject
    RotaEvents events;

    /**
     * {@code write}'s answer once it is committed and announced as {@code change} by {@code by}, about the key that
     * {@code key} takes from the answer (a role id, or {@link RotaEvents#REFERENCE_DATA}).
     */
    <T> Uni<T> announced(Uni<T> write, Function<T, String> key, String change, String by) {
        return write.onFailure().transform(RotaWrites::refusal)
                .call(result -> events.announce(key.apply(result), change, by));
    }

    /** As {@link #announced(Uni, Function, String, String)}, for a change with a key known beforehand. */
    <T> Uni<T> announced(Uni<T> write, String key, String change, String by) {
        return announced(write, result -> key, change, by);
    }

    /** An update's or delete's outcome: done, or 404 with {@code notFound} when it touched no row. */
    static void found(int rows, String notFound) {
        if (rows == 0) {
            throw ProblemException.notFound(notFound);
        }
    }

    /**
     * A guarded write's outcome (an insert {@code on conflict do nothing}, an update conditional on the row's state):
     * done, or 409 with {@code conflict} when it changed no row.
     */
    static void applied(int rows, String conflict) {
        if (rows == 0) {
            throw ProblemException.conflict(conflict);
        }
    }

    /**
     * Deletes row {@code id} of {@code table} in a transaction of its own; 404 with {@code notFound} when there is none.
     */
    static Uni<Void> deleteById(Jdbc jdbc, String table, long id, String notFound) {
        return jdbc.transactionOnWorker(c -> {
            found(Jdbc.update(c, "delete from " + table + " where id = ?", id), notFound);
            return null;
        });
    }

    /** A foreign-key or unique violation as the 409 the checks would have given; anything else as it is. */
    static Throwable refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String state = t instanceof SQLException sql ? sql.getSQLState() : null;
            if ("23503".equals(state)) {
                // A reference appeared meanwhile (foreign key): refused, as the check would have.
                return ProblemException.conflict("it is still referenced elsewhere; nothing was changed");
            }
            if ("23505".equals(state)) {
                return ProblemException.conflict("it clashes with an existing one (a unique name, bleep or id);"
                        + " nothing was changed");
            }
        }
        return failure;
    }

    /**
     * 409 naming every kind of row that still refers to {@code id}, counted on {@code c} (the deleting transaction):
     * each of {@code counts} (by what it counts) is a count query whose every {@code ?} is {@code id}.
     */
    static void refuseWhileReferenced(Connection c, String what, String id, Map<String, String> counts)
            throws SQLException {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> count : new TreeMap<>(counts).entrySet()) {
            Object[] ids = new Object[count.getValue().length() - count.getValue().replace("?", "").length()];
            Arrays.fill(ids, id);
            long n = Jdbc.query(c, count.getValue(), rs -> rs.getLong(1), ids).get(0);
            if (n > 0) {
                found.add(n + " " + count.getKey());
            }
        }
        if (!found.isEmpty()) {
            throw ProblemException.conflict("the " + what + " is still referenced by " + String.join(", ", found)
                    + "; remove or reassign those first");
        }
    }
}
