package org.pagerless.platform;

import java.sql.SQLException;

/**
 * What of an exception may go into a log line. Database errors can quote the row they refused (PostgreSQL's
 * "Failing row contains (…)" and "Detail: Key (…)=(…)"), which may be a task's state with the patient in it: for
 * an {@link SQLException} only its class and SQLSTATE are kept, for anything else the class and the first line of
 * its message with any such quotation cut off.
 */
public final class SafeLog {
    private SafeLog() {
    }

    /** A one-line description of {@code e} and its causes that carries no row data. */
    public static String describe(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            if (out.length() > 0) {
                out.append(" <- ");
            }
            out.append(t.getClass().getSimpleName());
            if (t instanceof SQLException sql) {
                out.append(" SQLSTATE ").append(sql.getSQLState());
            } else if (t.getMessage() != null) {
                out.append(": ").append(scrub(t.getMessage()));
            }
        }
        return out.toString();
    }

    static String scrub(String message) {
        String line = message.lines().findFirst().orElse("");
        for (String marker : new String[] { "Failing row contains", "Detail:", "Key (", "Where:" }) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                line = line.substring(0, at) + "[row data withheld]";
            }
        }
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
