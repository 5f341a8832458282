package org.pagerless.identity;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.platform.InvalidRequest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Who read which patient's data: the append-only audit, for admins and auditors, as JSON or CSV. */
@Path("/api/v1/audit/patient-reads")
@Tag(name = "Audit")
@RolesAllowed({AppRoles.ADMIN, AppRoles.AUDITOR})
public class AuditResource {
    static final int MAX = 10_000;

    @Inject
    PatientReadAudit audit;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reads of patient data", description = "Filter by NHS number, staff id, task and time "
            + "range ([from, to), ISO-8601 instants); oldest first, at most `limit` (default 1000, max 10000). "
            + "Ask for `text/csv` (or `format=csv`) for a spreadsheet.")
    public Response reads(@QueryParam("nhsNumber") String nhsNumber, @QueryParam("staff") String staff,
                          @QueryParam("task") String task, @QueryParam("from") String from,
                          @QueryParam("to") String to, @QueryParam("limit") Integer limit,
                          @QueryParam("format") String format) throws SQLException {
        List<PatientReadAudit.Read> reads = audit.find(filter(nhsNumber, staff, task, from, to), limit(limit));
        if ("csv".equalsIgnoreCase(format)) {
            return csv(reads);
        }
        return Response.ok(reads).build();
    }

    @GET
    @Produces("text/csv")
    @Operation(summary = "Reads of patient data as CSV", description = "The same rows and filters as JSON.")
    public Response readsAsCsv(@QueryParam("nhsNumber") String nhsNumber, @QueryParam("staff") String staff,
                               @QueryParam("task") String task, @QueryParam("from") String from,
                               @QueryParam("to") String to, @QueryParam("limit") Integer limit) throws SQLException {
        return csv(audit.find(filter(nhsNumber, staff, task, from, to), limit(limit)));
    }

    private static Response csv(List<PatientReadAudit.Read> reads) {
        StringBuilder out = new StringBuilder("read_at,staff_id,app_role,task_id,nhs_number,channel,client_address,"
                + "user_agent,parked_record_id\r\n");
        for (PatientReadAudit.Read r : reads) {
            out.append(String.join(",", cell(r.at().toString()), cell(r.staffId()), cell(r.appRole()),
                    cell(r.taskId() == null ? null : r.taskId().toString()), cell(r.nhsNumber()), cell(r.channel()),
                    cell(r.clientAddress()), cell(r.userAgent()),
                    cell(r.parkedRecordId() == null ? null : r.parkedRecordId().toString()))).append("\r\n");
        }
        return Response.ok(out.toString(), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"patient-reads.csv\"").build();
    }

    /** RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with an apostrophe. */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") || !v.equals(value)) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    private static int limit(Integer limit) {
        if (limit == null) {
            return 1000;
        }
        if (limit < 1 || limit > MAX) {
            throw new InvalidRequest("limit", "must be between 1 and " + MAX);
        }
        return limit;
    }

    private static PatientReadAudit.Filter filter(String nhsNumber, String staff, String task, String from,
                                                  String to) {
        return new PatientReadAudit.Filter(blank(nhsNumber), blank(staff), uuid("task", task), instant("from", from),
                instant("to", to));
    }

    private static String blank(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static UUID uuid(String field, String v) {
        try {
            return blank(v) == null ? null : UUID.fromString(v.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(field, "must be a task id (UUID)");
        }
    }

    private static Instant instant(String field, String v) {
        try {
            return blank(v) == null ? null : Instant.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidRequest(field, "must be an ISO-8601 instant such as 2026-12-01T09:00:00Z");
        }
    }
}
