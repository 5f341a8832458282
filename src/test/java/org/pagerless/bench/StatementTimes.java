package org.pagerless.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.pagerless.standalone.EmbeddedInfra;

/**
 * Where the database's time goes: the application's statements by total execution and planning time since the last
 * {@link #reset} ({@code pg_stat_statements}; only when the benchmark's PostgreSQL preloads it:
 * {@code -Dpagerless.standalone.postgres-preload=pg_stat_statements}, otherwise nothing is printed). Planning is 0
 * unless {@code -Dpagerless.standalone.postgres-config=pg_stat_statements.track_planning=on}.
 */
final class StatementTimes {
    private StatementTimes() {
    }

    /**
     * Starts counting afresh (and makes the extension on first use); with {@code -Dbench.checkpoint=true} after a
     * checkpoint.
     */
    static void reset(EmbeddedInfra infra) {
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "postgres");
             Statement st = c.createStatement()) {
            if (preloaded(st)) {
                st.execute("create extension if not exists pg_stat_statements");
                st.execute("select pg_stat_statements_reset()");
                // -Dbench.checkpoint=true: a checkpoint first, so that runs compare the same state (after one, the
                // first change to each page writes the whole page to the log).
                if (Boolean.getBoolean("bench.checkpoint")) {
                    st.execute("checkpoint");
                }
                st.execute("select pg_stat_reset_shared('wal'), pg_stat_reset_shared('bgwriter')");
            }
        } catch (Exception e) {
            System.out.println("statement times not reset: " + e.getMessage());
        }
    }

    /**
     * The {@code top} statements by time since the reset: calls, plans made (as many as calls: planned at every
     * execution), total and mean ms, rows, the statement's start.
     */
    static void print(EmbeddedInfra infra, String label, int top) {
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "postgres");
             Statement st = c.createStatement()) {
            if (!preloaded(st)) {
                return;
            }
            System.out.printf("%s, statements by database time (pg_stat_statements): calls | plans | total ms | ms/call | planning ms | rows "
                    + "| WAL full pages | WAL kB | blocks dirtied | statement%n", label);
            try (ResultSet rs = st.executeQuery("select calls, plans, total_exec_time, total_plan_time, rows, wal_fpi, wal_bytes, shared_blks_dirtied, left(regexp_replace(query, "
                    + "'\\s+', ' ', 'g'), 110) from pg_stat_statements where dbid = (select oid from pg_database "
                    + "where datname = current_database()) and query not ilike '%pg_stat_statements%' "
                    + "order by total_exec_time + total_plan_time desc limit " + top)) {
                while (rs.next()) {
                    System.out.printf("    %d | %d | %.0f | %.2f | %.0f | %d | %d | %d | %d | %s%n", rs.getLong(1),
                            rs.getLong(2), rs.getDouble(3), rs.getDouble(3) / Math.max(1, rs.getLong(1)),
                            rs.getDouble(4), rs.getLong(5), rs.getLong(6), rs.getLong(7) / 1024, rs.getLong(8),
                            rs.getString(9));
                }
            }
            // The whole database's WAL and checkpoints since the reset: the first change to a page after a checkpoint
            // writes the whole page (full_page_writes).
            try (ResultSet rs = st.executeQuery("select wal_records, wal_fpi, wal_bytes, checkpoints_timed, "
                    + "checkpoints_req, buffers_checkpoint, current_setting('max_wal_size'), "
                    + "current_setting('checkpoint_timeout'), current_setting('wal_compression') "
                    + "from pg_stat_wal, pg_stat_bgwriter")) {
                if (rs.next()) {
                    System.out.printf("    all: WAL records %d, full-page images %d, WAL MB %d; checkpoints timed %d, "
                            + "requested %d, buffers written by them %d (max_wal_size %s, checkpoint_timeout %s, "
                            + "wal_compression %s)%n", rs.getLong(1), rs.getLong(2), rs.getLong(3) / (1024 * 1024),
                            rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getString(8),
                            rs.getString(9));
                }
            }
        } catch (Exception e) {
            System.out.println("statement times not read: " + e.getMessage());
        }
    }

    private static boolean preloaded(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery(
                "select current_setting('shared_preload_libraries') like '%pg_stat_statements%'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
