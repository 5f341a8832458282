package org.pagerless.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the delivery outbox's tables and the application's statements cost, read from PostgreSQL's own counters:
 * rows inserted / updated (HOT among them) in {@code delivery} and {@code delivery_status_history}
 * ({@code pg_stat_user_tables}), and statements executed ({@code pg_stat_statements}, when the benchmark's database
 * preloads it: {@code -Dpagerless.standalone.postgres-preload=pg_stat_statements}; otherwise no statement counts).
 * Subtracting two readings gives what a run cost. The benchmark's own queries (these counters, its polls of the
 * outbox) are left out of the statement counts.
 */
record OutboxCounts(long deliveryInserted, long deliveryUpdated, long deliveryHot, long historyInserted,
                    long statements, long transactionControl, Map<String, Long> byStatement) {

    /** Statements the benchmark itself sends, left out of the counts. */
    private static final String OURS = "query not ilike '%pg_stat%' and query not ilike '%from delivery where status in%' "
            + "and query not ilike '%from delivery where task_id = any%' and query not ilike '%create extension%'";

    /** Reads the counters; makes the statement extension if the server preloads it (once). */
    static OutboxCounts of(String jdbcUrl, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement st = c.createStatement()) {
            long[] t = new long[4];
            try (ResultSet rs = st.executeQuery("select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd from "
                    + "pg_stat_user_tables where relname in ('delivery', 'delivery_status_history')")) {
                while (rs.next()) {
                    if ("delivery".equals(rs.getString(1))) {
                        t[0] = rs.getLong(2);
                        t[1] = rs.getLong(3);
                        t[2] = rs.getLong(4);
                    } else {
                        t[3] = rs.getLong(2);
                    }
                }
            }
            long statements = -1;
            long control = -1;
            Map<String, Long> by = new HashMap<>();
            boolean preloaded;
            try (ResultSet rs = st.executeQuery("select current_setting('shared_preload_libraries') like '%pg_stat_statements%'")) {
                rs.next();
                preloaded = rs.getBoolean(1);
            }
            if (preloaded) {
                st.execute("create extension if not exists pg_stat_statements");
                statements = 0;
                control = 0;
                try (ResultSet rs = st.executeQuery("select query, calls from pg_stat_statements where dbid = (select oid "
                        + "from pg_database where datname = current_database()) and " + OURS)) {
                    while (rs.next()) {
                        String q = rs.getString(1).replaceAll("\\s+", " ").trim();
                        long calls = rs.getLong(2);
                        if (q.matches("(?i)(begin|commit|rollback|set|show).*")) {
                            control += calls;
                        } else {
                            statements += calls;
                        }
                        by.merge(q, calls, Long::sum);
                    }
                }
            }
            return new OutboxCounts(t[0], t[1], t[2], t[3], statements, control, by);
        }
    }

    OutboxCounts minus(OutboxCounts before) {
        Map<String, Long> by = new HashMap<>(byStatement);
        before.byStatement.forEach((q, n) -> by.merge(q, -n, Long::sum));
        return new OutboxCounts(deliveryInserted - before.deliveryInserted, deliveryUpdated - before.deliveryUpdated,
                deliveryHot - before.deliveryHot, historyInserted - before.historyInserted,
                statements < 0 || before.statements < 0 ? -1 : statements - before.statements,
                transactionControl < 0 || before.transactionControl < 0 ? -1 : transactionControl - before.transactionControl,
                by);
    }

    /** One line per delivery, and (with statement counts) the statements run most often, per delivery. */
    String describe(long deliveries) {
        double d = Math.max(1, deliveries);
        StringBuilder out = new StringBuilder(String.format("outbox rows per delivery: delivery inserted %.2f, updated %.2f "
                + "(HOT %.2f); delivery_status_history inserted %.2f", deliveryInserted / d, deliveryUpdated / d,
                deliveryHot / d, historyInserted / d));
        if (statements < 0) {
            out.append("; statements: not counted (run with -Dpagerless.standalone.postgres-preload=pg_stat_statements)");
            return out.toString();
        }
        out.append(String.format("; statements %.2f per delivery (and %.2f begin/commit)", statements / d,
                transactionControl / d));
        List<Map.Entry<String, Long>> top = new ArrayList<>(byStatement.entrySet());
        top.removeIf(e -> e.getValue() <= 0);
        top.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (Map.Entry<String, Long> e : top.subList(0, Math.min(12, top.size()))) {
            String q = e.getKey();
            out.append(String.format("%n  %.3f  %s", e.getValue() / d, q.length() > 110 ? q.substring(0, 110) + "…" : q));
        }
        return out.toString();
    }
}
