package org.pagerless.identity;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


import org.pagerless.platform.Jdbc;
import org.pagerless.platform.ParkedRecordsRead;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The audit of every read of patient data: each time an answer or a live message carrying a task's patient
 * (NHS number, name) goes to someone, one append-only row says who, which task and patient, when, through which
 * endpoint or the live feed, and from which client. Fails closed: if the row cannot be written the read fails
 * (an unaudited read is worse than a failed one). Reads of tasks without patient data are not recorded; every parked
 * record an admin is shown is (it can hold patient data).
 */
@ApplicationScoped
public class PatientReadAudit {
    public static final String LIVE_FEED = "WS /api/v1/live";
    private static final int USER_AGENT_MAX = 200;

    @Inject
    Jdbc jdbc;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;
    @Inject
    CurrentVertxRequest request;

    /** A task whose patient data was read. */
    public record Subject(UUID taskId, String nhsNumber) {
    }

    /** One audited read: of a task's patient, or of a parked record ({@code parkedRecordId}; task null). */
    public record Read(Instant at, String staffId, String appRole, UUID taskId, String nhsNumber, String channel,
                       String clientAddress, String userAgent, UUID parkedRecordId) {
    }

    /** An NHS number as a JSON field ({@code nhsNumber}, {@code nhs_number}) or a FHIR identifier value. */
    private static final Pattern NHS_NUMBER = Pattern.compile("(?i)\"nhs_?number\"\\s*:\\s*\"?([0-9][0-9 ]{8,14})"
            + "|nhs-number\"\\s*,\\s*\"value\"\\s*:\\s*\"([0-9 ]{10,14})\"");

    /** Filters of the audit API; null means any. */
    public record Filter(String nhsNumber, String staffId, UUID taskId, Instant from, Instant to) {
    }

    /** The caller of the current HTTP request read these tasks' patients through {@code channel}. */
    public void readOverHttp(String channel, Collection<Subject> subjects) {
        if (subjects.isEmpty()) {
            return;
        }
        HttpServerRequest http = request.getCurrent() == null ? null : request.getCurrent().request();
        String address = http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        String agent = http == null ? null : http.getHeader("User-Agent");
        write(Caller.of(identity), channel, address, agent, subjects);
    }

    /** A live-feed message with these tasks' patients went to {@code caller}, connected from {@code client}. */
    public void readLive(Caller caller, String clientAddress, String userAgent, Collection<Subject> subjects) {
        write(caller, LIVE_FEED, clientAddress, userAgent, subjects);
    }

    /**
     * These tasks' patients were sent to a hospital system ({@code caller}) at {@code address} through
     * {@code channel}, e.g. a FHIR Subscription notification carrying the Task.
     */
    public void sentToSystem(Caller caller, String channel, String address, Collection<Subject> subjects) {
        write(caller, channel, address, null, subjects);
    }

    /**
     * Parked records were shown over HTTP (an admin's {@code /api/v1/admin/parked}): one row per record and NHS number
     * found in it (one without a number when none is found: it may still name a patient). Fails closed, as task reads.
     */
    void parkedRecordsRead(@Observes ParkedRecordsRead read) {
        List<Row> rows = new ArrayList<>();
        for (ParkedRecordsRead.Shown shown : read.records()) {
            Set<String> numbers = nhsNumbersIn(shown.value());
            if (numbers.isEmpty()) {
                rows.add(new Row(null, shown.id(), null));
            }
            numbers.forEach(n -> rows.add(new Row(null, shown.id(), n)));
        }
        HttpServerRequest http = request.getCurrent() == null ? null : request.getCurrent().request();
        String address = http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        write(Caller.of(identity), read.channel(), address, http == null ? null : http.getHeader("User-Agent"), rows);
    }

    /** The NHS numbers (ten digits, spaces dropped) a parked record's text names; empty if none or not text. */
    static Set<String> nhsNumbersIn(String text) {
        Set<String> found = new TreeSet<>();
        if (text == null) {
            return found;
        }
        Matcher m = NHS_NUMBER.matcher(text);
        while (m.find()) {
            String digits = (m.group(1) != null ? m.group(1) : m.group(2)).replace(" ", "");
            if (digits.length() == 10) {
                found.add(digits);
            }
        }
        return found;
    }

    private record Row(UUID taskId, UUID parkedRecordId, String nhsNumber) {
    }

    private void write(Caller caller, String channel, String address, String agent, Collection<Subject> subjects) {
        write(caller, channel, address, agent, subjects.stream().map(s -> new Row(s.taskId(), null, s.nhsNumber()))
                .toList());
    }

    private void write(Caller caller, String channel, String address, String agent, List<Row> rows) {
        Instant at = clock.instant();
        jdbc.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into patient_read (read_at, staff_id, app_role, "
                    + "task_id, nhs_number, channel, client_address, user_agent, parked_record_id) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Row s : rows) {
                    ps.setObject(1, Jdbc.utc(at));
                    ps.setString(2, caller.staffId());
                    ps.setString(3, caller.appRole());
                    ps.setObject(4, s.taskId());
                    ps.setString(5, s.nhsNumber());
                    ps.setString(6, channel);
                    ps.setString(7, address);
                    ps.setString(8, agent == null ? null : agent.substring(0, Math.min(agent.length(), USER_AGENT_MAX)));
                    ps.setObject(9, s.parkedRecordId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** Audited reads matching the filter, oldest first, at most {@code limit}. */
    public List<Read> find(Filter f, int limit) {
        StringBuilder sql = new StringBuilder("select read_at, staff_id, app_role, task_id, nhs_number, channel, "
                + "client_address, user_agent, parked_record_id from patient_read where true");
        List<Object> args = new ArrayList<>();
        if (f.nhsNumber() != null) {
            sql.append(" and nhs_number = ?");
            args.add(f.nhsNumber());
        }
        if (f.staffId() != null) {
            sql.append(" and staff_id = ?");
            args.add(f.staffId());
        }
        if (f.taskId() != null) {
            sql.append(" and task_id = ?");
            args.add(f.taskId());
        }
        if (f.from() != null) {
            sql.append(" and read_at >= ?");
            args.add(f.from());
        }
        if (f.to() != null) {
            sql.append(" and read_at < ?");
            args.add(f.to());
        }
        sql.append(" order by seq limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), rs -> new Read(Jdbc.instant(rs, 1), rs.getString(2), rs.getString(3),
                rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getObject(9, UUID.class)), args.toArray());
    }
}
