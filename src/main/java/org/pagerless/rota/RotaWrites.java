package org.pagerless.rota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.pagerless.platform.Jdbc;
import org.pagerless.platform.ProblemException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The rota stores' transactions: all of a write or none of it, and a clash the checks could not see (a reference or a
 * unique value that appeared meanwhile) answered with 409, as the check would have, instead of a 500.
 */
@ApplicationScoped
class RotaWrites {

    @Inject
    Jdbc jdbc;

    <T> T write(Jdbc.Work<T> work) {
        try {
            return jdbc.transaction(work);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
                // A reference appeared meanwhile (foreign key): refused, as the check would have.
                throw ProblemException.conflict("it is still referenced elsewhere; nothing was changed");
            }
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                throw ProblemException.conflict("it clashes with an existing one (a unique name, bleep or id);"
                        + " nothing was changed");
            }
            throw e;
        }
    }

    void write(Jdbc.VoidWork work) {
        write(c -> {
            work.run(c);
            return null;
        });
    }

    /**
     * 409 naming every kind of row that still refers to {@code id}, counted inside the deleting transaction: each of
     * {@code counts} (by what it counts) is a query whose every parameter is {@code id}.
     */
    static void refuseWhileReferenced(Connection c, String what, String id, Map<String, String> counts)
            throws SQLException {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> count : new TreeMap<>(counts).entrySet()) {
            try (PreparedStatement ps = c.prepareStatement(count.getValue())) {
                int parameters = count.getValue().length() - count.getValue().replace("?", "").length();
                for (int i = 1; i <= parameters; i++) {
                    ps.setString(i, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        found.add(rs.getLong(1) + " " + count.getKey());
                    }
                }
            }
        }
        if (!found.isEmpty()) {
            throw ProblemException.conflict("the " + what + " is still referenced by " + String.join(", ", found)
                    + "; remove or reassign those first");
        }
    }
}
