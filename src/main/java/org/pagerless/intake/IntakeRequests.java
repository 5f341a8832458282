package org.pagerless.intake;

/** The shapes in which bleeps and tasks arrive, over REST and on the intake topic. */
public final class IntakeRequests {
    private IntakeRequests() {
    }

    /** Who to page: exactly one of a role (id or name), a person (staff id), a bleep number or a ward. */
    public record To(String role, String person, String bleep, String ward) {
    }

    /** Switchboard's "please call 4417". */
    public record BleepRequest(To to, String callback, String message, String priority, Boolean fyi) {
    }

    public record PatientIn(String nhsNumber, String name) {
        @Override
        public String toString() {
            return "PatientIn[redacted]";
        }
    }

    public record LocationIn(String ward, String bed) {
    }

    /** A ward's request for clinical work, with SBAR detail. */
    public record TaskRequest(To to, PatientIn patient, LocationIn location, String type, String detail,
                              String priority, Integer news2, Boolean fyi) {
        @Override
        public String toString() {
            return "TaskRequest[redacted]";
        }
    }

    /** A record on the intake topic: {@code kind} is "bleep" or "task"; the rest as the REST bodies. */
    public record IntakeRecord(String kind, String requester, String idempotencyKey, To to, String callback,
                               String message, PatientIn patient, LocationIn location, String type, String detail,
                               String priority, Integer news2, Boolean fyi) {
        @Override
        public String toString() {
            return "IntakeRecord[redacted]";
        }
    }

    /**
     * Something the sender should know about what was accepted, naming the field and why, e.g. {@code message}: "names
     * a patient". Not an error: the request was taken.
     */
    public record Warning(String field, String reason) {
    }

    /**
     * The answer to an accepted request: the new task's id, that it is waiting to be routed, and any warnings for the
     * sender (absent when there are none).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    public record Accepted(java.util.UUID id, String status, java.util.List<Warning> warnings) {
        public Accepted(java.util.UUID id, String status) {
            this(id, status, java.util.List.of());
        }

        /** 202 with the task's address. */
        public jakarta.ws.rs.core.Response response() {
            return jakarta.ws.rs.core.Response.accepted(this)
                    .location(java.net.URI.create("/api/v1/tasks/" + id)).build();
        }
    }
}
