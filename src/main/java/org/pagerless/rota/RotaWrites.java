package org.pagerless.rota;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.hibernate.JDBCException;
import org.pagerless.platform.ProblemException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * How the rota's admin resources finish a write: the store's {@code @WithTransaction} method commits all of it or
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

    /** A foreign-key or unique violation as the 409 the checks would have given; anything else as it is. */
    /** A delete's outcome: done, or 404 with {@code notFound} when it deleted no row. */
    static Uni<Void> deleted(Uni<Long> deletedRows, String notFound) {
        return deletedRows.invoke(deleted -> {
            if (deleted == 0) {
                throw ProblemException.notFound(notFound);
            }
        }).replaceWithVoid();
    }

    static Throwable refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String state = t instanceof DatabaseException db ? db.getSqlState()
                    : t instanceof JDBCException jdbc ? jdbc.getSQLState()
                    : t instanceof SQLException sql ? sql.getSQLState() : null;
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
     * 409 naming every kind of row that still refers to {@code id}, counted in the current transaction: each of
     * {@code counts} (by what it counts) is a native query whose every {@code ?} is {@code id}. The counts run one
     * after another: a reactive session runs one statement at a time.
     */
    static Uni<Void> refuseWhileReferenced(String what, String id, Map<String, String> counts) {
        return Panache.getSession().chain(session -> {
            Uni<List<String>> found = Uni.createFrom().item(new ArrayList<>());
            for (Map.Entry<String, String> count : new TreeMap<>(counts).entrySet()) {
                found = found.chain(list -> {
                    var query = session.createNativeQuery(count.getValue(), Long.class);
                    int parameters = count.getValue().length() - count.getValue().replace("?", "").length();
                    for (int i = 1; i <= parameters; i++) {
                        query.setParameter(i, id);
                    }
                    return query.getSingleResult().map(n -> {
                        if (n > 0) {
                            list.add(n + " " + count.getKey());
                        }
                        return list;
                    });
                });
            }
            return found;
        }).invoke(found -> {
            if (!found.isEmpty()) {
                throw ProblemException.conflict("the " + what + " is still referenced by " + String.join(", ", found)
                        + "; remove or reassign those first");
            }
        }).replaceWithVoid();
    }
}
