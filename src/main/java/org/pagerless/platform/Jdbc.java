package org.pagerless.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one small JDBC helper every store uses (ADR 0006, 0080): a transaction, a query with a row mapper
 * (or a row handler), an update, and {@link #utc} for timestamps. Parameters are bound with {@code setObject}, an {@link Instant} as a UTC
 * {@code timestamptz}. A {@link SQLException} leaves as an {@link IllegalStateException} with it as the cause (after
 * the transaction is rolled back; a failing rollback is added to it as suppressed, never hides it); a
 * {@link RuntimeException} from the work (e.g. a 404 or 409) rolls back and leaves as
 * it is. Methods taking a {@link Connection} run on the caller's connection and transaction.
 */
@ApplicationScoped
public class Jdbc {

    /** Work in a transaction that answers something. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Work in a transaction that answers nothing. */
    public interface VoidWork {
        void run(Connection c) throws SQLException;
    }

    /** One row of a result, as a value. */
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** What to do with one row of a result, for results read into something other than a list. */
    public interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    @Inject
    DataSource dataSource;

    /** For CDI. */
    public Jdbc() {
    }

    /** On this data source, for code made outside CDI (a benchmark's ticker). */
    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} in one transaction: all of it is committed, or (on any failure) none of it. */
    public <T> T transaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException lost) { // the connection is gone: the transaction dies with it; keep the cause
                    e.addSuppressed(lost);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@link #transaction(Work)} on a worker thread, answered once committed: for a caller on the event loop (the
     * rota administration's resources answer {@code Uni}s), which must not wait for the database.
     */
    public <T> Uni<T> transactionOnWorker(Work<T> work) {
        return Uni.createFrom().item(() -> transaction(work)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** As {@link #transaction(Work)}, for work that answers nothing. */
    public void transaction(VoidWork work) {
        transaction(c -> {
            work.run(c);
            return null;
        });
    }

    /** Every row of {@code sql}, mapped, on a connection of its own. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
        try (Connection c = dataSource.getConnection()) {
            return query(c, sql, mapper, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hands every row of {@code sql}, in order, to {@code handler}, on a connection of its own. */
    public void forEachRow(String sql, RowHandler handler, Object... parameters) {
        query(sql, rs -> {
            handler.handle(rs);
            return Boolean.TRUE;
        }, parameters);
    }

    /** The first row of {@code sql}, mapped, if there is one. */
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... parameters) {
        List<T> rows = query(sql, mapper, parameters);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** Runs {@code sql} on a connection of its own (auto-commit); returns how many rows it changed. */
    public int update(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection()) {
            return update(c, sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of {@code sql}, mapped, on {@code c}. */
    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, parameters);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    /** Runs {@code sql} on {@code c}; returns how many rows it changed. */
    public static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, parameters);
            return ps.executeUpdate();
        }
    }

    /** Whether {@code sql} finds any row on {@code c}. */
    public static boolean exists(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, parameters);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** An instant as PostgreSQL's JDBC driver takes a {@code timestamptz}: an offset date-time in UTC. */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static final Object NULL_TEXT = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /**
     * A text parameter that may be null, bound as text either way. A plain null goes untyped, and a statement bound
     * with a text at one execution and an untyped null at another is prepared on the server again by the JDBC driver
     * whenever the types change, so PostgreSQL plans it afresh (ADR 0087).
     */
    public static Object text(String value) {
        return value == null ? NULL_TEXT : value;
    }

    /** The {@code timestamptz} in {@code column} as an instant; null for SQL null. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Binds {@code parameters} from the first as every statement here is bound (an instant as UTC, {@link #text}). */
    public static void bind(PreparedStatement ps, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object p = parameters[i];
            if (p == NULL_TEXT) {
                ps.setNull(i + 1, java.sql.Types.VARCHAR);
            } else {
                ps.setObject(i + 1, p instanceof Instant at ? utc(at) : p);
            }
        }
    }
}
