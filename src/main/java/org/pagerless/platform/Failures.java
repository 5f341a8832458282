package org.pagerless.platform;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.apache.kafka.common.errors.RetriableException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * What a failure means for a consumer, and how to speak of it without leaking what a record or a row held.
 * <p>
 * <b>Transient</b>: the database or the broker is unavailable (a connection error, the pool timing out, the server
 * shutting down, a serialization conflict or deadlock, the broker not acknowledging): wait and retry the same
 * records. Anything else is a fact about the record (it cannot be read, decided or stored) and retrying it will not
 * help: <b>poison</b>, parked so the consumer can move on.
 */
public final class Failures {

    private Failures() {
    }

    /** Whether anything in the cause chain says a dependency was unavailable rather than the input was bad. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return false; // an IOException, but about the input: never worth a retry
            }
            if (t instanceof Kafka.BrokerUnavailable || t instanceof RetriableException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof IOException
                    || t instanceof InterruptedException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && transientState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes of an unavailable database: 08 connection, 53 insufficient resources, 57 operator intervention
     * (shutdown, terminated backend), 40 transaction rollback (serialization, deadlock), 55 (the database does not
     * accept connections), 58 system error; no state at all is the pool's own timeout.
     */
    private static boolean transientState(String state) {
        if (state == null) {
            return true;
        }
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("40")
                || state.startsWith("55") || state.startsWith("58");
    }

    /**
     * One line naming the failure, safe for a log line, a parked record's reason or an answer. JSON errors are reduced
     * to where in the document they are (Jackson's messages quote the input). When a database error is anywhere in
     * the chain, only class names and SQLSTATEs are kept: PostgreSQL quotes the row it refused ("Failing row contains
     * (…)", "Key (…)=(…)"), a failed JDBC batch quotes the statement with its values, and a wrapper's message repeats
     * its cause's. Anything else: class names and the first line of each message, cut
     * short at anything that quotes data.
     */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        Throwable json = jsonCause(failure);
        if (json instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "JSON of the wrong shape at " + path(mapping);
        }
        if (json != null) {
            return "not valid JSON (" + json.getClass().getSimpleName() + ")";
        }
        if (sqlCause(failure) == null) {
            return plain(failure);
        }
        StringBuilder out = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(out.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
            if (t instanceof SQLException sql) {
                SQLException entry = sql.getNextException();
                out.append(" (SQLSTATE ").append(entry != null ? entry.getSQLState() : sql.getSQLState()).append(')');
            }
        }
        return out.toString();
    }

    private static String plain(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            out.append(out.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
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

    private static SQLException sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static Throwable jsonCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return t;
            }
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body");
    }
}
